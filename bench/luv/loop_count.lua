-- loop_count for luv (libuv through Lua): the same program as bench/loop-count.ts.
-- An idle watcher counts iterations; a timer closes both handles after the
-- duration (ms, first argument), so uv.run() returns. Reports iterations per
-- second of wall time, with the CPU time of the same window. Prints one
-- result line in the format bench/common.ts reads: BENCH {json}.
local uv = require('luv')

local function cpu_seconds()
  local usage = uv.getrusage()
  return usage.utime.sec + usage.utime.usec / 1e6 + usage.stime.sec + usage.stime.usec / 1e6
end

local duration = tonumber(arg[1]) or 2000
local ticks = 0

local idle = uv.new_idle()
idle:start(function()
  ticks = ticks + 1
end)

local stopper = uv.new_timer()
local cpu_start = cpu_seconds()
local start = uv.hrtime()
stopper:start(duration, 0, function()
  idle:close()
  stopper:close()
end)
uv.run('default')
local wall = (uv.hrtime() - start) / 1e9
local cpu = cpu_seconds() - cpu_start

print(string.format('BENCH {"value":%.3f,"unit":"iter/s","detail":{"ticks":%d,"wall":%.6f,"cpu":%.6f}}',
  ticks / wall, ticks, wall, cpu))
