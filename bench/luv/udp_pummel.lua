-- udp_pummel for luv (libuv through Lua): the same program as
-- bench/udp-pummel.ts (libuv's benchmark-udp-pummel.c, senders and one
-- receiver in one loop). SENDERS handles each keep one datagram of SIZE
-- bytes in flight, sending the next from the send callback; one receiver on
-- 127.0.0.1 counts what arrives. The clock starts at the first send; after
-- the duration a timer takes the figure (datagrams received over wall time)
-- and closes everything. Arguments: duration (ms), senders, size.
-- Prints one result line in the format bench/common.ts reads: BENCH {json}.
local uv = require('luv')

local HOST = '127.0.0.1'

local function cpu_seconds()
  local usage = uv.getrusage()
  return usage.utime.sec + usage.utime.usec / 1e6 + usage.stime.sec + usage.stime.usec / 1e6
end

local duration = tonumber(arg[1]) or 2000
local senders = tonumber(arg[2]) or 5
local payload = string.rep('x', tonumber(arg[3]) or 64)
local received, sent = 0, 0
local done = false
local result

local receiver = uv.new_udp()
assert(receiver:bind(HOST, 0))
local port = receiver:getsockname().port
assert(receiver:recv_start(function(err, data)
  assert(not err, err)
  if data then received = received + 1 end
end))

local handles = { receiver }
local function send_next(sender)
  if done then return end
  sender:send(payload, HOST, port, function(err)
    if done then return end -- ECANCELED once the handles close
    assert(not err, err)
    sent = sent + 1
    send_next(sender)
  end)
end

local start = uv.hrtime()
local cpu_start = cpu_seconds()
for _ = 1, senders do
  local sender = uv.new_udp()
  handles[#handles + 1] = sender
  send_next(sender)
end

local stopper = uv.new_timer()
handles[#handles + 1] = stopper
stopper:start(duration, 0, function()
  done = true
  local wall = (uv.hrtime() - start) / 1e9
  result = string.format(
    'BENCH {"value":%.3f,"unit":"dgram/s","detail":{"received":%d,"sent":%d,"wall":%.6f,"cpu":%.6f}}',
    received / wall, received, sent, wall, cpu_seconds() - cpu_start)
  for _, handle in ipairs(handles) do handle:close() end
end)

uv.run('default')
assert(result, 'the loop ended before the measurement')
print(result)
