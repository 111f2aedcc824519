-- FS poll handles (uv_fs_poll_t). `start` takes `path` (relative to the
-- run's directory, fs_paths.lua), `interval` (ms) and `callback`; the
-- callback prints `cb <handle> <status> prev=<stat> curr=<stat>` (with a
-- non-default callback name after the handle), a stat being `zero` for
-- libuv's all-zero stat and its size otherwise. `getpath` prints the path
-- as the scenario named it (with `logResult`), or the error.

local core = require('core')
local fs_paths = require('fs_paths')
local uv = core.uv

core.define_kind('fs_poll', function() return uv.new_fs_poll() end)

local function show_stat(st)
  if st == nil or st.mode == 0 then return 'zero' end
  return core.format_value(st.size)
end

local function make_poll_callback(handle_name, callback_name)
  return function(err, prev, curr)
    local spec = core.callbacks[callback_name] or {}
    local count = (core.call_counts[callback_name] or 0) + 1
    core.call_counts[callback_name] = count
    local status = err == nil and '0' or ((tostring(err):match('^([%w_]+)')) or tostring(err))
    if spec.log ~= false then
      local who = callback_name == handle_name and handle_name or (handle_name .. ' ' .. callback_name)
      core.emit('cb ' .. who .. ' ' .. status .. ' prev=' .. show_stat(prev) .. ' curr=' .. show_stat(curr))
    end
    if spec['do'] then
      core.run_callback_actions(spec, {
        handle = handle_name, callback = callback_name, count = count,
        status = err == nil and 'ok' or status,
      })
    end
  end
end

local ops = {}

function ops.start(handle, name, args)
  local callback_name = core.callback_arg(args, name)
  local fn = callback_name and make_poll_callback(name, callback_name) or nil
  return core.outcome(pcall(handle.start, handle, fs_paths.resolve(args.path), args.interval or 0, fn))
end

ops.getpath = fs_paths.getpath_op

core.add_ops({ 'fs_poll' }, ops)
