-- Loop operations: the actions that name no handle (uv_run, uv_stop, uv_walk,
-- uv_loop_close, the clock, marks and counters, and the teardown).

local core = require('core')
local probes = require('probes')
local uv = core.uv

local function run_loop(args)
  local mode = args.mode or 'default'
  if not (args.untilFalse or args.untilElapsed) then
    core.emit('run ' .. mode)
    core.emit('run ' .. mode .. ' -> ' .. core.format_value(uv.run(mode)))
    return
  end
  local max = args.max or 100000
  local seen_true, seen_false = false, false
  for _ = 1, max do
    if not args.quiet then core.emit('run ' .. mode) end
    local alive = uv.run(mode)
    if not args.quiet then core.emit('run ' .. mode .. ' -> ' .. core.format_value(alive)) end
    if alive then seen_true = true else seen_false = true end
    if args.untilFalse and not alive then break end
    if args.untilElapsed then
      local target = args.untilElapsed
      if uv.now() - core.marks[target.mark] >= target.ms then break end
    end
  end
  if args.quiet then
    local summary = (seen_true and seen_false) and 'mixed' or core.format_value(seen_true)
    core.emit('run ' .. mode .. ' repeated -> ' .. summary)
  end
end

local function walk(args)
  local visited = {}
  uv.walk(function(handle)
    local name = core.names[handle] or '?'
    visited[#visited + 1] = name
    if args.close and not handle:is_closing() then
      core.close_with_default_callback(handle, name)
    end
  end)
  core.emit((args.close and 'walk-close [' or 'walk [') .. table.concat(visited, ', ') .. ']')
end

local function close_loop()
  local result, _, error_name = uv.loop_close()
  core.emit('loop.close -> ' .. (result == 0 and '0' or tostring(error_name)))
end

local ops = core.loop_ops

function ops.run(args) run_loop(args) end
function ops.stop() uv.stop() end
function ops.updateTime() uv.update_time() end
function ops.sleep(args) uv.sleep(args.ms) end
function ops.walk(args) walk(args) end
function ops.closeLoop() close_loop() end
function ops.note(args) core.emit('note ' .. args.text) end

function ops.mark(args)
  core.marks[args.name] = probes.clock_value(args.clock or 'now') + (args.plus or 0)
end

function ops.incr(args, context)
  local by = args.by or 1
  -- "$nread": the byte count of the running read callback's data.
  if by == '$nread' then by = context and context.nread or 0 end
  core.counters[args.counter] = (core.counters[args.counter] or 0) + by
end

function ops.teardown()
  walk({ close = true })
  run_loop({ mode = 'default' })
  close_loop()
end
