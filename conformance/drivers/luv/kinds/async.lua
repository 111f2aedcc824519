-- Async handles (uv_async_t), and sends from other threads.

local core = require('core')
local uv = core.uv

local threads = {} -- threads started by non-joined sends, joined at exit

core.define_kind('async', function(name, args)
  -- luv insists on a function; a silent one stands for libuv's NULL.
  return uv.new_async(core.handle_callback(args, name) or function() end)
end)

-- A send from another thread. The thread gets the async handle and nothing
-- else; luv copies the function into a fresh Lua state, so it may not
-- capture upvalues.
local function thread_sender(async, times, delay_ms)
  local thread_uv = require('luv')
  if delay_ms > 0 then thread_uv.sleep(delay_ms) end
  for _ = 1, times do async:send() end
end

local ops = {}

function ops.send(handle, _, args)
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
    local code = core.outcome(pcall(handle.send, handle))
    if code then return code end
  end
  return nil
end

core.add_ops({ 'async' }, ops)

core.at_exit(function()
  for _, thread in ipairs(threads) do thread:join() end
end)
