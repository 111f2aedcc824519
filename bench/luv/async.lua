-- async for luv (libuv through Lua): loop <-> thread round trips through
-- async handles, as bench/async.ts measures for uvts.
--
-- The main loop owns async handle `a`; a luv thread runs its own loop with
-- async handle `b`. The thread sends `a`, passing `b` along (luv lets a send
-- carry a handle, valid only during the callback), and the main callback
-- sends `b` back; `b`'s callback sends `a` again. ROUNDS + 1 exchanges (the
-- first is a warm-up), timed on the main thread from the first callback.
-- Prints one result line in the format bench/common.ts reads: BENCH {json}.
local uv = require('luv')

local rounds = tonumber(arg[1]) or 50000
local calls = 0
local start = 0

local a
a = uv.new_async(function(peer)
  calls = calls + 1
  if calls == 1 then start = uv.hrtime() end
  if calls == rounds + 1 then
    local seconds = (uv.hrtime() - start) / 1e9
    print(string.format('BENCH {"value":%.3f,"unit":"rt/s","detail":{"rounds":%d,"seconds":%.6f}}',
      rounds / seconds, rounds, seconds))
    uv.async_send(peer, 'stop')
    a:close()
    return
  end
  uv.async_send(peer)
end)

local thread = uv.new_thread(function(main_async)
  local tuv = require('luv')
  local b
  b = tuv.new_async(function(message)
    if message == 'stop' then
      b:close()
      return
    end
    main_async:send(b)
  end)
  main_async:send(b)
  tuv.run('default')
end, a)

uv.run('default')
thread:join()
io.stdout:flush()
-- Skip closing the Lua state: luv 1.44 can abort in the GC of handles that
-- crossed threads ("free(): invalid pointer"), after the result is printed.
os.exit(0, false)
