-- The luv twin of ../timer-vs-check.js: the same program on real libuv.
local uv = require('luv')

local function start_both(round)
  local timer = uv.new_timer()
  timer:start(0, 0, function()
    print(round .. ': timer')
    timer:close()
  end)
  local check = uv.new_check()
  check:start(function()
    print(round .. ': check')
    check:close()
  end)
end

start_both('round 1')
uv.run('default')

local wake
wake = uv.new_async(function()
  start_both('round 2')
  wake:close()
end)
wake:send()
uv.run('default')
