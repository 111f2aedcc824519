-- Signals (docs/semantics.md §8.B).
local uv = require('luv')
print('libuv ' .. uv.version_string())

-- A timer raises SIGUSR1 and then sends an async wake-up. Both are ready in
-- the same POLL, and the signal comes last (rule 1.20). Two handles watch
-- SIGUSR1: each gets its own callback (rule 8.12). A one-shot handle on
-- SIGUSR2 stops itself after the first delivery (rule 8.11; luv offers
-- uv_signal_start_oneshot as a module function only).
local one, two, once = uv.new_signal(), uv.new_signal(), uv.new_signal()
local wake = uv.new_async(function() print('  async') end)
local k, done = uv.new_check(), false
one:start('sigusr1', function() print('  signal one') end)
two:start('sigusr1', function() print('  signal two') end)
uv.signal_start_oneshot(once, 'sigusr2', function() print('  signal once') ; done = true end)
local t = uv.new_timer()
t:start(0, 0, function()
  print('  timer: kill SIGUSR1, SIGUSR2, async send')
  uv.kill(uv.os_getpid(), 'sigusr1')
  uv.kill(uv.os_getpid(), 'sigusr2')
  wake:send()
end)
-- The check watcher closes everything after the signals were delivered.
k:start(function()
  print('  check')
  if done then
    print('  once.active = ' .. tostring(once:is_active()))
    for _, h in ipairs({ one, two, once, wake, k, t }) do h:close() end
  end
end)
print('run default -> ' .. tostring(uv.run('default')))
uv.loop_close()
