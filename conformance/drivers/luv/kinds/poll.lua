-- Poll handles (uv_poll_t) on descriptors the scenario names without
-- numbers: `init` with kind 'poll' and `fdOf` (a stream handle: its
-- uv_fileno), or `source` 'regularFile', 'directory' or 'devNull' (the
-- driver opens one and closes it at exit). An init that fails prints
-- `<name>.init -> <ERROR>`. `start` takes `events`, a list of
-- 'readable', 'writable', 'disconnect', 'prioritized'; the callback prints
-- `cb <name> <status> <events>`, the events as luv spells them ('r', 'w',
-- 'd', 'p' in that order; nothing after an error). `readFd` reads up to
-- `size` bytes (default 64) from the descriptor and `writeFd` writes
-- `data` to it, as the user of a poll handle does.

local core = require('core')
local stream = require('stream')
local uv = core.uv

local opened = {}  -- descriptors this driver opened for `source`
local fds = {}     -- poll handle name -> its descriptor

local function descriptor(args)
  if args.fdOf ~= nil then
    local stream = core.lookup(args.fdOf)
    return stream:fileno()
  end
  local path, flags
  if args.source == 'regularFile' then
    path = os.tmpname()
    flags = 'r+'
  elseif args.source == 'directory' then
    path, flags = '/', 'r'
  elseif args.source == 'devNull' then
    path, flags = '/dev/null', 'r'
  else
    core.die('poll init needs fdOf or source')
  end
  local fd = assert(uv.fs_open(path, flags, 438))
  if args.source == 'regularFile' then os.remove(path) end
  opened[#opened + 1] = fd
  return fd
end

core.define_kind('poll', function(name, args)
  local fd = descriptor(args)
  local handle, _, error_name = uv.new_poll(fd)
  if handle == nil then return nil, error_name end
  fds[name] = fd
  return handle
end)

local EVENT_LETTERS = { readable = 'r', writable = 'w', disconnect = 'd', prioritized = 'p' }
local EVENT_ORDER = { 'readable', 'writable', 'disconnect', 'prioritized' }

-- luv takes the events as a string of letters in a fixed order.
local function luv_events(args)
  local wanted = {}
  for _, event in ipairs(args.events or {}) do wanted[event] = true end
  local letters = ''
  for _, event in ipairs(EVENT_ORDER) do
    if wanted[event] then letters = letters .. EVENT_LETTERS[event] end
  end
  return letters
end

local function poll_callback(args, name)
  local callback_name = core.callback_arg(args, name)
  if not callback_name then return nil end
  return core.result_callback(name, callback_name, function(err, events)
    if err ~= nil then
      return (tostring(err):match('^([%w_]+)')) or tostring(err), { status = 'error' }
    end
    return '0 ' .. (events or ''), { status = 'ok' }
  end)
end

local ops = {}

function ops.start(handle, name, args)
  return core.outcome(pcall(handle.start, handle, luv_events(args), poll_callback(args, name)))
end

-- The descriptor's data: `<name>.readFd -> "..."` with logResult, EOF for
-- a read of 0 bytes, the error name (EAGAIN) otherwise.
function ops.readFd(_, name, args)
  local data, _, error_name = uv.fs_read(fds[name], args.size or 64, -1)
  if data == nil then return error_name end
  if #data == 0 then return 'EOF' end
  return nil, stream.format_data(data)
end

function ops.writeFd(_, name, args)
  local written, _, error_name = uv.fs_write(fds[name], args.data, -1)
  if written == nil then return error_name end
  return nil, written
end

core.add_ops({ 'poll' }, ops)

core.at_exit(function()
  for _, fd in ipairs(opened) do uv.fs_close(fd) end
end)
