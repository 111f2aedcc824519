-- A timer restarted inside the timers phase (docs/semantics.md §3, §10).
local uv = require('luv')
print('libuv ' .. uv.version_string())

-- The timer restarts itself with 0 ms from its own callback, twice. 1.44
-- reads the heap again after each callback and runs it again in the same
-- pass; 1.52 collects the due timers first and runs it in the next pass
-- (rules 3.9, 3.10, 10.2). The check watcher marks the iterations.
local t, c = uv.new_timer(), uv.new_check()
local n = 0
local function on_timer()
  n = n + 1
  print('  timer call ' .. n)
  if n < 3 then t:start(0, 0, on_timer) else t:close() end
end
t:start(0, 0, on_timer)
c:start(function() print('  check') ; if n == 3 then c:close() end end)
print('run default -> ' .. tostring(uv.run('default')))
uv.loop_close()
