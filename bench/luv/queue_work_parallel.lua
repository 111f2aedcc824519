-- queue_work_parallel for luv (libuv through Lua): the same measurement as
-- bench/queue-work-parallel.ts. The time of one CPU-bound job (a busy loop
-- of ITERATIONS, first argument) against four queued at once on libuv's
-- four threads; the result is the speed-up 4 * one / four, about the number
-- of cores. Prints one result line in the format bench/common.ts reads.
local uv = require('luv')

local iterations = tonumber(arg[1]) or 10000000

local function spins(jobs)
  local pending = jobs
  local work = uv.new_work(function(n)
    local x = 0
    for i = 1, n do x = (x * 31 + i) & 0xffffffff end
    return x
  end, function() pending = pending - 1 end)
  local start = uv.hrtime()
  for _ = 1, jobs do uv.queue_work(work, iterations) end
  uv.run('default')
  return (uv.hrtime() - start) / 1e9
end

spins(4) -- the pool starts its threads at the first job
local one = spins(1)
local four = spins(4)
print(string.format('BENCH {"value":%.3f,"unit":"x","detail":{"one":%.6f,"four":%.6f}}',
  4 * one / four, one, four))
