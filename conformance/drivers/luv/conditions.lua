-- `when` conditions: whether an action runs, from the running callback's
-- call count and status, counters, and handle states.

local core = require('core')

local function holds(condition, context)
  if condition[1] ~= nil then
    for _, part in ipairs(condition) do
      if not holds(part, context) then return false end
    end
    return true
  end
  local count = context and context.count or 0
  if condition.call ~= nil and count ~= condition.call then return false end
  if condition.callAtLeast ~= nil and count < condition.callAtLeast then return false end
  if condition.callAtMost ~= nil and count > condition.callAtMost then return false end
  if condition.callEvery ~= nil and count % condition.callEvery ~= 0 then return false end
  if condition.counter ~= nil then
    local value = core.counters[condition.counter] or 0
    if condition.mod ~= nil then value = value % condition.mod end
    if not core.compare(value, condition.cmp or '==', condition.than) then return false end
  end
  if condition.status ~= nil then
    -- The running stream callback's outcome: 'ok' (status 0, or data),
    -- 'error' (anything else, EOF included), or one error name; a UDP
    -- receive callback's "nothing more to read" call is 'none', neither.
    local status = context and context.status
    if status == nil then return false end
    if condition.status == 'ok' or condition.status == 'error' then
      if status == 'none' or (status == 'ok') ~= (condition.status == 'ok') then return false end
    elseif status ~= condition.status then
      return false
    end
  end
  if condition.handle ~= nil then
    local handle = core.lookup(condition.handle, context)
    if condition.active ~= nil and handle:is_active() ~= condition.active then return false end
    if condition.closing ~= nil and handle:is_closing() ~= condition.closing then return false end
    if condition.hasRef ~= nil and handle:has_ref() ~= condition.hasRef then return false end
  end
  return true
end

return holds
