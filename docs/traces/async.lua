-- Async handles (docs/semantics.md §5).
local uv = require('luv')
print('libuv ' .. uv.version_string())

-- Three sends before the loop runs give one callback (rule 5.4); a send
-- from inside the callback gives another one in a later iteration. A
-- second handle b, initialized after a, is called after it (rule 5.6).
local iteration, calls = 0, 0
local p = uv.new_prepare()
p:start(function() iteration = iteration + 1 ; print('iteration ' .. iteration .. ': prepare') end)
local a, b
a = uv.new_async(function()
  calls = calls + 1
  print('  async a, call ' .. calls)
  if calls == 1 then a:send() else a:close() ; b:close() ; p:close() end
end)
b = uv.new_async(function() print('  async b') end)
b:send()
a:send() ; a:send() ; a:send()
print('run default -> ' .. tostring(uv.run('default')))

-- A send that is still pending when the handle is closed is dropped: no
-- callback, only the close callback (rule 5.7).
local c = uv.new_async(function() print('  async c') end)
c:send()
c:close(function() print('  close c') end)
print('run default -> ' .. tostring(uv.run('default')))
uv.loop_close()
