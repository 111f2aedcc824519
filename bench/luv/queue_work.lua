-- queue_work for luv (libuv through Lua): the same program as
-- bench/queue-work.ts. One trivial job at a time on libuv's thread pool,
-- each queued from the previous one's after-work callback; the first WARM_UP
-- jobs (second argument) are not timed. Prints one result line in the
-- format bench/common.ts reads: BENCH {json}.
local uv = require('luv')

local rounds = tonumber(arg[1]) or 20000
local warm_up = tonumber(arg[2]) or 100
local done = 0
local start = 0

local work
work = uv.new_work(function(value) return value + 1 end, function()
  done = done + 1
  if done == warm_up then start = uv.hrtime() end
  if done < warm_up + rounds then uv.queue_work(work, done) end
end)
uv.queue_work(work, 0)
uv.run('default')

local seconds = (uv.hrtime() - start) / 1e9
print(string.format('BENCH {"value":%.3f,"unit":"rt/s","detail":{"rounds":%d,"seconds":%.6f}}',
  rounds / seconds, rounds, seconds))
