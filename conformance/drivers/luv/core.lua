-- The luv driver's shared state and the helpers every module uses: the
-- trace output, the handle table, callbacks that log themselves, and the
-- registries that the handle-kind modules (kinds/*.lua) fill.
--
-- A handle-kind module registers what it adds and nothing else:
--   core.define_kind(kind, new)   `init` with args.kind == kind calls
--                                 new(name, args) and must return the handle
--   core.add_ops(kinds, ops)      operations on handles of these kinds
--                                 (luv's get_type() names); an operation
--                                 found nowhere for a kind falls back to
--                                 core.common_ops
--   core.handle_values[v]         what `log` prints for value v of a handle
--   core.loop_ops[op]             operations without a handle
--   core.at_exit(fn)              cleanup after the last step
-- Each operation is fn(handle, name, args, context) and returns a libuv
-- error name (or nil) and, for `logResult`, a value.

local core = {}

local uv = require('luv')
core.uv = uv

-- Exit code that tells the runner "this driver cannot run this scenario".
core.EXIT_SKIP = 77

function core.emit(line)
  io.stdout:write(line, '\n')
end

function core.die(message)
  io.stderr:write('luv driver: ', message, '\n')
  os.exit(2)
end

-- Ends the run with a `skip:` line: the scenario needs something this
-- driver does not have.
function core.skip(reason)
  core.emit('skip: ' .. reason)
  os.exit(core.EXIT_SKIP)
end

-- Filled in by the main file once the scenario is decoded.
core.null = nil      -- the JSON decoder's null
core.callbacks = {}  -- the scenario's callback specs

-- Interpreter state
core.handles = {}      -- scenario name -> luv handle userdata
core.names = {}        -- luv handle userdata -> scenario name
core.call_counts = {}  -- callback name -> number of calls so far
core.counters = {}     -- counter name -> integer
core.marks = {}        -- mark name -> clock value in ms
core.requests = {}     -- request name -> luv request, for cancel (work.lua, fs.lua)

-- Registries (see the header comment).
core.constructors = {}   -- kind -> function(name, args) returning a handle
core.kind_ops = {}       -- luv handle type -> operation name -> function
core.common_ops = {}     -- operation name -> function, for any handle
core.handle_values = {}  -- log value name -> function(handle) returning it
core.loop_ops = {}       -- operation name -> function(args, context)
local exit_hooks = {}

function core.define_kind(kind, new)
  core.constructors[kind] = new
end

function core.add_ops(kinds, ops)
  for _, kind in ipairs(kinds) do
    local table_ = core.kind_ops[kind] or {}
    core.kind_ops[kind] = table_
    for op, fn in pairs(ops) do table_[op] = fn end
  end
end

function core.at_exit(fn)
  exit_hooks[#exit_hooks + 1] = fn
end

function core.run_exit_hooks()
  for _, fn in ipairs(exit_hooks) do fn() end
end

-- True when `op` is an operation on a handle for some kind.
function core.is_handle_op(op)
  if core.common_ops[op] then return true end
  for _, ops in pairs(core.kind_ops) do
    if ops[op] then return true end
  end
  return false
end

-- The function that performs `op` on `handle`.
function core.handle_op(handle, op)
  local kind = handle:get_type()
  local ops = core.kind_ops[kind]
  local fn = (ops and ops[op]) or core.common_ops[op]
  if not fn then core.die('operation ' .. op .. ' does not apply to a ' .. kind .. ' handle') end
  return fn
end

function core.format_value(value)
  if type(value) == 'boolean' then return value and 'true' or 'false' end
  if math.type(value) == 'float' and math.tointeger(value) then
    return tostring(math.tointeger(value))
  end
  return tostring(value)
end

function core.compare(left, op, right)
  if op == '==' then return left == right end
  if op == '!=' then return left ~= right end
  if op == '<' then return left < right end
  if op == '<=' then return left <= right end
  if op == '>' then return left > right end
  if op == '>=' then return left >= right end
  core.die('unknown comparison ' .. tostring(op))
end

-- Resolves a handle reference: a scenario name, or "$self" for the handle
-- whose callback is running.
function core.resolve_name(ref, context)
  if ref == '$self' then
    if not context then core.die('$self used outside a callback') end
    return context.handle
  end
  return ref
end

function core.lookup(ref, context)
  local name = core.resolve_name(ref, context)
  local handle = core.handles[name]
  if not handle then core.die('unknown handle ' .. tostring(name)) end
  return handle, name
end

-- Maps what a luv call produced to a libuv error name, or nil on success.
-- luv returns (nil, message, name) for a libuv error and raises a Lua error
-- for an argument it rejects itself; the only such rejection the scenarios
-- provoke is a missing callback, which libuv reports as UV_EINVAL.
function core.outcome(ok, result, _, error_name)
  if not ok then
    if tostring(result):find('bad argument', 1, true) then return 'EINVAL' end
    core.die('luv raised: ' .. tostring(result))
  end
  if result == nil then return error_name or 'UNKNOWN' end
  return nil
end

-- `value` is what a successful operation returns when it returns more than
-- 0 (try_write: the number of bytes written).
function core.log_outcome(name, op, code, action, value)
  if code then
    core.emit(name .. '.' .. op .. ' -> ' .. code)
  elseif action.logResult then
    core.emit(name .. '.' .. op .. ' -> ' .. core.format_value(value or 0))
  end
end

-- Runs a callback's scenario actions. luv would print a callback's error
-- and carry on; a scenario that cannot be executed must end the run instead.
function core.run_callback_actions(spec, context)
  local ok, err = xpcall(core.run_actions, debug.traceback, spec['do'], context)
  if not ok then core.die(tostring(err)) end
end

-- Builds the Lua function that luv calls for one (handle, callback) binding.
-- Every callback first logs itself, then runs its scenario actions.
function core.make_callback(handle_name, callback_name, is_close)
  return function()
    local spec = core.callbacks[callback_name] or {}
    local count = (core.call_counts[callback_name] or 0) + 1
    core.call_counts[callback_name] = count
    if spec.log ~= false then
      local word = is_close and 'close ' or 'cb '
      local default_name = is_close and (handle_name .. '.close') or handle_name
      if callback_name == default_name then
        core.emit(word .. handle_name)
      else
        core.emit(word .. handle_name .. ' ' .. callback_name)
      end
    end
    if spec['do'] then
      core.run_callback_actions(spec, { handle = handle_name, callback = callback_name, count = count })
    end
  end
end

-- Builds the Lua function for a callback that reports a result, such as an
-- exit status or poll events: it counts the call, logs `cb <handle>
-- <result>` (with the callback's name before the result when it is not the
-- handle's own) and runs the callback's actions. `describe` turns luv's
-- arguments into the result text and the fields the actions' conditions
-- may read (handle, callback and count are added).
function core.result_callback(handle_name, callback_name, describe)
  return function(...)
    local spec = core.callbacks[callback_name] or {}
    local count = (core.call_counts[callback_name] or 0) + 1
    core.call_counts[callback_name] = count
    local result, context = describe(...)
    if spec.log ~= false then
      local word = callback_name == handle_name and '' or (callback_name .. ' ')
      core.emit('cb ' .. handle_name .. ' ' .. word .. result)
    end
    if spec['do'] then
      context = context or {}
      context.handle, context.callback, context.count = handle_name, callback_name, count
      core.run_callback_actions(spec, context)
    end
  end
end

-- The callback name an action names, defaulting to the handle's own name;
-- JSON null means "no callback".
function core.callback_arg(args, default)
  local value = args.callback
  if value == nil then return default end
  if value == core.null then return nil end
  return value
end

-- The (non-close) callback an action names (default: the handle's name), as
-- the function luv gets, or nil for none.
function core.handle_callback(args, name)
  local callback_name = core.callback_arg(args, name)
  return callback_name and core.make_callback(name, callback_name, false) or nil
end

-- The close callback an action names (default '<handle>.close'), as the
-- function luv gets, or nil for none.
function core.close_callback(args, name)
  local callback_name = core.callback_arg(args, name .. '.close')
  return callback_name and core.make_callback(name, callback_name, true) or nil
end

function core.close_with_default_callback(handle, name)
  handle:close(core.make_callback(name, name .. '.close', true))
end

-- Set by interpreter.lua (callbacks run action lists, and actions create
-- callbacks).
core.run_actions = nil

return core
