-- getaddrinfo for luv (libuv through Lua): the same program as
-- bench/getaddrinfo.ts. Resolves "localhost" (answered by /etc/hosts) one
-- lookup at a time, each started from the previous one's callback; the
-- first WARM_UP lookups (second argument) are not timed. Prints one result
-- line in the format bench/common.ts reads: BENCH {json}.
local uv = require('luv')

local lookups = tonumber(arg[1]) or 10000
local warm_up = tonumber(arg[2]) or 2000
local done = 0
local start = 0

local function next_lookup()
  uv.getaddrinfo('localhost', nil, nil, function(err)
    assert(not err, err)
    done = done + 1
    if done == warm_up then start = uv.hrtime() end
    if done < warm_up + lookups then next_lookup() end
  end)
end
next_lookup()
uv.run('default')

local seconds = (uv.hrtime() - start) / 1e9
print(string.format('BENCH {"value":%.3f,"unit":"lookups/s","detail":{"lookups":%d,"seconds":%.6f}}',
  lookups / seconds, lookups, seconds))
