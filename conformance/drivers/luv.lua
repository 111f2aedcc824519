-- Conformance driver for real libuv, through luv (Debian's lua-luv, which
-- links the system libuv 1.44.2).
--
-- Usage: lua5.4 conformance/drivers/luv.lua [--profile 1.44] SCENARIO.json
--
-- It interprets one scenario file (format: conformance/scenario.schema.json,
-- protocol: docs/conformance.md) and prints its trace on stdout, one event
-- per line. The expected traces of profile 1.44 are recorded with this file,
-- so it must stay a literal translation of the scenario into libuv calls:
-- whatever ordering the trace shows has to come from libuv, never from here.
--
-- Where luv itself stands between the scenario and libuv, the driver says so
-- in a comment (and docs/conformance.md lists the cases):
--   * luv raises a Lua error for a missing callback where libuv returns
--     UV_EINVAL; the driver reports that error as EINVAL.
--   * luv's new_async requires a function; an async handle that the scenario
--     creates without a callback gets a silent function, which is what a
--     NULL callback looks like in a trace.
--   * luv stores the Lua function passed to read_start (and listen) before
--     calling libuv, so a read_start that libuv rejects (EALREADY) still
--     replaces the read callback. Scenarios that provoke it pass the same
--     callback again, which makes the replacement invisible.
--   * Streams: everything runs on 127.0.0.1. A handle that listened
--     remembers its port (getsockname right after listen), and a connect
--     names that handle (`to`) instead of a port, so no port number ever
--     reaches a scenario or a trace.
--   * Pipes: `bind` picks a fresh path in the temporary directory (with
--     this process's pid and the handle's name) and remembers it; `connect`
--     and `bind {pathOf}` name the handle, never the path. The paths are
--     removed when the scenario ends.
--   * Signals: luv names signals in lower case ('sigusr1'); the scenario's
--     'SIGUSR1' is translated. `kill` sends the signal to this process
--     (uv_kill(uv_os_getpid(), signum)).

-- The decoder is loaded by path: putting this folder on package.path would
-- make require('luv') find this very file.
local script_dir = (arg[0]:match('^(.*)/[^/]*$')) or '.'
local json = dofile(script_dir .. '/json_decode.lua')
local uv = require('luv')

-- Exit code that tells the runner "this driver cannot run this scenario".
local EXIT_SKIP = 77

io.stdout:setvbuf('line')

local function emit(line)
  io.stdout:write(line, '\n')
end

local function die(message)
  io.stderr:write('luv driver: ', message, '\n')
  os.exit(2)
end

-- ---------------------------------------------------------------------------
-- Command line and scenario file

local scenario_path, profile
do
  local i = 1
  while i <= #arg do
    if arg[i] == '--profile' then
      profile = arg[i + 1]
      i = i + 2
    else
      scenario_path = arg[i]
      i = i + 1
    end
  end
end
if not scenario_path then die('usage: luv.lua [--profile 1.44] SCENARIO.json') end
if profile and profile ~= '1.44' then
  emit('skip: luv links libuv ' .. uv.version_string() .. ', so it can only produce profile 1.44')
  os.exit(EXIT_SKIP)
end

local scenario
do
  local file, err = io.open(scenario_path, 'r')
  if not file then die(err) end
  local text = file:read('a')
  file:close()
  local ok, decoded = pcall(json.decode, text)
  if not ok then die(scenario_path .. ': ' .. tostring(decoded)) end
  scenario = decoded
end

local null = json.null
local callbacks = scenario.callbacks or {}

-- ---------------------------------------------------------------------------
-- Interpreter state

local handles = {}      -- scenario name -> luv handle userdata
local names = {}        -- luv handle userdata -> scenario name
local call_counts = {}  -- callback name -> number of calls so far
local counters = {}     -- counter name -> integer
local marks = {}        -- mark name -> clock value in ms
local threads = {}      -- threads started by non-joined sends, joined at exit
local ports = {}        -- scenario name of a handle that listened -> its port
local paths = {}        -- scenario name of a pipe that bound -> its path
local made_paths = {}   -- every path a bind succeeded on, removed at exit
local path_serial = 0   -- makes a re-used handle name bind a fresh path

