-- Poll handles (docs/semantics.md §8.D).
local uv = require('luv')
print('libuv ' .. uv.version_string())

-- One byte waits in a socketpair. The poll handle is level-triggered: it
-- reports the descriptor readable in every POLL until the byte is read
-- (rule 8.24). Once it is started, a second poll handle for the same
-- descriptor is refused (rule 8.22).
local fds = uv.socketpair()
local reader, writer = fds[1], fds[2]
uv.fs_write(writer, 'x')
local poll = uv.new_poll(reader)
local calls = 0
poll:start('r', function(err, events)
  calls = calls + 1
  print('  poll ' .. tostring(err or 0) .. ' ' .. events)
  if calls == 3 then
    print('  read "' .. uv.fs_read(reader, 1) .. '", stop')
    poll:stop()
  end
end)
local second, err = uv.new_poll(reader)
print('second new_poll -> ' .. tostring(second) .. ', ' .. tostring(err))
local k = uv.new_check()
k:start(function() print('  check') ; if calls == 3 then k:stop() end end)
print('run default -> ' .. tostring(uv.run('default')))
poll:close() ; k:close() ; uv.run('default')
uv.fs_close(reader) ; uv.fs_close(writer)
print('loop_close -> ' .. tostring(uv.loop_close()))
