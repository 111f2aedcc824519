-- Pipes (uv_pipe_t, not IPC). `bind` picks a fresh path in the temporary
-- directory (with this process's pid and the handle's name) and remembers
-- it; `connect` and `bind {pathOf}` name the handle, never the path. The
-- paths are removed when the scenario ends.

local core = require('core')
local stream = require('stream')
local uv = core.uv

-- uv_pipe_init(loop, pipe, 0): not an IPC pipe.
core.define_kind('pipe', function() return uv.new_pipe(false) end)

local paths = {}        -- scenario name of a pipe that bound -> its path
local made_paths = {}   -- every path a bind succeeded on, removed at exit
local path_serial = 0   -- makes a re-used handle name bind a fresh path

-- A fresh socket path for pipe `name`: no pid or path may reach the trace,
-- so scenarios only ever name the handle.
local function fresh_pipe_path(name)
  path_serial = path_serial + 1
  local dir = os.getenv('TMPDIR') or '/tmp'
  return string.format('%s/uvts-conformance-luv-%d-%s-%d.sock', dir, uv.os_getpid(), name, path_serial)
end

local ops = {}

function ops.bind(handle, name, args)
  local path
  if args.pathOf ~= nil then
    path = paths[args.pathOf]
    if path == nil then core.die('bind: ' .. tostring(args.pathOf) .. ' has not bound') end
  else
    path = fresh_pipe_path(name)
  end
  local code = core.outcome(pcall(handle.bind, handle, path))
  if not code then
    paths[name] = path
    made_paths[#made_paths + 1] = path
  end
  return code
end

function ops.connect(handle, name, args)
  local path = paths[args.to]
  if path == nil then core.die('connect: ' .. tostring(args.to) .. ' has not bound') end
  -- uv_pipe_connect returns nothing: every failure reaches the callback.
  return core.outcome(pcall(handle.connect, handle, path, stream.callback(args, name, 'connect')))
end

core.add_ops({ 'pipe' }, stream.ops)
core.add_ops({ 'pipe' }, ops)

-- libuv unlinks a bound pipe's path when the pipe closes; remove what a
-- scenario left (or a failed run) anyway.
core.at_exit(function()
  for _, path in ipairs(made_paths) do os.remove(path) end
end)
