-- Timers (docs/semantics.md §3).
local uv = require('luv')
print('libuv ' .. uv.version_string())

-- Equal due times fire in start order; a restart moves a timer behind the
-- others with the same due time (rule 3.3).
do
  local a, b, c = uv.new_timer(), uv.new_timer(), uv.new_timer()
  a:start(5, 0, function() print('  a') end)
  b:start(5, 0, function() print('  b') end)
  c:start(5, 0, function() print('  c') end)
  a:start(5, 0, function() print('  a (restarted)') end)
  print('equal due times:')
  uv.run('default')
  a:close() ; b:close() ; c:close() ; uv.run('default')
end

-- uv_timer_again with repeat 0 does nothing: the timer keeps its due time
-- and stays active (rule 3.5).
do
  local t = uv.new_timer()
  t:start(1000, 0, function() end)
  t:again()
  print('again with repeat 0: active = ' .. tostring(t:is_active())
    .. ', due_in = ' .. t:get_due_in())
  t:close() ; uv.run('default')
end

-- A repeating timer is re-armed before its callback runs (rule 3.8): it is
-- active inside the callback.
do
  local t = uv.new_timer()
  local n = 0
  t:start(1, 1, function()
    n = n + 1
    print('  tick ' .. n .. ', active = ' .. tostring(t:is_active()))
    if n == 2 then t:close() end
  end)
  print('repeating timer:')
  uv.run('default')
end

uv.loop_close()