-- Every stream in the suite lives on the loopback interface.
local LOOPBACK = '127.0.0.1'

local run_actions -- forward declaration (callbacks run action lists)

local function format_value(value)
  if type(value) == 'boolean' then return value and 'true' or 'false' end
  if math.type(value) == 'float' and math.tointeger(value) then
    return tostring(math.tointeger(value))
  end
  return tostring(value)
end

local function compare(left, op, right)
  if op == '==' then return left == right end
  if op == '!=' then return left ~= right end
  if op == '<' then return left < right end
  if op == '<=' then return left <= right end
  if op == '>' then return left > right end
  if op == '>=' then return left >= right end
  die('unknown comparison ' .. tostring(op))
end

-- Resolves a handle reference: a scenario name, or "$self" for the handle
-- whose callback is running.
local function resolve_name(ref, context)
  if ref == '$self' then
    if not context then die('$self used outside a callback') end
    return context.handle
  end
  return ref
end

local function lookup(ref, context)
  local name = resolve_name(ref, context)
  local handle = handles[name]
  if not handle then die('unknown handle ' .. tostring(name)) end
  return handle, name
end

-- Maps what a luv call produced to a libuv error name, or nil on success.
-- luv returns (nil, message, name) for a libuv error and raises a Lua error
-- for an argument it rejects itself; the only such rejection the scenarios
-- provoke is a missing callback, which libuv reports as UV_EINVAL.
local function outcome(ok, result, _, error_name)
  if not ok then
    if tostring(result):find('bad argument', 1, true) then return 'EINVAL' end
    die('luv raised: ' .. tostring(result))
  end
  if result == nil then return error_name or 'UNKNOWN' end
  return nil
end

-- `value` is what a successful operation returns when it returns more than
-- 0 (try_write: the number of bytes written).
local function log_outcome(name, op, code, action, value)
  if code then
    emit(name .. '.' .. op .. ' -> ' .. code)
  elseif action.logResult then
    emit(name .. '.' .. op .. ' -> ' .. format_value(value or 0))
  end
end

-- Builds the Lua function that luv calls for one (handle, callback) binding.
-- Every callback first logs itself, then runs its scenario actions.
local function make_callback(handle_name, callback_name, is_close)
  return function()
    local spec = callbacks[callback_name] or {}
    local count = (call_counts[callback_name] or 0) + 1
    call_counts[callback_name] = count
    if spec.log ~= false then
      local word = is_close and 'close ' or 'cb '
      local default_name = is_close and (handle_name .. '.close') or handle_name
      if callback_name == default_name then
        emit(word .. handle_name)
      else
        emit(word .. handle_name .. ' ' .. callback_name)
      end
    end
    if spec['do'] then
      local context = { handle = handle_name, callback = callback_name, count = count }
      -- luv would print a callback's error and carry on; a scenario that
      -- cannot be executed must end the run instead.
      local ok, err = xpcall(run_actions, debug.traceback, spec['do'], context)
      if not ok then die(tostring(err)) end
    end
  end
end

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

-- luv passes a callback's error as libuv's error name (older luv versions
-- appended ": message"); keep the name only.
local function error_name(err)
  return (tostring(err):match('^([%w_]+)')) or tostring(err)
end

-- Builds the Lua function for a stream callback. `event` is what libuv
-- calls back for: 'connection' (uv_listen), 'connect', 'write', 'shutdown'
-- (request callbacks: status), or 'read' (uv_read_start: data, EOF or an
-- error). The line is `cb <handle> <event> <result>` for the default name
-- `<handle>.<event>`, else `cb <handle> <callback> <result>`.
local function make_stream_callback(handle_name, callback_name, event)
  return function(err, data)
    local spec = callbacks[callback_name] or {}
    local count = (call_counts[callback_name] or 0) + 1
    call_counts[callback_name] = count
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
      emit('cb ' .. handle_name .. ' ' .. word .. ' ' .. result)
    end
    if spec['do'] then
      local context = {
        handle = handle_name, callback = callback_name, count = count,
        status = status, data = data, nread = nread or 0,
      }
      local ok, failure = xpcall(run_actions, debug.traceback, spec['do'], context)
      if not ok then die(tostring(failure)) end
    end
  end
