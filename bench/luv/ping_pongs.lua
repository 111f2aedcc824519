-- ping_pongs for luv (libuv through Lua): the same program as bench/ping-pongs.ts.
-- One loopback TCP connection, client and server in this loop. The client
-- writes "PING\n", the server echoes what it reads, and the client sends the
-- next ping once all 5 bytes are back. The clock starts in the connect
-- callback; a timer ends the run after the duration (ms, first argument).
-- Reports round trips per second of wall time, with the CPU time of the same
-- window. Prints one result line in the format bench/common.ts reads:
-- BENCH {json}.
--
-- With 'poll' as the second argument the server side is the poll_echo
-- benchmark's (bench/poll-echo.ts): the accepted socket's descriptor is
-- watched by a poll handle (uv_poll_t) and read and written with plain fs
-- calls, as a library that owns its socket would.
local uv = require('luv')

local PING = 'PING\n'
local HOST = '127.0.0.1'

local function cpu_seconds()
  local usage = uv.getrusage()
  return usage.utime.sec + usage.utime.usec / 1e6 + usage.stime.sec + usage.stime.usec / 1e6
end

local duration = tonumber(arg[1]) or 2000
local poll_server = arg[2] == 'poll'
local done = false
local pongs = 0
local pending = 0
local start, cpu_start
local result

local server = uv.new_tcp()
local client = uv.new_tcp()
local stopper = uv.new_timer()
local accepted, poller

local function finish()
  for _, handle in ipairs({ client, server, stopper, accepted, poller }) do
    if not handle:is_closing() then handle:close() end
  end
end

-- The poll server: echo whatever the descriptor has, until EOF.
local function poll_echo(fd)
  poller = uv.new_poll(fd)
  poller:start('r', function(poll_err)
    assert(not poll_err, poll_err)
    local data = uv.fs_read(fd, 65536, -1)
    if data and #data > 0 then
      assert(uv.fs_write(fd, data, -1) == #data)
    elseif data then
      poller:stop()
    end
  end)
end

assert(server:bind(HOST, 0))
assert(server:listen(511, function(err)
  assert(not err, err)
  accepted = uv.new_tcp()
  server:accept(accepted)
  if poll_server then return poll_echo(accepted:fileno()) end
  accepted:read_start(function(read_err, data)
    assert(not read_err, read_err)
    if data then
      accepted:write(data)
    elseif not accepted:is_closing() then
      accepted:close()
    end
  end)
end))

client:connect(HOST, server:getsockname().port, function(err)
  assert(not err, err)
  cpu_start = cpu_seconds()
  start = uv.hrtime()
  stopper:start(duration, 0, function() done = true end)
  client:read_start(function(read_err, data)
    assert(not read_err, read_err)
    assert(data, 'unexpected EOF')
    pending = pending + #data
    if pending < #PING then return end
    pending = pending - #PING
    pongs = pongs + 1
    if not done then
      client:write(PING)
      return
    end
    local wall = (uv.hrtime() - start) / 1e9
    result = string.format(
      'BENCH {"value":%.3f,"unit":"rt/s","detail":{"pongs":%d,"wall":%.6f,"cpu":%.6f}}',
      pongs / wall, pongs, wall, cpu_seconds() - cpu_start)
    finish()
  end)
  client:write(PING)
end)

uv.run('default')
assert(result, 'the loop ended before the measurement')
print(result)
