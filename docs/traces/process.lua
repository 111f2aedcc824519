-- Processes (docs/semantics.md §8.C).
local uv = require('luv')
print('libuv ' .. uv.version_string())

-- exit_cb gets the exit status and the terminating signal (rule 8.20). The
-- handle is inactive in its exit callback but stays open until closed.
local sh
sh = uv.spawn('sh', { args = { '-c', 'exit 3' } }, function(status, signal)
  print('  exit sh: status ' .. status .. ', signal ' .. signal
    .. ', active = ' .. tostring(sh:is_active()))
end)
print('run default -> ' .. tostring(uv.run('default')))
print('sh.closing = ' .. tostring(sh:is_closing()))
sh:close()

-- A child killed by a signal: status 0, signal 15.
local sleeper = uv.spawn('sleep', { args = { '10' } }, function(status, signal)
  print('  exit sleep: status ' .. status .. ', signal ' .. signal)
end)
print('kill sleep -> ' .. tostring(sleeper:kill('sigterm')))
print('run default -> ' .. tostring(uv.run('default')))
sleeper:close()

-- A missing program fails inside uv_spawn itself, and no exit callback
-- will come (rule 8.18); luv closes the handle for us in that case.
local handle, err = uv.spawn('/nonexistent/program', { args = {} }, function() print('never') end)
print('spawn missing -> ' .. tostring(handle) .. ', ' .. tostring(err))
print('run default -> ' .. tostring(uv.run('default')))
print('loop_close -> ' .. tostring(uv.loop_close()))