end

-- The callback name an action names, defaulting to the handle's own name;
-- JSON null means "no callback".
local function callback_arg(args, default)
  local value = args.callback
  if value == nil then return default end
  if value == null then return nil end
  return value
end

-- ---------------------------------------------------------------------------
-- Conditions

local function holds(condition, context)
  if condition[1] ~= nil then
    for _, part in ipairs(condition) do
      if not holds(part, context) then return false end
    end
    return true
  end
  local count = context and context.count or 0
  if condition.call ~= nil and count ~= condition.call then return false end
  if condition.callAtLeast ~= nil and count < condition.callAtLeast then return false end
  if condition.callAtMost ~= nil and count > condition.callAtMost then return false end
  if condition.callEvery ~= nil and count % condition.callEvery ~= 0 then return false end
  if condition.counter ~= nil then
    local value = counters[condition.counter] or 0
    if condition.mod ~= nil then value = value % condition.mod end
    if not compare(value, condition.cmp or '==', condition.than) then return false end
  end
  if condition.status ~= nil then
    -- The running stream callback's outcome: 'ok' (status 0, or data),
    -- 'error' (anything else, EOF included), or one error name.
    local status = context and context.status
    if status == nil then return false end
    if condition.status == 'ok' or condition.status == 'error' then
      if (status == 'ok') ~= (condition.status == 'ok') then return false end
    elseif status ~= condition.status then
      return false
    end
  end
  if condition.handle ~= nil then
    local handle = lookup(condition.handle, context)
    if condition.active ~= nil and handle:is_active() ~= condition.active then return false end
    if condition.closing ~= nil and handle:is_closing() ~= condition.closing then return false end
    if condition.hasRef ~= nil and handle:has_ref() ~= condition.hasRef then return false end
  end
  return true
end

-- ---------------------------------------------------------------------------
-- Probes: the values a `log` action can print

local function clock_value(clock)
  if clock == 'hrtime' then return uv.hrtime() // 1000000 end
  return uv.now()
end

local function probe(args, action, context)
  local value_name = args.value
  local label, value
  if value_name == 'alive' then
    label, value = 'alive', uv.loop_alive()
  elseif value_name == 'timeout' then
    label, value = 'timeout', uv.backend_timeout()
  elseif value_name == 'now' or value_name == 'hrtime' then
    -- Raw clock values are never deterministic; they are only printed
    -- relative to a mark and through a comparison.
    if not args.minus or not args.cmp then die(value_name .. ' needs minus and cmp') end
    local base = marks[args.minus]
    if base == nil then die('unknown mark ' .. args.minus) end
    label, value = value_name .. '-' .. args.minus, clock_value(value_name) - base
  elseif value_name == 'count' then
    label, value = 'count(' .. args.callback .. ')', call_counts[args.callback] or 0
  elseif value_name == 'counter' then
    label, value = 'counter(' .. args.counter .. ')', counters[args.counter] or 0
  else
    local handle, name = lookup(action.handle, context)
    if value_name == 'active' then
      value = handle:is_active()
    elseif value_name == 'closing' then
      value = handle:is_closing()
    elseif value_name == 'hasRef' then
      value = handle:has_ref()
    elseif value_name == 'dueIn' or value_name == 'repeat' then
      value = value_name == 'dueIn' and handle:get_due_in() or handle:get_repeat()
      -- libuv returns a uint64_t; luv pushes it as a signed Lua integer, so
      -- values of 2^63 and above arrive negative. Undo that wrap.
      if value < 0 then value = value + 18446744073709551616.0 end
    elseif value_name == 'readable' then
      value = handle:is_readable()
    elseif value_name == 'writable' then
      value = handle:is_writable()
    elseif value_name == 'writeQueueSize' then
      value = handle:get_write_queue_size()
    elseif value_name == 'type' then
      value = handle:get_type()
    else
      die('unknown log value ' .. tostring(value_name))
    end
    label = name .. '.' .. value_name
  end
  if args.cmp then
    emit(label .. ' ' .. args.cmp .. ' ' .. format_value(args.than) .. ' : '
      .. format_value(compare(value, args.cmp, args.than)))
  else
    emit(label .. ' = ' .. format_value(value))
  end
