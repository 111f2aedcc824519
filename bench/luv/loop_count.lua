-- loop_count for luv (libuv through Lua): the same program as bench/loop-count.ts.
-- An idle watcher counts iterations; a timer closes both handles after the
-- duration (ms, first argument), so uv.run() returns. Prints one result line
-- in the format bench/common.ts reads: BENCH {json}.
local uv = require('luv')

local duration = tonumber(arg[1]) or 2000
local ticks = 0

local idle = uv.new_idle()
idle:start(function()
  ticks = ticks + 1
end)

local stopper = uv.new_timer()
local start = uv.hrtime()
stopper:start(duration, 0, function()
  idle:close()
  stopper:close()
end)
uv.run('default')
local seconds = (uv.hrtime() - start) / 1e9

print(string.format('BENCH {"value":%.3f,"unit":"iter/s","detail":{"ticks":%d,"seconds":%.6f}}',
  ticks / seconds, ticks, seconds))
