-- The luv twin of ../unref-exit.js.
local uv = require('luv')

local ticks = 0
local ticker = uv.new_timer()
ticker:start(200, 200, function()
  ticks = ticks + 1
  print('tick ' .. ticks)
end)
ticker:unref()

print('part 1: run() returned ' .. tostring(uv.run('default')) .. ' after ' .. ticks .. ' ticks')

uv.update_time()
ticker:again()
local one_shot = uv.new_timer()
one_shot:start(500, 0, function() print('one-shot timer') end)
local alive = uv.run('default')
print('part 2: run() returned ' .. tostring(alive) .. ' after ' .. ticks
  .. ' ticks; ticker active: ' .. tostring(ticker:is_active()))

ticker:close()
one_shot:close()
uv.run('default')
print('end of the program')
