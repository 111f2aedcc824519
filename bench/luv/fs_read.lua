-- fs_read for luv (libuv through Lua): the same program as bench/fs-read.ts.
-- WINDOW asynchronous positional reads of CHUNK bytes are kept in flight
-- over one file (each callback issues the next read, wrapping around at
-- the end) for the duration; the figure is MB (10^6 bytes) read per second of wall
-- time. Arguments: duration (ms), chunk size, window, path.
-- Prints one result line in the format bench/common.ts reads: BENCH {json}.
local uv = require('luv')

local duration = tonumber(arg[1]) or 2000
local chunk = tonumber(arg[2]) or 65536
local window = tonumber(arg[3]) or 4
local path = assert(arg[4], 'fs_read.lua needs the path of the file to read')

local function cpu_seconds()
  local usage = uv.getrusage()
  return usage.utime.sec + usage.utime.usec / 1e6 + usage.stime.sec + usage.stime.usec / 1e6
end

local fd = assert(uv.fs_open(path, 'r', 0))
local size = assert(uv.fs_fstat(fd)).size
local next_offset = 0
local bytes = 0
local stopping = false
local start = uv.hrtime()
local cpu_start = cpu_seconds()
local elapsed
local counted

local function issue(on_read)
  local offset = next_offset
  next_offset = next_offset + chunk
  if next_offset >= size then next_offset = 0 end
  uv.fs_read(fd, chunk, offset, on_read)
end

local function on_read(err, data)
  assert(not err, err)
  bytes = bytes + #data
  if stopping then return end
  issue(on_read)
end

for _ = 1, window do issue(on_read) end

local stopper = uv.new_timer()
stopper:start(duration, 0, function()
  stopping = true
  elapsed = (uv.hrtime() - start) / 1e9
  counted = bytes
  stopper:close()
end)
uv.run('default')
uv.fs_close(fd)
local cpu = cpu_seconds() - cpu_start
print(string.format('BENCH {"value":%.3f,"unit":"MB/s","detail":{"bytes":%d,"wall":%.6f,"cpu":%.6f}}',
  counted / 1e6 / elapsed, counted, elapsed, cpu))