end

-- ---------------------------------------------------------------------------
-- Handle operations

local constructors = {
  timer = uv.new_timer,
  idle = uv.new_idle,
  prepare = uv.new_prepare,
  check = uv.new_check,
  tcp = uv.new_tcp,
  -- uv_pipe_init(loop, pipe, 0): not an IPC pipe.
  pipe = function() return uv.new_pipe(false) end,
  signal = uv.new_signal,
}

local function init_handle(action, args, context)
  local name = resolve_name(action.handle, context)
  local handle
  if args.kind == 'async' then
    local callback_name = callback_arg(args, name)
    local fn
    if callback_name then
      fn = make_callback(name, callback_name, false)
    else
      -- luv insists on a function; a silent one stands for libuv's NULL.
      fn = function() end
    end
    handle = uv.new_async(fn)
  elseif constructors[args.kind] then
    handle = constructors[args.kind]()
  else
    emit('skip: handle kind ' .. tostring(args.kind) .. ' is not supported by the luv driver')
    os.exit(EXIT_SKIP)
  end
  handles[name] = handle
  names[handle] = name
end

-- A send from another thread. The thread gets the async handle and nothing
-- else; luv copies the function into a fresh Lua state, so it may not
-- capture upvalues.
local function thread_sender(async, times, delay_ms)
  local thread_uv = require('luv')
  if delay_ms > 0 then thread_uv.sleep(delay_ms) end
  for _ = 1, times do async:send() end
end

