-- FS event handles (uv_fs_event_t). `start` takes `path` (relative to the
-- run's directory, fs_paths.lua), `flags` (libuv's integer; Linux ignores
-- them) and `callback`; each event prints `cb <handle> <filename>
-- <events>` (with a non-default callback name after the handle), the
-- events as `rename`, `change` or `rename|change`. `getpath` prints the
-- path as the scenario named it (with `logResult`), or the error.

local core = require('core')
local fs_paths = require('fs_paths')
local uv = core.uv

core.define_kind('fs_event', function() return uv.new_fs_event() end)

local function show_events(events)
  local parts = {}
  if events.rename then parts[#parts + 1] = 'rename' end
  if events.change then parts[#parts + 1] = 'change' end
  return table.concat(parts, '|')
end

local function make_event_callback(handle_name, callback_name)
  return function(err, filename, events)
    local spec = core.callbacks[callback_name] or {}
    local count = (core.call_counts[callback_name] or 0) + 1
    core.call_counts[callback_name] = count
    local result
    if err ~= nil then
      result = (tostring(err):match('^([%w_]+)')) or tostring(err)
    else
      result = tostring(filename) .. ' ' .. show_events(events or {})
    end
    if spec.log ~= false then
      local who = callback_name == handle_name and handle_name or (handle_name .. ' ' .. callback_name)
      core.emit('cb ' .. who .. ' ' .. result)
    end
    if spec['do'] then
      core.run_callback_actions(spec, {
        handle = handle_name, callback = callback_name, count = count,
        status = err == nil and 'ok' or result,
      })
    end
  end
end

-- luv takes the start flags as a table of booleans.
local function flag_table(flags)
  flags = flags or 0
  return { watch_entry = flags & 1 ~= 0, stat = flags & 2 ~= 0, recursive = flags & 4 ~= 0 }
end

local ops = {}

function ops.start(handle, name, args)
  local callback_name = core.callback_arg(args, name)
  local fn = callback_name and make_event_callback(name, callback_name) or nil
  return core.outcome(pcall(handle.start, handle, fs_paths.resolve(args.path), flag_table(args.flags), fn))
end

ops.getpath = fs_paths.getpath_op

core.add_ops({ 'fs_event' }, ops)
