-- UDP handles (uv_udp_t). Everything runs on 127.0.0.1, and no port number
-- reaches a scenario or a trace: `bind` binds port 0 (or the port another
-- handle bound, `portOf`), `send`/`connect` name the handle to reach (`to`),
-- and a received datagram's sender is printed as the name of the handle
-- bound to its port (`from c`), found by asking every UDP handle of the
-- scenario for its port when the datagram arrives.
--
-- Callbacks default to '<handle>.send' and '<handle>.recv'. A receive
-- callback prints the datagram (`cb s recv "PING" from c`, `PARTIAL` when
-- truncated), the error name, or `nothing` for libuv's "nothing more to
-- read" call (nread 0 and no address; luv passes it on as (nil, nil, nil)).
-- Its status, for `when`, is 'ok' for a datagram, 'none' for the
-- nothing-more call and the error name otherwise.

local core = require('core')
local stream = require('stream')
local uv = core.uv

core.define_kind('udp', function() return uv.new_udp() end)

local ports = {} -- scenario name of a handle that bound -> its port, while it is known

-- The port of handle `name`, from what it bound or from getsockname now
-- (a handle bound implicitly by send, recv_start or connect).
local function port_of(name)
  if ports[name] then return ports[name] end
  local handle = core.handles[name]
  if handle == nil or handle:get_type() ~= 'udp' or handle:is_closing() then return nil end
  local address = handle:getsockname()
  return address and address.port or nil
end

-- The scenario name of the UDP handle bound to `port`, or '?'.
local function sender_name(port)
  for name, handle in pairs(core.handles) do
    if handle:get_type() == 'udp' and port_of(name) == port then return name end
  end
  return '?'
end

local function target_port(args)
  local port = port_of(args.to)
  if port == nil then core.die(tostring(args.to) .. ' has no port') end
  return port
end

-- The datagram a send carries: literal `data`, `size` bytes of 'x', or
-- (`echo`) the datagram of the running receive callback.
local function payload(args, context)
  if args.data ~= nil then return args.data end
  if args.size ~= nil then return string.rep('x', args.size) end
  if args.echo then
    if not (context and context.data) then core.die('echo outside a receive callback with data') end
    return context.data
  end
  core.die('send needs data, size or echo')
end

-- Where a send goes: `to` (a handle's port on 127.0.0.1), `toSender` (the
-- sender of the running receive callback), or nowhere (a connected handle).
local function destination(args, context)
  if args.toSender then
    if not (context and context.address) then core.die('toSender outside a receive callback') end
    return context.address.ip, context.address.port
  end
  if args.to ~= nil then return stream.LOOPBACK, target_port(args) end
  return nil, nil
end

local function send_callback(handle_name, callback_name)
  return function(err)
    local spec = core.callbacks[callback_name] or {}
    local count = (core.call_counts[callback_name] or 0) + 1
    core.call_counts[callback_name] = count
    local result = err ~= nil and stream.error_name(err) or '0'
    if spec.log ~= false then
      local word = callback_name == handle_name .. '.send' and 'send' or callback_name
      core.emit('cb ' .. handle_name .. ' ' .. word .. ' ' .. result)
    end
    if spec['do'] then
      core.run_callback_actions(spec, {
        handle = handle_name, callback = callback_name, count = count,
        status = err ~= nil and result or 'ok',
      })
    end
  end
end

local function recv_callback(handle_name, callback_name)
  return function(err, data, address, flags)
    local spec = core.callbacks[callback_name] or {}
    local count = (core.call_counts[callback_name] or 0) + 1
    core.call_counts[callback_name] = count
    local result, status
    if err ~= nil then
      result = stream.error_name(err)
      status = result
    elseif data == nil then
      result, status = 'nothing', 'none'
    else
      result = stream.format_data(data) .. ' from ' .. sender_name(address.port)
      if flags and flags.partial then result = result .. ' PARTIAL' end
      status = 'ok'
    end
    if spec.log ~= false then
      local word = callback_name == handle_name .. '.recv' and 'recv' or callback_name
      core.emit('cb ' .. handle_name .. ' ' .. word .. ' ' .. result)
    end
    if spec['do'] then
      core.run_callback_actions(spec, {
        handle = handle_name, callback = callback_name, count = count,
        status = status, data = data, nread = data and #data or 0, address = address,
      })
    end
  end
end

local function named_callback(args, name, event, make)
  local callback_name = core.callback_arg(args, name .. '.' .. event)
  return callback_name and make(name, callback_name) or nil
end

local ops = {}

function ops.bind(handle, name, args)
  local port = 0
  if args.portOf ~= nil then port = port_of(args.portOf) or core.die(args.portOf .. ' has no port') end
  local flags = args.reuseAddr and { reuseaddr = true } or nil
  local code = core.outcome(pcall(handle.bind, handle, args.any and '0.0.0.0' or stream.LOOPBACK, port, flags))
  if not code then ports[name] = handle:getsockname().port end
  return code
end

-- `times` sends in a row, as separate requests; the first error ends them.
function ops.send(handle, name, args, context)
  local data = payload(args, context)
  local ip, port = destination(args, context)
  for _ = 1, args.times or 1 do
    local fn = named_callback(args, name, 'send', send_callback)
    local code = core.outcome(pcall(handle.send, handle, data, ip, port, fn))
    if code then return code end
  end
  return nil
end

-- `times` datagrams in a row; the first error ends them. The result is the
-- byte count of the last one.
function ops.trySend(handle, _, args, context)
  local ip, port = destination(args, context)
  local data = payload(args, context)
  local code, sent
  for _ = 1, args.times or 1 do
    local ok, result, message, error_name = pcall(handle.try_send, handle, data, ip, port)
    code = core.outcome(ok, result, message, error_name)
    if code then return code end
    sent = result
  end
  return nil, sent
end

function ops.recvStart(handle, name, args)
  return core.outcome(pcall(handle.recv_start, handle, named_callback(args, name, 'recv', recv_callback)))
end

function ops.recvStop(handle)
  return core.outcome(pcall(handle.recv_stop, handle))
end

function ops.connect(handle, _, args)
  return core.outcome(pcall(handle.connect, handle, stream.LOOPBACK, target_port(args)))
end

function ops.disconnect(handle)
  return core.outcome(pcall(handle.connect, handle, nil, nil))
end

function ops.getsockname(handle)
  return core.outcome(pcall(handle.getsockname, handle))
end

function ops.getpeername(handle)
  return core.outcome(pcall(handle.getpeername, handle))
end

function ops.setTtl(handle, _, args)
  return core.outcome(pcall(handle.set_ttl, handle, args.ttl))
end

function ops.setMulticastTtl(handle, _, args)
  return core.outcome(pcall(handle.set_multicast_ttl, handle, args.ttl))
end

function ops.setBroadcast(handle, _, args)
  return core.outcome(pcall(handle.set_broadcast, handle, args.on))
end

function ops.setMulticastLoop(handle, _, args)
  return core.outcome(pcall(handle.set_multicast_loop, handle, args.on))
end

function ops.setMulticastInterface(handle, _, args)
  return core.outcome(pcall(handle.set_multicast_interface, handle, args.address))
end

function ops.setMembership(handle, _, args)
  return core.outcome(pcall(handle.set_membership, handle, args.group, args.address, args.membership))
end

core.add_ops({ 'udp' }, ops)

local values = core.handle_values
function values.sendQueueSize(handle) return handle:get_send_queue_size() end
function values.sendQueueCount(handle) return handle:get_send_queue_count() end