local function send(handle, args)
  local times = args.times or 1
  if args.thread then
    local delay = args.delayMs or 0
    local thread = uv.new_thread(thread_sender, handle, times, delay)
    if args.delayMs then
      -- A delayed send races with the loop on purpose; it is joined at exit.
      threads[#threads + 1] = thread
    else
      thread:join()
    end
    return nil
  end
  for _ = 1, times do
    local code = outcome(pcall(handle.send, handle))
    if code then return code end
  end
  return nil
end

local function close_with_default_callback(handle, name)
  handle:close(make_callback(name, name .. '.close', true))
end

local handle_ops = {}

-- luv parses signal names in lower case only ('sigusr1'); the scenario
-- spells them as libuv's headers do ('SIGUSR1').
local function luv_signal(args)
  if args.signum == nil then die('signal operations need args.signum') end
  return string.lower(args.signum)
end

function handle_ops.start(handle, name, args)
  local callback_name = callback_arg(args, name)
  local fn = callback_name and make_callback(name, callback_name, false) or nil
  if handle:get_type() == 'signal' then
    return outcome(pcall(handle.start, handle, luv_signal(args), fn))
  end
  if handle:get_type() == 'timer' then
    local timeout = args.timeout or 0
    local repeat_ms = args['repeat'] or 0
    -- UINT64_MAX cannot be written as a JSON number; -1 converts to it in
    -- luv's uint64_t argument.
    if timeout == 'UINT64_MAX' then timeout = -1 end
    if repeat_ms == 'UINT64_MAX' then repeat_ms = -1 end
    return outcome(pcall(handle.start, handle, timeout, repeat_ms, fn))
  end
  return outcome(pcall(handle.start, handle, fn))
end

-- luv exposes uv_signal_start_oneshot as a module function only.
function handle_ops.startOneshot(handle, name, args)
  local callback_name = callback_arg(args, name)
  local fn = callback_name and make_callback(name, callback_name, false) or nil
  return outcome(pcall(uv.signal_start_oneshot, handle, luv_signal(args), fn))
end

function handle_ops.stop(handle)
  return outcome(pcall(handle.stop, handle))
end

function handle_ops.again(handle)
  return outcome(pcall(handle.again, handle))
end

function handle_ops.setRepeat(handle, _, args)
  local repeat_ms = args['repeat']
  if repeat_ms == 'UINT64_MAX' then repeat_ms = -1 end
  handle:set_repeat(repeat_ms)
  return nil
end

function handle_ops.close(handle, name, args)
  local callback_name = callback_arg(args, name .. '.close')
  local fn = callback_name and make_callback(name, callback_name, true) or nil
  handle:close(fn)
  return nil
end

function handle_ops.ref(handle)
  handle:ref()
  return nil
end

function handle_ops.unref(handle)
  handle:unref()
  return nil
end

function handle_ops.send(handle, _, args)
  return send(handle, args)
end

-- Streams (tcp). Callbacks default to '<handle>.<event>'.

local function stream_callback(args, name, event)
  local callback_name = callback_arg(args, name .. '.' .. event)
  return callback_name and make_stream_callback(name, callback_name, event) or nil
end

-- The bytes a write sends: literal `data`, `size` bytes of 'x', or (`echo`)
-- the data of the running read callback.
local function write_payload(args, context)
  if args.data ~= nil then return args.data end
  if args.size ~= nil then return string.rep('x', args.size) end
  if args.echo then
    if not (context and context.data) then die('echo outside a read callback with data') end
    return context.data
  end
  die('write needs data, size or echo')
end

-- A fresh socket path for pipe `name`: no pid or path may reach the trace,
-- so scenarios only ever name the handle.
local function fresh_pipe_path(name)
  path_serial = path_serial + 1
  local dir = os.getenv('TMPDIR') or '/tmp'
  return string.format('%s/uvts-conformance-luv-%d-%s-%d.sock', dir, uv.os_getpid(), name, path_serial)
end

function handle_ops.bind(handle, name, args)
  if handle:get_type() ~= 'pipe' then
    return outcome(pcall(handle.bind, handle, LOOPBACK, 0))
  end
  local path
  if args.pathOf ~= nil then
    path = paths[args.pathOf]
    if path == nil then die('bind: ' .. tostring(args.pathOf) .. ' has not bound') end
  else
    path = fresh_pipe_path(name)
  end
  local code = outcome(pcall(handle.bind, handle, path))
  if not code then
    paths[name] = path
    made_paths[#made_paths + 1] = path
  end
  return code
end

function handle_ops.listen(handle, name, args)
  local fn = stream_callback(args, name, 'connection')
  local code = outcome(pcall(handle.listen, handle, args.backlog or 128, fn))
  -- A pipe is found by the path it bound; only tcp needs its port.
  if not code and handle:get_type() == 'tcp' then ports[name] = handle:getsockname().port end
  return code
end

function handle_ops.accept(handle, _, args, context)
  local client = lookup(args.client, context)
  return outcome(pcall(handle.accept, handle, client))
end

function handle_ops.connect(handle, name, args)
  if handle:get_type() == 'pipe' then
    local path = paths[args.to]
    if path == nil then die('connect: ' .. tostring(args.to) .. ' has not bound') end
    -- uv_pipe_connect returns nothing: every failure reaches the callback.
    return outcome(pcall(handle.connect, handle, path, stream_callback(args, name, 'connect')))
  end
  local port = ports[args.to]
  if port == nil then die('connect: ' .. tostring(args.to) .. ' has not listened') end
  local fn = stream_callback(args, name, 'connect')
  return outcome(pcall(handle.connect, handle, LOOPBACK, port, fn))
end

function handle_ops.readStart(handle, name, args)
  return outcome(pcall(handle.read_start, handle, stream_callback(args, name, 'read')))
end

function handle_ops.readStop(handle)
  return outcome(pcall(handle.read_stop, handle))
end

-- `times` writes in a row, as separate requests; the first error ends them.
function handle_ops.write(handle, name, args, context)
  local data = write_payload(args, context)
  for _ = 1, args.times or 1 do
    local code = outcome(pcall(handle.write, handle, data, stream_callback(args, name, 'write')))
    if code then return code end
  end
  return nil
end

function handle_ops.tryWrite(handle, _, args, context)
  local ok, result, message, error_name_ = pcall(handle.try_write, handle, write_payload(args, context))
  local code = outcome(ok, result, message, error_name_)
  return code, not code and result or nil
end

function handle_ops.shutdown(handle, name, args)
  return outcome(pcall(handle.shutdown, handle, stream_callback(args, name, 'shutdown')))
end

function handle_ops.closeReset(handle, name, args)
  local callback_name = callback_arg(args, name .. '.close')
  local fn = callback_name and make_callback(name, callback_name, true) or nil
  return outcome(pcall(handle.close_reset, handle, fn))
end

-- ---------------------------------------------------------------------------
-- Loop operations

local function run_loop(args)
  local mode = args.mode or 'default'
  if not (args.untilFalse or args.untilElapsed) then
    emit('run ' .. mode)
    emit('run ' .. mode .. ' -> ' .. format_value(uv.run(mode)))
    return
  end
  local max = args.max or 100000
  local seen_true, seen_false = false, false
  for _ = 1, max do
    if not args.quiet then emit('run ' .. mode) end
    local alive = uv.run(mode)
    if not args.quiet then emit('run ' .. mode .. ' -> ' .. format_value(alive)) end
    if alive then seen_true = true else seen_false = true end
    if args.untilFalse and not alive then break end
    if args.untilElapsed then
      local target = args.untilElapsed
      if uv.now() - marks[target.mark] >= target.ms then break end
    end
  end
  if args.quiet then
    local summary = (seen_true and seen_false) and 'mixed' or format_value(seen_true)
    emit('run ' .. mode .. ' repeated -> ' .. summary)
  end
end

local function walk(args)
  local visited = {}
  uv.walk(function(handle)
    local name = names[handle] or '?'
    visited[#visited + 1] = name
    if args.close and not handle:is_closing() then
      close_with_default_callback(handle, name)
    end
  end)
  emit((args.close and 'walk-close [' or 'walk [') .. table.concat(visited, ', ') .. ']')
end

local function close_loop()
  local result, _, error_name = uv.loop_close()
  emit('loop.close -> ' .. (result == 0 and '0' or tostring(error_name)))
end

local loop_ops = {}

function loop_ops.run(args) run_loop(args) end
function loop_ops.stop() uv.stop() end
function loop_ops.updateTime() uv.update_time() end
function loop_ops.sleep(args) uv.sleep(args.ms) end
function loop_ops.walk(args) walk(args) end
function loop_ops.closeLoop() close_loop() end
function loop_ops.note(args) emit('note ' .. args.text) end

-- Sends the signal to this very process; the kernel runs libuv's handler
-- before kill() returns or on another thread, and either way the loop
-- sees it through its signal pipe in POLL.
function loop_ops.kill(args)
  local result, _, error_name_ = uv.kill(uv.os_getpid(), luv_signal(args))
  if result ~= 0 then emit('kill -> ' .. tostring(error_name_)) end
end

function loop_ops.mark(args)
  marks[args.name] = clock_value(args.clock or 'now') + (args.plus or 0)
end

function loop_ops.incr(args, context)
  local by = args.by or 1
  -- "$nread": the byte count of the running read callback's data.
  if by == '$nread' then by = context and context.nread or 0 end
  counters[args.counter] = (counters[args.counter] or 0) + by
end

function loop_ops.teardown()
  walk({ close = true })
  run_loop({ mode = 'default' })
  close_loop()
end

-- ---------------------------------------------------------------------------
-- Action lists

run_actions = function(actions, context)
  for _, action in ipairs(actions) do
    local args = action.args or {}
    if action.when == nil or holds(action.when, context) then
      local op = action.op
      if op == 'log' then
        probe(args, action, context)
      elseif op == 'init' then
        init_handle(action, args, context)
      elseif handle_ops[op] and action.handle ~= nil then
        local handle, name = lookup(action.handle, context)
        local code, value = handle_ops[op](handle, name, args, context)
        log_outcome(name, op, code, action, value)
      elseif loop_ops[op] then
        loop_ops[op](args, context)
      else
        emit('skip: operation ' .. tostring(op) .. ' is not supported by the luv driver')
        os.exit(EXIT_SKIP)
      end
    end
  end
end

local ok, err = xpcall(run_actions, debug.traceback, scenario.steps or {}, nil)
if not ok then die(tostring(err)) end
for _, thread in ipairs(threads) do thread:join() end
-- libuv unlinks a bound pipe's path when the pipe closes; remove what a
-- scenario left (or a failed run) anyway.
for _, path in ipairs(made_paths) do os.remove(path) end
io.stdout:flush()
-- Exit without closing the Lua state: closing it would let luv's garbage
-- collector close the remaining handles and run their callbacks after the
-- trace has ended.
os.exit(0, false)
