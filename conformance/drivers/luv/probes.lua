-- Probes: the values a `log` action can print. Loop and clock values live
-- here; a handle's values come from core.handle_values, which handle.lua
-- and the handle-kind modules fill.

local core = require('core')
local uv = core.uv

local probes = {}

function probes.clock_value(clock)
  if clock == 'hrtime' then return uv.hrtime() // 1000000 end
  return uv.now()
end

function probes.probe(args, action, context)
  local value_name = args.value
  local label, value
  if value_name == 'alive' then
    label, value = 'alive', uv.loop_alive()
  elseif value_name == 'timeout' then
    label, value = 'timeout', uv.backend_timeout()
  elseif value_name == 'now' or value_name == 'hrtime' then
    -- Raw clock values are never deterministic; they are only printed
    -- relative to a mark and through a comparison.
    if not args.minus or not args.cmp then core.die(value_name .. ' needs minus and cmp') end
    local base = core.marks[args.minus]
    if base == nil then core.die('unknown mark ' .. args.minus) end
    label, value = value_name .. '-' .. args.minus, probes.clock_value(value_name) - base
  elseif value_name == 'count' then
    label, value = 'count(' .. args.callback .. ')', core.call_counts[args.callback] or 0
  elseif value_name == 'counter' then
    label, value = 'counter(' .. args.counter .. ')', core.counters[args.counter] or 0
  else
    local handle, name = core.lookup(action.handle, context)
    local read = core.handle_values[value_name]
    if not read then core.die('unknown log value ' .. tostring(value_name)) end
    value = read(handle)
    label = name .. '.' .. value_name
  end
  if args.cmp then
    core.emit(label .. ' ' .. args.cmp .. ' ' .. core.format_value(args.than) .. ' : '
      .. core.format_value(core.compare(value, args.cmp, args.than)))
  else
    core.emit(label .. ' = ' .. core.format_value(value))
  end
end

return probes
