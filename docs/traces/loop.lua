-- One iteration, seen through its callbacks (docs/semantics.md §1).
-- Run: lua5.4 loop.lua (libuv 1.44.2 through Debian's luv), or with the
-- 1.52.1 oracle's luv first on LUA_CPATH.
local uv = require('luv')
print('libuv ' .. uv.version_string())

-- Idle i, prepare p and check c (started in that order) and a 0 ms timer t;
-- every callback logs and closes its own handle (rule 1.37).
local function program(mode)
  local t, i, p, c = uv.new_timer(), uv.new_idle(), uv.new_prepare(), uv.new_check()
  local function logger(name, h)
    return function() print('  ' .. name) ; h:close() end
  end
  i:start(logger('idle', i))
  p:start(logger('prepare', p))
  c:start(logger('check', c))
  t:start(0, 0, logger('timer', t))
  print('run ' .. mode)
  local alive = uv.run(mode)
  print('run ' .. mode .. ' -> ' .. tostring(alive))
  uv.run('default') -- deliver what is left, so the next program starts clean
end

program('default')
program('nowait')

-- A 0 ms timer whose callback calls uv_stop; prepare and check are active
-- (rule 1.39).
do
  local t, p, c = uv.new_timer(), uv.new_prepare(), uv.new_check()
  t:start(0, 0, function() print('  timer (calls stop)') ; uv.stop() end)
  p:start(function() print('  prepare') end)
  c:start(function() print('  check') end)
  print('run default')
  print('run default -> ' .. tostring(uv.run('default')))
  t:close() ; p:close() ; c:close()
  uv.run('default')
end
print('loop_close -> ' .. tostring(uv.loop_close()))
