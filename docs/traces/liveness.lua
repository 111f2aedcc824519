-- Liveness and reference counting (docs/semantics.md §2).
local uv = require('luv')
print('libuv ' .. uv.version_string())
local function status(ok, err) return ok and tostring(ok) or err:match('^%u+') end

-- An unref'd 60 s timer and a ref'd 10 ms timer: the loop lives for the
-- ref'd one only, so the unref'd one never fires (rules 2.1, 3.14).
local short, long = uv.new_timer(), uv.new_timer()
long:start(60000, 0, function() print('  long (unref\'d) fired') end)
long:unref()
short:start(10, 0, function() print('  short fired') end)
print('alive = ' .. tostring(uv.loop_alive()))
print('run default -> ' .. tostring(uv.run('default')))
print('long.active = ' .. tostring(long:is_active()))
-- An unclosed handle, even an unref'd or inactive one, makes uv_loop_close
-- fail (rule 2.7).
print('loop_close -> ' .. status(uv.loop_close()))

-- A closing handle keeps the loop alive even when unref'd (rule 2.6), and
-- uv_has_ref is false in its close callback.
short:close(function() print('  close short, has_ref = ' .. tostring(short:has_ref())) end)
long:close(function() print('  close long') end)
print('alive = ' .. tostring(uv.loop_alive()))
print('run nowait -> ' .. tostring(uv.run('nowait')))
print('alive = ' .. tostring(uv.loop_alive()))
print('loop_close -> ' .. status(uv.loop_close()))
