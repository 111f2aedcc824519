-- Action lists: runs a scenario's steps, or a callback's `do` list, one
-- action at a time. `log` and `init` are built in; an action that names a
-- handle goes to that handle kind's operation (core.handle_op), any other
-- to the loop operations.

local core = require('core')
local holds = require('conditions')
local probes = require('probes')
local handle = require('handle')

local function run_actions(actions, context)
  for _, action in ipairs(actions) do
    local args = action.args or {}
    if action.when == nil or holds(action.when, context) then
      local op = action.op
      if op == 'log' then
        probes.probe(args, action, context)
      elseif op == 'init' then
        handle.init(action, args, context)
      elseif action.handle ~= nil and core.is_handle_op(op) then
        local h, name = core.lookup(action.handle, context)
        local code, value = core.handle_op(h, op)(h, name, args, context)
        core.log_outcome(name, op, code, action, value)
      elseif core.loop_ops[op] then
        core.loop_ops[op](args, context, action)
      else
        core.skip('operation ' .. tostring(op) .. ' is not supported by the luv driver')
      end
    end
  end
end

core.run_actions = run_actions
return run_actions
