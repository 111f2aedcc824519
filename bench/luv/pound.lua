-- pound for luv (libuv through Lua): the same program as bench/pound.ts.
-- An echo server and CONCURRENCY clients in this loop. Each client
-- connects, starts reading, writes "QS" and closes when the echo arrives;
-- the server echoes and closes on EOF. Each close callback starts a new
-- client until the duration is up; then the last clients drain and the loop
-- ends. Reports completed connections over the wall time of the whole run
-- (libuv's tcp4_pound figure). Arguments: duration (ms), concurrency.
-- Prints one result line in the format bench/common.ts reads: BENCH {json}.
local uv = require('luv')

local HOST = '127.0.0.1'
local MESSAGE = 'QS'

local function cpu_seconds()
  local usage = uv.getrusage()
  return usage.utime.sec + usage.utime.usec / 1e6 + usage.stime.sec + usage.stime.usec / 1e6
end

local duration = tonumber(arg[1]) or 2000
local concurrency = tonumber(arg[2]) or 100
local completed, failed, running = 0, 0, 0
local result

local server = uv.new_tcp()
assert(server:bind(HOST, 0))
assert(server:listen(511, function(err)
  assert(not err, err)
  local connection = uv.new_tcp()
  server:accept(connection)
  connection:read_start(function(_, data)
    if data then
      connection:write(data)
    elseif not connection:is_closing() then
      connection:close()
    end
  end)
end))
local port = server:getsockname().port

local cpu_start = cpu_seconds()
local start = uv.hrtime()
local deadline = start + duration * 1e6
local start_client

local function closed(ok)
  running = running - 1
  if ok then completed = completed + 1 else failed = failed + 1 end
  if uv.hrtime() < deadline then
    start_client()
  elseif running == 0 then
    local wall = (uv.hrtime() - start) / 1e9
    result = string.format(
      'BENCH {"value":%.3f,"unit":"conn/s","detail":{"completed":%d,"failed":%d,"wall":%.6f,"cpu":%.6f}}',
      completed / wall, completed, failed, wall, cpu_seconds() - cpu_start)
    server:close()
  end
end

start_client = function()
  running = running + 1
  local client = uv.new_tcp()
  client:connect(HOST, port, function(err)
    if err then
      client:close(function() closed(false) end)
      return
    end
    client:read_start(function(read_err, data)
      local ok = data ~= nil or read_err == nil
      if not client:is_closing() then client:close(function() closed(ok) end) end
    end)
    client:write(MESSAGE)
  end)
end

for _ = 1, concurrency do start_client() end
uv.run('default')
assert(result, 'the loop ended before the measurement')
print(result)
