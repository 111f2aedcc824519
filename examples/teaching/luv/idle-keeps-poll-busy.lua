-- The luv twin of ../idle-keeps-poll-busy.js.
local uv = require('luv')

local timer = uv.new_timer()
local idle = uv.new_idle()
local prepare = uv.new_prepare()

local spins = 0
idle:start(function()
  spins = spins + 1
  if spins < 3 then print('idle ' .. spins) else print('idle ' .. spins .. ', stopping') end
  if spins == 3 then idle:stop() end
end)
prepare:start(function()
  if uv.backend_timeout() == 0 then
    print('prepare: POLL will not block')
  else
    print('prepare: POLL may block until the timer')
  end
end)
timer:start(200, 0, function()
  print('timer')
  timer:close()
  prepare:close()
  idle:close()
end)

uv.run('default')
