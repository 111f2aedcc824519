-- Process handles (uv_process_t). `init` with kind 'process' is uv_spawn:
-- libuv initializes and starts a process handle in one call. The program,
-- its arguments and its environment come from the scenario; its stdio
-- entries are 'ignore', {pipe = <pipe handle>} (UV_CREATE_PIPE, readable
-- and writable, which is what luv makes of a pipe) or {fd = 2} (the
-- driver's stderr: its stdout carries the trace). A spawn that fails prints
-- `<name>.init -> <ERROR>`; luv has already closed that handle, as uvts
-- does (libuv leaves the close to the caller, who never gets the handle in
-- either binding). The exit callback prints `cb <name> <status> <signal>`.

local core = require('core')
local uv = core.uv

-- The exit callback: `cb <handle> <status> <signal>` (with a callback name
-- other than the handle's: `cb <handle> <callback> <status> <signal>`).
local function exit_callback(args, name)
  local callback_name = core.callback_arg(args, name)
  if not callback_name then return nil end
  return core.result_callback(name, callback_name, function(status, signal)
    return status .. ' ' .. signal
  end)
end

local function stdio_of(args)
  local entries = {}
  local n = 0
  for index, entry in ipairs(args.stdio or {}) do
    n = index
    if type(entry) == 'table' and entry.pipe ~= nil then
      entries[index] = core.lookup(entry.pipe)
    elseif type(entry) == 'table' and entry.fd ~= nil then
      entries[index] = entry.fd
    end
  end
  -- A table constructor from the unpacked list keeps the nil entries
  -- ('ignore') in the array part, so luv sees every position.
  return { table.unpack(entries, 1, n) }
end

core.define_kind('process', function(name, args)
  local options = {
    args = args.args or {},
    stdio = stdio_of(args),
    env = args.env,
    cwd = args.cwd,
    detached = args.detached or false,
  }
  local handle, _, error_name = uv.spawn(args.file, options, exit_callback(args, name))
  if handle == nil then return nil, error_name end
  return handle
end)

local ops = {}

-- uv_process_kill. The loop-level `kill` (no handle) signals the driver
-- itself (kinds/signal.lua).
function ops.kill(handle, _, args)
  return core.outcome(pcall(handle.kill, handle, string.lower(args.signum)))
end

core.add_ops({ 'process' }, ops)
