-- The luv twin of ../async-coalesce.js.
local uv = require('luv')

local SENDS = 3
local calls = 0
local async
async = uv.new_async(function()
  calls = calls + 1
  print('async callback ' .. calls)
  async:close()
end)

local thread = uv.new_thread(function(handle, sends)
  for _ = 1, sends do handle:send() end
end, async, SENDS)
thread:join()
print('the worker called send() ' .. SENDS .. ' times')

uv.run('default')
print('the async callback ran ' .. calls .. ' time' .. (calls == 1 and '' or 's'))
