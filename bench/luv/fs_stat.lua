-- fs_stat for luv (libuv through Lua): the same program as bench/fs-stat.ts.
-- WINDOW asynchronous stats of one file are kept in flight (each callback
-- issues the next) for the duration; the figure is completed stats per
-- second of wall time. Arguments: duration (ms), window, path.
-- Prints one result line in the format bench/common.ts reads: BENCH {json}.
local uv = require('luv')

local duration = tonumber(arg[1]) or 2000
local window = tonumber(arg[2]) or 64
local path = arg[3] or '/tmp'

local function cpu_seconds()
  local usage = uv.getrusage()
  return usage.utime.sec + usage.utime.usec / 1e6 + usage.stime.sec + usage.stime.usec / 1e6
end

local done = 0
local stopping = false
local start = uv.hrtime()
local cpu_start = cpu_seconds()
local elapsed
local counted

local function on_stat(err)
  assert(not err, err)
  done = done + 1
  if stopping then return end
  uv.fs_stat(path, on_stat)
end

for _ = 1, window do uv.fs_stat(path, on_stat) end

local stopper = uv.new_timer()
stopper:start(duration, 0, function()
  stopping = true
  elapsed = (uv.hrtime() - start) / 1e9
  counted = done
  stopper:close()
end)
uv.run('default')
local cpu = cpu_seconds() - cpu_start
print(string.format('BENCH {"value":%.3f,"unit":"stat/s","detail":{"stats":%d,"wall":%.6f,"cpu":%.6f}}',
  counted / elapsed, counted, elapsed, cpu))
