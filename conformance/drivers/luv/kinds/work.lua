-- Thread-pool requests: work (uv_queue_work), getaddrinfo, getnameinfo,
-- random, and uv_cancel.
-- They are no handles, so they are loop operations that name a request:
--   queueWork   {request, ms}              work that sleeps ms on a pool thread
--   getaddrinfo {request, host}            a lookup, with no hints
--   getnameinfo {request, host, port}      a reverse lookup of an IP address, flags 0
--   random      {request, length, flags}   length random bytes (flags default 0)
--   cancel      {request}                  prints `<request>.cancel -> 0|<error>`
-- A request's callback prints `cb <request> after_work 0`,
-- `cb <request> getaddrinfo <status>`, `cb <request> getnameinfo <status>`
-- or `cb <request> random <status> bytes=<n>` (the word is the callback's
-- name when the action names another one), then runs the callback's actions.
-- A random callback prints the number of bytes it got, never the bytes, and
-- only on success: luv passes an error alone. `"callback": null` is libuv's
-- NULL callback, the synchronous form (`<request>.random -> bytes=<n>` with
-- logResult). luv's uv.random returns 0 instead of a request, so a random
-- request cannot be cancelled.
--
-- luv's work requests cannot be cancelled (luv has no uv_work_t to give
-- uv.cancel, luvit/luv#416), and its after-work callback gets the work
-- function's results instead of a status: scenarios cancel lookups only,
-- and the after-work line always says 0.
--
-- The pool's size is the scenario's `threadpoolSize`, put in the
-- environment before the first request (libuv reads it once, then).

local core = require('core')
local uv = core.uv

local requests = core.requests -- request name -> luv request (fs.lua keeps its own there too)

local function error_name(err)
  return (tostring(err):match('^([%w_]+)')) or tostring(err)
end

local function size_pool()
  if core.threadpool_size and not core.pool_sized then
    uv.os_setenv('UV_THREADPOOL_SIZE', tostring(core.threadpool_size))
    core.pool_sized = true
  end
end
core.size_pool = size_pool -- for fs.lua

local function request_callback(request_name, args, event)
  local callback_name = core.callback_arg(args, request_name)
  if not callback_name then return function() end end
  return function(err, detail)
    local spec = core.callbacks[callback_name] or {}
    local count = (core.call_counts[callback_name] or 0) + 1
    core.call_counts[callback_name] = count
    local status = err and error_name(err) or '0'
    if spec.log ~= false then
      local word = callback_name == request_name and event or callback_name
      local suffix = detail and (' ' .. detail) or ''
      core.emit('cb ' .. request_name .. ' ' .. word .. ' ' .. status .. suffix)
    end
    if spec['do'] then
      core.run_callback_actions(spec, {
        handle = request_name, callback = callback_name, count = count,
        status = status == '0' and 'ok' or status,
      })
    end
  end
end

local ops = core.loop_ops

function ops.queueWork(args)
  size_pool()
  local after = request_callback(args.request, args, 'after_work')
  local work = uv.new_work(function(ms)
    if ms > 0 then require('luv').sleep(ms) end
  end, function() after(nil) end)
  uv.queue_work(work, args.ms or 0)
end

function ops.getaddrinfo(args)
  size_pool()
  local callback = request_callback(args.request, args, 'getaddrinfo')
  local request, _, err = uv.getaddrinfo(args.host, nil, nil, function(e) callback(e) end)
  if not request then core.emit(args.request .. '.getaddrinfo -> ' .. tostring(err)) end
  requests[args.request] = request
end

function ops.getnameinfo(args)
  size_pool()
  local callback = request_callback(args.request, args, 'getnameinfo')
  local request, _, err = uv.getnameinfo({ ip = args.host, port = args.port or 0 },
    function(e) callback(e) end)
  if not request then core.emit(args.request .. '.getnameinfo -> ' .. tostring(err)) end
  requests[args.request] = request
end

function ops.random(args, _, action)
  size_pool()
  local flags = args.flags or 0
  if math.type(flags) ~= 'integer' then core.die('random takes integer flags') end
  local result, _, err
  if core.callback_arg(args, args.request) == nil then
    result, _, err = uv.random(args.length or 0, flags)
    if result and action.logResult then
      core.emit(args.request .. '.random -> bytes=' .. #result)
    end
  else
    local callback = request_callback(args.request, args, 'random')
    result, _, err = uv.random(args.length or 0, flags, function(e, bytes)
      callback(e, bytes and ('bytes=' .. #bytes))
    end)
  end
  if not result then core.emit(args.request .. '.random -> ' .. tostring(err)) end
end

function ops.cancel(args)
  local request = requests[args.request]
  if not request then core.die('unknown request ' .. tostring(args.request)) end
  local result, _, err = uv.cancel(request)
  core.emit(args.request .. '.cancel -> ' .. (result == 0 and '0' or tostring(err)))
end
