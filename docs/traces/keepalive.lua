-- TCP keep-alive delays (docs/semantics.md rule 7.29).
local uv = require('luv')
print('libuv ' .. uv.version_string())
local function result(ok, err) return ok and tostring(ok) or err:match('^%u+') end

-- Before the handle has a socket libuv only remembers the setting; once it
-- has one, the kernel judges the delay: 0 and more than 32767 s fail.
local t = uv.new_tcp()
print('no socket, delay 0     -> ' .. result(t:keepalive(true, 0)))
t:bind('127.0.0.1', 0)
print('socket, delay 0        -> ' .. result(t:keepalive(true, 0)))
print('socket, delay 1        -> ' .. result(t:keepalive(true, 1)))
print('socket, delay 32767    -> ' .. result(t:keepalive(true, 32767)))
print('socket, delay 32768    -> ' .. result(t:keepalive(true, 32768)))
print('socket, off, delay 0   -> ' .. result(t:keepalive(false, 0)))
t:close()
uv.run('default')
print('loop_close -> ' .. tostring(uv.loop_close()))
