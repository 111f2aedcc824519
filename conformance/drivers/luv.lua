-- Conformance driver for real libuv, through luv (the Lua binding of libuv).
-- It runs on any luv build: Debian's lua-luv links libuv 1.44.2, and a luv
-- statically linked with a newer libuv is loaded by putting it first on
-- LUA_CPATH. The libuv it links decides the one profile it can produce.
--
-- Usage: lua5.4 conformance/drivers/luv.lua [--profile P] SCENARIO.json
--        lua5.4 conformance/drivers/luv.lua --version
--
-- It interprets one scenario file (format: conformance/scenario.schema.json,
-- protocol: docs/conformance.md) and prints its trace on stdout, one event
-- per line; `--version` prints `libuv X.Y.Z` (the libuv luv links) instead.
-- The expected traces are recorded with this driver, so it must stay a
-- literal translation of the scenario into libuv calls: whatever ordering
-- the trace shows has to come from libuv, never from here.
--
-- The driver is split by concern, in the folder luv/ beside this file:
--   core.lua          shared state, trace output, callbacks, registries
--   interpreter.lua   action lists (steps and callbacks' `do`)
--   conditions.lua    `when`
--   probes.lua        `log`
--   handle.lua        `init` and what every handle has (close, ref, ...)
--   loop.lua          operations without a handle (run, walk, mark, ...)
--   stream.lua        what tcp and pipe share
--   kinds/*.lua       one module per handle kind; every file there is
--                     loaded, so a new kind is a new file (see core.lua)
--   json_decode.lua   the scenario decoder
--
-- Where luv itself stands between the scenario and libuv, the module
-- concerned says so in a comment (and docs/conformance.md lists the cases):
--   * luv raises a Lua error for a missing callback where libuv returns
--     UV_EINVAL; the driver reports that error as EINVAL (core.lua).
--   * luv's new_async requires a function; an async handle that the scenario
--     creates without a callback gets a silent function, which is what a
--     NULL callback looks like in a trace (kinds/async.lua).
--   * luv stores the Lua function passed to read_start (and listen) before
--     calling libuv, so a read_start that libuv rejects (EALREADY) still
--     replaces the read callback. Scenarios that provoke it pass the same
--     callback again, which makes the replacement invisible.
--   * Streams: everything runs on 127.0.0.1; ports and pipe paths never
--     reach a scenario or a trace (kinds/tcp.lua, kinds/pipe.lua).
--   * Signals: luv names signals in lower case ('sigusr1'); the scenario's
--     'SIGUSR1' is translated. `kill` sends the signal to this process
--     (kinds/signal.lua).

-- The modules are found through package.path, in luv/ only: this folder on
-- the path would make require('luv') find this very file, which is also why
-- the current directory's entries ('./?.lua') leave the path.
local script_dir = (arg[0]:match('^(.*)/[^/]*$')) or '.'
local module_dir = script_dir .. '/luv'
local search_path = { module_dir .. '/?.lua' }
for entry in package.path:gmatch('[^;]+') do
  if entry:sub(1, 2) ~= './' then search_path[#search_path + 1] = entry end
end
package.path = table.concat(search_path, ';')

local core = require('core')
local json = require('json_decode')
local uv = core.uv

io.stdout:setvbuf('line')

-- The profile this libuv produces: its major.minor version.
local function linked_profile()
  local version = uv.version()
  return string.format('%d.%d', version >> 16, (version >> 8) & 0xff)
end

-- ---------------------------------------------------------------------------
-- Command line and scenario file

local scenario_path, profile
do
  local i = 1
  while i <= #arg do
    if arg[i] == '--profile' then
      profile = arg[i + 1]
      i = i + 2
    elseif arg[i] == '--version' then
      core.emit('libuv ' .. uv.version_string())
      os.exit(0)
    else
      scenario_path = arg[i]
      i = i + 1
    end
  end
end
if not scenario_path then core.die('usage: luv.lua [--profile P] SCENARIO.json | --version') end
if profile and profile ~= linked_profile() then
  core.skip('luv links libuv ' .. uv.version_string() .. ', so it can only produce profile ' .. linked_profile())
end

local scenario
do
  local file, err = io.open(scenario_path, 'r')
  if not file then core.die(err) end
  local text = file:read('a')
  file:close()
  local ok, decoded = pcall(json.decode, text)
  if not ok then core.die(scenario_path .. ': ' .. tostring(decoded)) end
  scenario = decoded
end

core.null = json.null
core.callbacks = scenario.callbacks or {}
core.threadpool_size = scenario.threadpoolSize -- read by kinds/work.lua

-- ---------------------------------------------------------------------------
-- The modules: the interpreter and everything it dispatches to. The handle
-- kinds load in name order; each only registers itself with core.

local run_actions = require('interpreter')
require('loop')
do
  local kinds = {}
  local listing = uv.fs_scandir(module_dir .. '/kinds')
  if not listing then core.die('cannot list ' .. module_dir .. '/kinds') end
  for name in uv.fs_scandir_next, listing do
    local kind = name:match('^(.*)%.lua$')
    if kind then kinds[#kinds + 1] = kind end
  end
  table.sort(kinds)
  for _, kind in ipairs(kinds) do require('kinds.' .. kind) end
end

-- ---------------------------------------------------------------------------
-- The run

local ok, err = xpcall(run_actions, debug.traceback, scenario.steps or {}, nil)
if not ok then core.die(tostring(err)) end
core.run_exit_hooks()
io.stdout:flush()
-- Exit without closing the Lua state: closing it would let luv's garbage
-- collector close the remaining handles and run their callbacks after the
-- trace has ended.
os.exit(0, false)
