-- FS poll (docs/semantics.md §8.F).
local uv = require('luv')
print('libuv ' .. uv.version_string())

-- A file is polled every 10 ms. The first successful stat is only
-- remembered; a change of size is reported with the old and the new stat;
-- the file's disappearance is reported once, however often the stat fails;
-- its return is reported even though nothing else changed (rule 8.29).
local dir = uv.fs_mkdtemp(uv.os_tmpdir() .. '/fspoll-XXXXXX')
local path = dir .. '/f'
-- Each version of the file is written aside and renamed into place, so that
-- no stat can see it half written.
local function write(text)
  local fd = uv.fs_open(path .. '.new', 'w', 420)
  uv.fs_write(fd, text)
  uv.fs_close(fd)
  uv.fs_rename(path .. '.new', path)
end
write('a')
local poll = uv.new_fs_poll()
poll:start(path, 10, function(err, prev, curr)
  print(('  fs_poll %s: prev size %s, curr size %s'):format(
    err and err:match('^%u+') or '0', prev and prev.size or '-', curr and curr.size or '-'))
end)
local steps = {
  function() print('write 3 bytes') ; write('abc') end,
  function() print('unlink') ; uv.fs_unlink(path) end,
  function() print('(still missing)') end,
  function() print('write 3 bytes again') ; write('xyz') end,
}
local t, n = uv.new_timer(), 0
t:start(150, 150, function()
  n = n + 1
  if steps[n] then steps[n]() else t:close() ; poll:close() end
end)
print('run default -> ' .. tostring(uv.run('default')))
uv.fs_unlink(path) ; uv.fs_rmdir(dir)
print('loop_close -> ' .. tostring(uv.loop_close()))
