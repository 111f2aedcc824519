-- The thread pool: work, fs and DNS requests (docs/semantics.md §8.G).
local uv = require('luv')
-- One worker thread, so that the jobs behind the first one wait in the
-- queue (rule 8.34: the size is read once, at the first submission).
uv.os_setenv('UV_THREADPOOL_SIZE', '1')
print('libuv ' .. uv.version_string())
local function status(err) return err and err:match('^[%u_]+') or '0' end

-- The first job occupies the only worker for 100 ms.
local work = uv.new_work(function(ms) require('luv').sleep(ms) end,
  function() print('  after work') end)
work:queue(100)
-- Queued behind it: a stat that will run, and a stat and a getaddrinfo
-- that are cancelled before a worker picks them up. uv_cancel returns 0 and
-- their callbacks still run, later, with the cancellation status: ECANCELED
-- for fs, EAI_CANCELED for DNS (rule 8.38).
uv.fs_stat('/', function(err) print('  stat ' .. status(err)) end)
local dropped = uv.fs_stat('/', function(err) print('  cancelled stat ' .. status(err)) end)
local lookup = uv.getaddrinfo('localhost', nil, {}, function(err) print('  cancelled getaddrinfo ' .. status(err)) end)
print('cancel stat -> ' .. tostring(uv.cancel(dropped)))
print('cancel getaddrinfo -> ' .. tostring(uv.cancel(lookup)))
print('run default -> ' .. tostring(uv.run('default')))
print('loop_close -> ' .. tostring(uv.loop_close()))
