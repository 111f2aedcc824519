-- million_timers for luv (libuv through Lua): the same program as
-- bench/million-timers.ts. Starts COUNT timers (first argument) with
-- timeouts i % 100 ms and reports the seconds from starting the first timer
-- to the last callback, split into init (starting them all) and dispatch,
-- with the CPU time of the same window. Prints one result line in the
-- format bench/common.ts reads: BENCH {json}.
local uv = require('luv')

local function cpu_seconds()
  local usage = uv.getrusage()
  return usage.utime.sec + usage.utime.usec / 1e6 + usage.stime.sec + usage.stime.usec / 1e6
end

local count = tonumber(arg[1]) or 1000000
local called = 0
local last, cpu_last = 0, 0

local function on_timeout()
  called = called + 1
  if called == count then
    last = uv.hrtime()
    cpu_last = cpu_seconds()
  end
end

local timers = {}
local cpu_start = cpu_seconds()
local start = uv.hrtime()
for i = 0, count - 1 do
  local timer = uv.new_timer()
  timer:start(i % 100, 0, on_timeout)
  timers[i + 1] = timer
end
local started = uv.hrtime()
uv.run('default')
assert(called == count, 'not every timer fired')

-- Cleanup, outside the measurement (libuv's benchmark reports it apart).
for i = 1, count do timers[i]:close() end
uv.run('default')

local wall = (last - start) / 1e9
print(string.format(
  'BENCH {"value":%.6f,"unit":"s","detail":{"timers":%d,"init":%.6f,"dispatch":%.6f,' ..
  '"wall":%.6f,"cpu":%.6f}}',
  wall, count, (started - start) / 1e9, (last - started) / 1e9, wall, cpu_last - cpu_start))
