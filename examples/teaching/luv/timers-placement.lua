-- The luv twin of ../timers-placement.js.
local uv = require('luv')

local timer = uv.new_timer()
timer:start(0, 0, function() print('timer') end)
local prepare = uv.new_prepare()
prepare:start(function() print('prepare') end)
local check = uv.new_check()
check:start(function() print('check') end)

print("run('nowait') returned " .. tostring(uv.run('nowait')))
timer:close()
prepare:close()
check:close()
uv.run('default')
