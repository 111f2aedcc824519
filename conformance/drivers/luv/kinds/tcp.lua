-- TCP handles (uv_tcp_t). Everything runs on 127.0.0.1. A handle that
-- listened remembers its port (getsockname right after listen), and a
-- connect names that handle (`to`) instead of a port, so no port number
-- ever reaches a scenario or a trace.

local core = require('core')
local stream = require('stream')

core.define_kind('tcp', function() return core.uv.new_tcp() end)

local ports = {} -- scenario name of a handle that listened -> its port

stream.after_listen.tcp = function(handle, name)
  ports[name] = handle:getsockname().port
end

local ops = {}

function ops.bind(handle)
  return core.outcome(pcall(handle.bind, handle, stream.LOOPBACK, 0))
end

function ops.connect(handle, name, args)
  local port = ports[args.to]
  if port == nil then core.die('connect: ' .. tostring(args.to) .. ' has not listened') end
  local fn = stream.callback(args, name, 'connect')
  return core.outcome(pcall(handle.connect, handle, stream.LOOPBACK, port, fn))
end

core.add_ops({ 'tcp' }, stream.ops)
core.add_ops({ 'tcp' }, ops)
