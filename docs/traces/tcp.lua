-- A TCP echo, seen through its callbacks (docs/semantics.md §7).
local uv = require('luv')
print('libuv ' .. uv.version_string())
local function status(err) return err and err:match('^%u+') or '0' end

-- Prepare and check mark the iterations, so that the trace shows where the
-- write callbacks run: in the pending batches after POLL, before CHECK
-- (rules 1.22-1.25, 7.10).
local iteration = 0
local p, k = uv.new_prepare(), uv.new_check()
p:start(function() iteration = iteration + 1 ; print('iteration ' .. iteration .. ': prepare') end)
k:start(function() print('  check') end)

local server, client = uv.new_tcp(), uv.new_tcp()
server:bind('127.0.0.1', 0)
local port = server:getsockname().port

server:listen(8, function(err)
  print('  server connection ' .. status(err))
  local conn = uv.new_tcp()
  server:accept(conn)
  conn:read_start(function(err, data)
    if data then
      print('  conn read "' .. data .. '"')
      conn:write(data, function(err) print('  conn write ' .. status(err)) end)
    else
      print('  conn read ' .. (err and status(err) or 'EOF'))
      conn:close() ; server:close()
    end
  end)
end)
-- A second bind to the listening port succeeds: TCP's EADDRINUSE is reported by
-- listen (rule 7.27).
local other = uv.new_tcp()
print('other:bind -> ' .. tostring(other:bind('127.0.0.1', port)))
print('other:listen -> ' .. status(select(2, other:listen(1, function() end))))
other:close()

client:connect('127.0.0.1', port, function(err)
  print('  client connect ' .. status(err))
  client:read_start(function(err, data)
    if data then
      print('  client read "' .. data .. '"')
      client:shutdown(function(err) print('  client shutdown ' .. status(err)) end)
    else
      print('  client read ' .. (err and status(err) or 'EOF'))
      client:close() ; p:close() ; k:close()
    end
  end)
  client:write('PING', function(err) print('  client write ' .. status(err)) end)
end)
print('run default -> ' .. tostring(uv.run('default')))
uv.loop_close()
