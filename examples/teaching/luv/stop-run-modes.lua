-- The luv twin of ../stop-run-modes.js.
local uv = require('luv')

-- Part 1
local timer = uv.new_timer()
local check = uv.new_check()
timer:start(0, 0, function()
  print('timer calls stop()')
  uv.stop()
end)
check:start(function() print('check') end)
print("part 1: run('default') returned " .. tostring(uv.run('default')))
timer:close()
check:close()
uv.run('default')

-- Part 2
local idle = uv.new_idle()
local calls = 0
idle:start(function()
  calls = calls + 1
  if calls == 2 then print('idle ' .. calls .. ' calls stop()') else print('idle ' .. calls) end
  if calls == 2 then uv.stop() end
end)
print("part 2: run('default') returned " .. tostring(uv.run('default')))

-- Part 3
print("part 3: run('once') returned " .. tostring(uv.run('once')))
print("part 3: run('nowait') returned " .. tostring(uv.run('nowait')))
idle:close(function() print('idle closed') end)
print("part 3: after close(), run('nowait') returned " .. tostring(uv.run('nowait')))
