-- Signal handles (uv_signal_t), and `kill`, which signals this process.

local core = require('core')
local uv = core.uv

core.define_kind('signal', function() return uv.new_signal() end)

-- luv parses signal names in lower case only ('sigusr1'); the scenario
-- spells them as libuv's headers do ('SIGUSR1').
local function luv_signal(args)
  if args.signum == nil then core.die('signal operations need args.signum') end
  return string.lower(args.signum)
end

local ops = {}

function ops.start(handle, name, args)
  return core.outcome(pcall(handle.start, handle, luv_signal(args), core.handle_callback(args, name)))
end

-- luv exposes uv_signal_start_oneshot as a module function only.
function ops.startOneshot(handle, name, args)
  return core.outcome(pcall(uv.signal_start_oneshot, handle, luv_signal(args), core.handle_callback(args, name)))
end

core.add_ops({ 'signal' }, ops)

-- Sends the signal to this very process; the kernel runs libuv's handler
-- before kill() returns or on another thread, and either way the loop
-- sees it through its signal pipe in POLL.
function core.loop_ops.kill(args)
  local result, _, error_name = uv.kill(uv.os_getpid(), luv_signal(args))
  if result ~= 0 then core.emit('kill -> ' .. tostring(error_name)) end
end
