-- Idle, prepare and check watchers (docs/semantics.md §4).
local uv = require('luv')
print('libuv ' .. uv.version_string())

-- Started A, B, C: they run C, B, A (rule 4.3). Starting the active A again
-- does not move it to the front (rule 4.1; luv cannot show the other half of
-- that rule, the ignored new callback, because it swaps its own stored Lua
-- function before calling libuv). B starts D during the phase: D goes to the
-- front and runs from the next iteration on (rule 4.4).
local a, b, c, d = uv.new_check(), uv.new_check(), uv.new_check(), uv.new_check()
local iteration = 0
local function stop_all() for _, h in ipairs({ a, b, c, d }) do h:close() end end
local function on_a() print('  A') ; if iteration == 2 then stop_all() end end
a:start(on_a)
b:start(function()
  print('  B')
  if iteration == 1 then d:start(function() print('  D') end) end
end)
c:start(function() print('  C') end)
a:start(on_a)
-- A prepare watcher counts the iterations; an idle watcher keeps POLL from
-- blocking (rule 4.5: check watchers alone would let it wait forever).
local p, i = uv.new_prepare(), uv.new_idle()
p:start(function()
  iteration = iteration + 1
  print('iteration ' .. iteration .. ': prepare')
  if iteration == 2 then p:close() ; i:close() end
end)
i:start(function() end)
uv.run('default')
uv.loop_close()
