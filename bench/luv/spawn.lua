-- spawn for luv (libuv through Lua): the same program as bench/spawn.ts.
-- Spawns /bin/true, waits for its exit callback, closes the handle and
-- spawns the next, one child at a time, for the duration (ms, first
-- argument). Reports spawn+exit round trips per second of wall time, with
-- the CPU time of this process. Prints one result line in the format
-- bench/common.ts reads: BENCH {json}.
local uv = require('luv')

local PROGRAM = '/bin/true'

local function cpu_seconds()
  local usage = uv.getrusage()
  return usage.utime.sec + usage.utime.usec / 1e6 + usage.stime.sec + usage.stime.usec / 1e6
end

local duration = tonumber(arg[1]) or 2000
local exits = 0
local start, cpu_start
local deadline

local function spawn_next()
  local handle
  handle = assert(uv.spawn(PROGRAM, { args = {} }, function(status, signal)
    assert(status == 0 and signal == 0, 'the child failed')
    exits = exits + 1
    handle:close()
    if uv.hrtime() < deadline then spawn_next() end
  end))
end

cpu_start = cpu_seconds()
start = uv.hrtime()
deadline = start + duration * 1e6
spawn_next()
uv.run('default')
local wall = (uv.hrtime() - start) / 1e9
print(string.format(
  'BENCH {"value":%.3f,"unit":"spawn/s","detail":{"exits":%d,"wall":%.6f,"cpu":%.6f}}',
  exits / wall, exits, wall, cpu_seconds() - cpu_start))
