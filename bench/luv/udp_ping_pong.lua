-- udp_ping_pong for luv (libuv through Lua): the same program as
-- bench/udp-ping-pong.ts. A client and a server on 127.0.0.1 in one loop:
-- the client sends "PING", the server sends every datagram back to its
-- sender, and the client sends the next ping when the pong arrives, so
-- exactly one datagram is ever in flight. The clock starts at the first
-- ping; a timer ends the run after the duration (ms, first argument).
-- Reports round trips per second of wall time. Prints one result line in
-- the format bench/common.ts reads: BENCH {json}.
local uv = require('luv')

local HOST = '127.0.0.1'
local PING = 'PING'

local function cpu_seconds()
  local usage = uv.getrusage()
  return usage.utime.sec + usage.utime.usec / 1e6 + usage.stime.sec + usage.stime.usec / 1e6
end

local duration = tonumber(arg[1]) or 2000
local done = false
local pongs = 0
local result

local server = uv.new_udp()
local client = uv.new_udp()
local stopper = uv.new_timer()
assert(server:bind(HOST, 0))
assert(client:bind(HOST, 0))
local server_port = server:getsockname().port

assert(server:recv_start(function(err, data, addr)
  assert(not err, err)
  if data then server:send(data, addr.ip, addr.port) end
end))

local start = uv.hrtime()
local cpu_start = cpu_seconds()
assert(client:recv_start(function(err, data)
  assert(not err, err)
  if not data then return end
  pongs = pongs + 1
  if not done then
    client:send(PING, HOST, server_port)
    return
  end
  local wall = (uv.hrtime() - start) / 1e9
  result = string.format(
    'BENCH {"value":%.3f,"unit":"rt/s","detail":{"pongs":%d,"wall":%.6f,"cpu":%.6f}}',
    pongs / wall, pongs, wall, cpu_seconds() - cpu_start)
  for _, handle in ipairs({ client, server, stopper }) do handle:close() end
end))

stopper:start(duration, 0, function() done = true end)
client:send(PING, HOST, server_port)

uv.run('default')
assert(result, 'the loop ended before the measurement')
print(result)
