-- What the stream kinds (kinds/tcp.lua, kinds/pipe.lua) share: their
-- callbacks, the printing of read data, and the stream operations. Stream
-- callbacks default to '<handle>.<event>'.

local core = require('core')

local stream = {}

-- Every stream in the suite lives on the loopback interface.
stream.LOOPBACK = '127.0.0.1'

-- Read data in a trace line: short data as a quoted string (a backslash
-- before '"' and '\', any byte outside printable ASCII as \xHH), longer data
-- as its length. Both drivers must print it byte for byte the same.
local DATA_PRINT_LIMIT = 64

local function format_data(data)
  if #data > DATA_PRINT_LIMIT then return #data .. ' bytes' end
  local escaped = data:gsub('.', function(c)
    if c == '"' or c == '\\' then return '\\' .. c end
    local byte = c:byte()
    if byte < 32 or byte > 126 then return string.format('\\x%02X', byte) end
    return c
  end)
  return '"' .. escaped .. '"'
end
stream.format_data = format_data

stream.format_data = format_data

-- luv passes a callback's error as libuv's error name (older luv versions
-- appended ": message"); keep the name only.
local function error_name(err)
  return (tostring(err):match('^([%w_]+)')) or tostring(err)
end

-- The UDP kind prints datagrams and errors the same way.
stream.format_data = format_data
stream.error_name = error_name

-- Builds the Lua function for a stream callback. `event` is what libuv
-- calls back for: 'connection' (uv_listen), 'connect', 'write', 'shutdown'
-- (request callbacks: status), or 'read' (uv_read_start: data, EOF or an
-- error). The line is `cb <handle> <event> <result>` for the default name
-- `<handle>.<event>`, else `cb <handle> <callback> <result>`.
local function make_stream_callback(handle_name, callback_name, event)
  return function(err, data)
    local spec = core.callbacks[callback_name] or {}
    local count = (core.call_counts[callback_name] or 0) + 1
    core.call_counts[callback_name] = count
    local result, status, nread
    if err ~= nil then
      result = error_name(err)
      status = result
    elseif event == 'read' then
      if data == nil then
        -- luv reports UV_EOF as (nil, nil).
        result, status = 'EOF', 'EOF'
      else
        result, status, nread = format_data(data), 'ok', #data
      end
    else
      result, status = '0', 'ok'
    end
    if spec.log ~= false then
      local word = callback_name == handle_name .. '.' .. event and event or callback_name
      core.emit('cb ' .. handle_name .. ' ' .. word .. ' ' .. result)
    end
    if spec['do'] then
      core.run_callback_actions(spec, {
        handle = handle_name, callback = callback_name, count = count,
        status = status, data = data, nread = nread or 0,
      })
    end
  end
end

-- The function luv gets for the stream callback an action names, or nil.
function stream.callback(args, name, event)
  local callback_name = core.callback_arg(args, name .. '.' .. event)
  return callback_name and make_stream_callback(name, callback_name, event) or nil
end

-- The bytes a write sends: literal `data`, `size` bytes of 'x', or (`echo`)
-- the data of the running read callback.
local function write_payload(args, context)
  if args.data ~= nil then return args.data end
  if args.size ~= nil then return string.rep('x', args.size) end
  if args.echo then
    if not (context and context.data) then core.die('echo outside a read callback with data') end
    return context.data
  end
  core.die('write needs data, size or echo')
end

-- The operations of every stream kind; each kind adds bind and connect.
stream.ops = {}
local ops = stream.ops

-- A kind that needs to remember something about a handle that listened
-- sets this (tcp: its port).
stream.after_listen = {}

function ops.listen(handle, name, args)
  local fn = stream.callback(args, name, 'connection')
  local code = core.outcome(pcall(handle.listen, handle, args.backlog or 128, fn))
  local remember = stream.after_listen[handle:get_type()]
  if not code and remember then remember(handle, name) end
  return code
end

function ops.accept(handle, _, args, context)
  local client = core.lookup(args.client, context)
  return core.outcome(pcall(handle.accept, handle, client))
end

function ops.readStart(handle, name, args)
  return core.outcome(pcall(handle.read_start, handle, stream.callback(args, name, 'read')))
end

function ops.readStop(handle)
  return core.outcome(pcall(handle.read_stop, handle))
end

-- `times` writes in a row, as separate requests; the first error ends them.
function ops.write(handle, name, args, context)
  local data = write_payload(args, context)
  for _ = 1, args.times or 1 do
    local code = core.outcome(pcall(handle.write, handle, data, stream.callback(args, name, 'write')))
    if code then return code end
  end
  return nil
end

function ops.tryWrite(handle, _, args, context)
  local ok, result, message, error_name_ = pcall(handle.try_write, handle, write_payload(args, context))
  local code = core.outcome(ok, result, message, error_name_)
  return code, not code and result or nil
end

function ops.shutdown(handle, name, args)
  return core.outcome(pcall(handle.shutdown, handle, stream.callback(args, name, 'shutdown')))
end

function ops.closeReset(handle, name, args)
  return core.outcome(pcall(handle.close_reset, handle, core.close_callback(args, name)))
end

local values = core.handle_values
function values.readable(handle) return handle:is_readable() end
function values.writable(handle) return handle:is_writable() end
function values.writeQueueSize(handle) return handle:get_write_queue_size() end

return stream
