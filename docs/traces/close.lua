-- Closing handles (docs/semantics.md §6).
local uv = require('luv')
print('libuv ' .. uv.version_string())

-- Close callbacks run in reverse order of the uv_close calls (rule 6.4); a
-- handle closed from a close callback is finished in the next iteration's
-- CLOSING phase (rule 6.8). Prepare and check mark the iterations.
local iteration = 0
local p, k = uv.new_prepare(), uv.new_check()
p:start(function() iteration = iteration + 1 ; print('iteration ' .. iteration .. ': prepare') end)
k:start(function() print('  check') end)
local timer, idle, tcp, late = uv.new_timer(), uv.new_idle(), uv.new_tcp(), uv.new_timer()
timer:start(60000, 0, function() end)
idle:start(function() print('  idle (never: closed before the loop runs)') end)
timer:close(function() print('  close timer') end)
idle:close(function() print('  close idle') end)
tcp:close(function()
  print('  close tcp (closes late)')
  late:close(function() print('  close late (stops prepare and check)') ; p:stop() ; k:stop() end)
end)
print('run default -> ' .. tostring(uv.run('default')))
p:close() ; k:close() ; uv.run('default')
uv.loop_close()
