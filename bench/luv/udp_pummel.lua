-- udp_pummel for luv (libuv through Lua): the same program as
-- bench/udp-pummel.ts. SENDERS handles each keep WINDOW datagrams of SIZE
-- bytes in flight to one receiver on 127.0.0.1; a datagram's first byte
-- names its sender, which sends the next one when the receiver has it. The
-- clock starts at the first send; after the duration a timer takes the
-- figure (datagrams received over wall time) and closes everything.
-- Arguments: duration (ms), senders, window, size.
-- Prints one result line in the format bench/common.ts reads: BENCH {json}.
local uv = require('luv')

local HOST = '127.0.0.1'

local function cpu_seconds()
  local usage = uv.getrusage()
  return usage.utime.sec + usage.utime.usec / 1e6 + usage.stime.sec + usage.stime.usec / 1e6
end

local duration = tonumber(arg[1]) or 2000
local senders = tonumber(arg[2]) or 5
local window = tonumber(arg[3]) or 10
local size = tonumber(arg[4]) or 64
local received = 0
local done = false
local result

local receiver = uv.new_udp()
assert(receiver:bind(HOST, 0))
local port = receiver:getsockname().port

local handles = { receiver }
local payloads = {}
local sockets = {}
local function send(index)
  sockets[index]:send(payloads[index], HOST, port)
end

assert(receiver:recv_start(function(err, data)
  assert(not err, err)
  if not data then return end
  received = received + 1
  if not done then send(data:byte(1) + 1) end
end))

local start = uv.hrtime()
local cpu_start = cpu_seconds()
for index = 1, senders do
  payloads[index] = string.rep(string.char(index - 1), size)
  sockets[index] = uv.new_udp()
  handles[#handles + 1] = sockets[index]
  for _ = 1, window do send(index) end
end

local stopper = uv.new_timer()
handles[#handles + 1] = stopper
stopper:start(duration, 0, function()
  done = true
  local wall = (uv.hrtime() - start) / 1e9
  result = string.format(
    'BENCH {"value":%.3f,"unit":"dgram/s","detail":{"received":%d,"wall":%.6f,"cpu":%.6f}}',
    received / wall, received, wall, cpu_seconds() - cpu_start)
  for _, handle in ipairs(handles) do handle:close() end
end)

uv.run('default')
assert(result, 'the loop ended before the measurement')
print(result)
