-- Timers (uv_timer_t).

local core = require('core')
local uv = core.uv

core.define_kind('timer', function() return uv.new_timer() end)

-- UINT64_MAX cannot be written as a JSON number; -1 converts to it in
-- luv's uint64_t argument.
local function uint64(value)
  if value == 'UINT64_MAX' then return -1 end
  return value
end

local ops = {}

function ops.start(handle, name, args)
  local fn = core.handle_callback(args, name)
  local timeout = uint64(args.timeout or 0)
  local repeat_ms = uint64(args['repeat'] or 0)
  return core.outcome(pcall(handle.start, handle, timeout, repeat_ms, fn))
end

function ops.again(handle)
  return core.outcome(pcall(handle.again, handle))
end

function ops.setRepeat(handle, _, args)
  handle:set_repeat(uint64(args['repeat']))
  return nil
end

core.add_ops({ 'timer' }, ops)

-- libuv returns a uint64_t; luv pushes it as a signed Lua integer, so
-- values of 2^63 and above arrive negative. Undo that wrap.
local function unsigned(value)
  if value < 0 then value = value + 18446744073709551616.0 end
  return value
end

core.handle_values.dueIn = function(handle) return unsigned(handle:get_due_in()) end
core.handle_values['repeat'] = function(handle) return unsigned(handle:get_repeat()) end
