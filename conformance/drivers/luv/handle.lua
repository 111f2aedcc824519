-- What every handle has (uv_handle_t): `init`, close, ref/unref, the state
-- probes, and the start/stop pair of the handles whose start takes only a
-- callback (idle, prepare, check; kinds with other arguments override them).

local core = require('core')

local handle = {}

function handle.init(action, args, context)
  local name = core.resolve_name(action.handle, context)
  local new = core.constructors[args.kind]
  if not new then
    core.skip('handle kind ' .. tostring(args.kind) .. ' is not supported by the luv driver')
  end
  -- A kind whose init can fail (a spawn, a poll on a bad descriptor)
  -- returns nil and libuv's error name; the handle then does not exist.
  local created, error_name = new(name, args)
  if created == nil then
    core.emit(name .. '.init -> ' .. tostring(error_name))
    return
  end
  core.handles[name] = created
  core.names[created] = name
end

local ops = core.common_ops

function ops.start(h, name, args)
  return core.outcome(pcall(h.start, h, core.handle_callback(args, name)))
end

function ops.stop(h)
  return core.outcome(pcall(h.stop, h))
end

function ops.close(h, name, args)
  h:close(core.close_callback(args, name))
  return nil
end

function ops.ref(h)
  h:ref()
  return nil
end

function ops.unref(h)
  h:unref()
  return nil
end

local values = core.handle_values
function values.active(h) return h:is_active() end
function values.closing(h) return h:is_closing() end
function values.hasRef(h) return h:has_ref() end
function values.type(h) return h:get_type() end

return handle
