-- fs requests (uv_fs_t): the `fs` operation calls one uv_fs_* function,
-- synchronously without a `callback`, otherwise as a request whose
-- callback prints `cb fs <callback> <result>`; with `request` the request
-- is kept under that name for work.lua's `cancel`, and the pool is sized
-- (the scenario's threadpoolSize) before the first one. Paths are relative to the run's
-- directory (fs_paths.lua); `as` keeps a result (a descriptor, a directory
-- stream) under a name that later `fd`, `inFd`, `outFd` or `dir` use.
--
-- Results print the same way in both drivers: an error name, or for
-- success `0`, except read (the data), write and sendfile (the count),
-- open and mkstemp (`fd`), opendir (`dir`), readdir (the number of
-- entries: their order is the kernel's), scandir (the entries as
-- `[name:type, …]`), stat/lstat/fstat (`<type> size=<n>`), readlink (the
-- target), realpath and mkdtemp (the path, `$tmp/...`, with mkdtemp's six
-- random characters as `??????`), statfs (`frsize` or `no-frsize`).
--
-- Where luv stands between the scenario and libuv:
--   * luv's fs_copyfile turns an integer with an unknown bit into a call
--     whose result is 0 ("Unknown system error 0"); the scenarios use only
--     libuv's three flags.
--   * luv gives scandir's entries through an iterator over the request,
--     and stat results as a table; both are printed as described above.
--   * luv's fs_access reports a refusal as `false`, without libuv's code,
--     so a failed access prints `error` in both drivers.

local core = require('core')
local fs_paths = require('fs_paths')
local stream = require('stream')
local uv = core.uv

local values = {}    -- `as` name -> descriptor or uv_dir_t

local function value_of(name)
  local value = values[name]
  if value == nil then core.die('fs: nothing was kept as ' .. tostring(name)) end
  return value
end

local function type_name(kind)
  if kind == 'directory' then return 'dir' end
  return kind or 'unknown'
end

-- luv's stat table as the trace shows it.
local function show_stat(st)
  return type_name(st.type) .. ' size=' .. core.format_value(st.size)
end

local function show_entries(listing)
  local parts = {}
  for name, kind in uv.fs_scandir_next, listing do
    parts[#parts + 1] = name .. ':' .. type_name(kind)
  end
  return '[' .. table.concat(parts, ', ') .. ']'
end

-- What each call prints for a success (see the header).
local show = {
  read = stream.format_data,
  write = core.format_value,
  sendfile = core.format_value,
  open = function() return 'fd' end,
  mkstemp = function() return 'fd' end,
  opendir = function() return 'dir' end,
  readdir = function(entries) return core.format_value(entries and #entries or 0) end,
  scandir = show_entries,
  stat = show_stat,
  lstat = show_stat,
  fstat = show_stat,
  readlink = function(target) return '"' .. target .. '"' end,
  realpath = fs_paths.show,
  mkdtemp = function(path) return fs_paths.show(path):sub(1, -7) .. '??????' end,
  statfs = function(st) return st.frsize ~= nil and 'frsize' or 'no-frsize' end,
  access = function() return '0' end,
}

local function show_result(call, value)
  local fn = show[call]
  if fn then return fn(value) end
  return '0'
end

-- A utime time: a number, or 'now' / 'omit' (JSON has no infinity or NaN),
-- given to luv as the doubles libuv 1.51+ reads as UV_FS_UTIME_NOW and
-- UV_FS_UTIME_OMIT; libuv 1.44.2 hands them to the kernel as they are.
local function seconds(value)
  if value == 'now' then return math.huge end
  if value == 'omit' then return 0 / 0 end
  return value
end

-- The arguments of each call, before the callback, from the action's args.
local arguments = {
  open = function(a) return fs_paths.resolve(a.path), a.flags, a.perm or 0 end,
  close = function(a) return value_of(a.fd) end,
  read = function(a) return value_of(a.fd), a.length, a.offset or -1 end,
  write = function(a) return value_of(a.fd), a.data, a.offset or -1 end,
  sendfile = function(a) return value_of(a.outFd), value_of(a.inFd), a.offset or 0, a.length end,
  stat = function(a) return fs_paths.resolve(a.path) end,
  lstat = function(a) return fs_paths.resolve(a.path) end,
  fstat = function(a) return value_of(a.fd) end,
  statfs = function(a) return fs_paths.resolve(a.path) end,
  ftruncate = function(a) return value_of(a.fd), a.offset end,
  fsync = function(a) return value_of(a.fd) end,
  fdatasync = function(a) return value_of(a.fd) end,
  unlink = function(a) return fs_paths.resolve(a.path) end,
  mkdir = function(a) return fs_paths.resolve(a.path), a.perm end,
  rmdir = function(a) return fs_paths.resolve(a.path) end,
  mkdtemp = function(a) return fs_paths.resolve(a.path) end,
  mkstemp = function(a) return fs_paths.resolve(a.path) end,
  rename = function(a) return fs_paths.resolve(a.path), fs_paths.resolve(a.newPath) end,
  link = function(a) return fs_paths.resolve(a.path), fs_paths.resolve(a.newPath) end,
  symlink = function(a) return a.path, fs_paths.resolve(a.newPath), a.flags or 0 end,
  readlink = function(a) return fs_paths.resolve(a.path) end,
  realpath = function(a) return fs_paths.resolve(a.path) end,
  copyfile = function(a) return fs_paths.resolve(a.path), fs_paths.resolve(a.newPath), a.flags or 0 end,
  access = function(a) return fs_paths.resolve(a.path), a.perm end,
  chmod = function(a) return fs_paths.resolve(a.path), a.perm end,
  fchmod = function(a) return value_of(a.fd), a.perm end,
  chown = function(a) return fs_paths.resolve(a.path), a.uid or -1, a.gid or -1 end,
  utime = function(a) return fs_paths.resolve(a.path), seconds(a.atime), seconds(a.mtime) end,
  futime = function(a) return value_of(a.fd), seconds(a.atime), seconds(a.mtime) end,
  lutime = function(a) return fs_paths.resolve(a.path), seconds(a.atime), seconds(a.mtime) end,
  scandir = function(a) return fs_paths.resolve(a.path) end,
  opendir = function(a) return fs_paths.resolve(a.path) end,
  readdir = function(a) return value_of(a.dir) end,
  closedir = function(a) return value_of(a.dir) end,
}

-- Keeps what a successful call made under the action's `as` name.
local function keep(args, value)
  if args.as ~= nil then values[args.as] = value end
end

-- luv's functions, except the three whose callback or entry count sit
-- elsewhere in luv's signature.
local function luv_call(call, args, callback)
  local fn = uv['fs_' .. call]
  if fn == nil then core.die('fs: unknown call ' .. tostring(call)) end
  if call == 'opendir' then
    return pcall(fn, fs_paths.resolve(args.path), callback, args.entries or 1)
  end
  local list = table.pack(arguments[call](args))
  list[list.n + 1] = callback
  return pcall(fn, table.unpack(list, 1, list.n + 1))
end

-- The Lua callback for an asynchronous call named `callback_name`.
local function make_fs_callback(call, args, callback_name)
  return function(err, value)
    local spec = core.callbacks[callback_name] or {}
    local count = (core.call_counts[callback_name] or 0) + 1
    core.call_counts[callback_name] = count
    local result, status
    if call == 'access' and err == nil and value == false then err = 'error' end
    if err ~= nil then
      result = (tostring(err):match('^([%w_]+)')) or tostring(err)
      status = result
    else
      result, status = show_result(call, value), 'ok'
      keep(args, value)
    end
    if spec.log ~= false then core.emit('cb fs ' .. callback_name .. ' ' .. result) end
    if spec['do'] then
      core.run_callback_actions(spec, { handle = 'fs', callback = callback_name, count = count, status = status })
    end
  end
end

-- `writeFile`: the file `path` holds exactly `data`. The data is written
-- over the old contents and the file is cut to its length afterwards, never
-- emptied first (as open 'w' would): a stat that a pool thread runs at the
-- same moment (an fs_poll's) then sees the old file or the new one, never an
-- empty one that no scenario asked for. fs_poll once recorded "curr=0" from
-- libuv 1.44.2 for exactly that reason.
local function write_file(args)
  local flags = uv.constants.O_WRONLY + uv.constants.O_CREAT
  local fd, _, name = uv.fs_open(fs_paths.resolve(args.path), flags, args.perm or 420)
  if not fd then return name end
  local data = args.data or ''
  local ok, _, wname = uv.fs_write(fd, data, 0)
  if ok then
    local stat = uv.fs_fstat(fd)
    if stat and stat.size > #data then ok, _, wname = uv.fs_ftruncate(fd, #data) end
  end
  uv.fs_close(fd)
  if not ok then return wname end
  return nil
end

local function fs_op(args, context, action)
  local call = args.call
  if call == 'writeFile' then
    local code = write_file(args)
    if code then core.emit('fs.writeFile -> ' .. code) end
    return
  end
  local callback_name = core.callback_arg(args, nil)
  if callback_name ~= nil then
    if core.size_pool then core.size_pool() end
    local ok, req, _, name = luv_call(call, args, make_fs_callback(call, args, callback_name))
    local code = core.outcome(ok, req, nil, name)
    if code then
      core.emit('fs.' .. call .. ' -> ' .. code)
    elseif args.request ~= nil then
      core.requests[args.request] = req
    end
    return
  end
  local ok, value, _, name = luv_call(call, args, nil)
  -- luv's readdir returns nothing at the end of the directory.
  if call == 'readdir' and ok and value == nil and name == nil then value = {} end
  local code = core.outcome(ok, value, nil, name)
  if code == nil and value == false then code = 'error' end -- access (see the header)
  if code then
    core.emit('fs.' .. call .. ' -> ' .. code)
    return
  end
  keep(args, value)
  if action ~= nil and action.logResult then
    core.emit('fs.' .. call .. ' -> ' .. show_result(call, value))
  end
end

core.loop_ops.fs = fs_op
