-- Pipes: errors that come through the pending queue (docs/semantics.md §7).
local uv = require('luv')
print('libuv ' .. uv.version_string())
local function status(err) return err and err:match('^%u+') or '0' end
local iteration = 0
local p = uv.new_prepare()
p:start(function() iteration = iteration + 1 ; print('iteration ' .. iteration .. ': prepare') end)

-- uv_pipe_connect never fails synchronously: a missing path reaches the
-- connect callback in the first pending batch, before PREPARE (rule 7.26).
local dir = uv.fs_mkdtemp(uv.os_tmpdir() .. '/pipe-XXXXXX')
local client = uv.new_pipe(false)
client:connect(dir .. '/missing', function(err)
  print('  client connect ' .. status(err))
  client:close()
end)

-- A server and a connection whose writes are still queued when it is
-- closed: the close reports them as ECANCELED, in order, before the close
-- callback (rule 6.5). After shutdown, a write is refused with EPIPE
-- (rule 7.16).
local server, conn = uv.new_pipe(false), uv.new_pipe(false)
server:bind(dir .. '/sock')
server:listen(1, function() end)
conn:connect(dir .. '/sock', function(err) print('  conn connect ' .. status(err)) end)
conn:write('one', function(err) print('  conn write one ' .. status(err)) end)
conn:write('two', function(err) print('  conn write two ' .. status(err)) end)
conn:shutdown(function(err) print('  conn shutdown ' .. status(err)) end)
print('conn:write after shutdown -> ' .. status(select(2, conn:write('three'))))
conn:close(function() print('  close conn') ; server:close() ; p:close() end)
print('run default -> ' .. tostring(uv.run('default')))
uv.fs_rmdir(dir)
print('loop_close -> ' .. tostring(uv.loop_close()))
