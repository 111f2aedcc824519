-- FS events (docs/semantics.md §8.E).
local uv = require('luv')
print('libuv ' .. uv.version_string())

-- Two handles watch the same directory; each event reaches both, in start
-- order (rule 8.27). Creating and deleting an entry is a rename event,
-- writing to it a change event, each with the entry's name (rule 8.26).
local dir = uv.fs_mkdtemp(uv.os_tmpdir() .. '/fsevent-XXXXXX')
local first, second = uv.new_fs_event(), uv.new_fs_event()
local function watcher(name)
  return function(err, filename, events)
    local kinds = {}
    if events.rename then kinds[#kinds + 1] = 'rename' end
    if events.change then kinds[#kinds + 1] = 'change' end
    print(('  %s: %s %s'):format(name, filename, table.concat(kinds, '|')))
  end
end
first:start(dir, {}, watcher('first'))
second:start(dir, {}, watcher('second'))
-- Errors of the start itself are synchronous (rule 8.25).
local missing = uv.new_fs_event()
print('start missing path -> ' .. tostring(select(2, missing:start(dir .. '/missing', {}, watcher('none')))))
missing:close()
-- One step per timer tick, so that each step's events come in their own POLL.
local steps = {
  function() print('create a.txt') ; uv.fs_close(uv.fs_open(dir .. '/a.txt', 'w', 420)) end,
  function() print('write a.txt') ; local fd = uv.fs_open(dir .. '/a.txt', 'a', 420) ; uv.fs_write(fd, 'x') ; uv.fs_close(fd) end,
  function() print('unlink a.txt') ; uv.fs_unlink(dir .. '/a.txt') end,
}
local t, n = uv.new_timer(), 0
t:start(100, 100, function()
  n = n + 1
  if steps[n] then steps[n]() else t:close() ; first:close() ; second:close() end
end)
print('run default -> ' .. tostring(uv.run('default')))
uv.fs_rmdir(dir)
print('loop_close -> ' .. tostring(uv.loop_close()))
