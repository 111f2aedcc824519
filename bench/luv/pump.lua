-- pump for luv (libuv through Lua): the same program as bench/pump.ts.
-- One loopback TCP connection, both ends in this loop. The client keeps
-- WINDOW writes of CHUNK bytes queued (each write callback issues the next);
-- the server reads and counts. The clock starts in the connect callback;
-- after the duration a timer takes the figure (bytes read over wall time)
-- and closes everything. Arguments: duration (ms), chunk size, window.
-- Prints one result line in the format bench/common.ts reads: BENCH {json}.
local uv = require('luv')

local HOST = '127.0.0.1'

local function cpu_seconds()
  local usage = uv.getrusage()
  return usage.utime.sec + usage.utime.usec / 1e6 + usage.stime.sec + usage.stime.usec / 1e6
end

local duration = tonumber(arg[1]) or 2000
local chunk = string.rep('x', tonumber(arg[2]) or 65536)
local window = tonumber(arg[3]) or 4
local received = 0
local done = false
local result

local server = uv.new_tcp()
local client = uv.new_tcp()
local stopper = uv.new_timer()
local accepted

local function finish()
  done = true
  for _, handle in ipairs({ client, server, stopper, accepted }) do
    if not handle:is_closing() then handle:close() end
  end
end

-- Closing the client cancels the writes still queued (ECANCELED): expected then.
local function on_write(err)
  if done then return end
  assert(not err, err)
  client:write(chunk, on_write)
end

assert(server:bind(HOST, 0))
assert(server:listen(511, function(err)
  assert(not err, err)
  accepted = uv.new_tcp()
  server:accept(accepted)
  accepted:read_start(function(read_err, data)
    if data then
      received = received + #data
    elseif not done then
      error(read_err or 'unexpected EOF')
    end
  end)
end))

client:connect(HOST, server:getsockname().port, function(err)
  assert(not err, err)
  local cpu_start = cpu_seconds()
  local start = uv.hrtime()
  stopper:start(duration, 0, function()
    local wall = (uv.hrtime() - start) / 1e9
    result = string.format(
      'BENCH {"value":%.3f,"unit":"MB/s","detail":{"bytes":%d,"wall":%.6f,"cpu":%.6f}}',
      received / 1e6 / wall, received, wall, cpu_seconds() - cpu_start)
    finish()
  end)
  for _ = 1, window do client:write(chunk, on_write) end
end)

uv.run('default')
assert(result, 'the loop ended before the measurement')
print(result)
