-- The luv twin of ../close-lifo.js.
local uv = require('luv')

local handles = { { 'A', uv.new_timer() }, { 'B', uv.new_idle() }, { 'C', uv.new_check() } }
for _, pair in ipairs(handles) do
  local name, handle = pair[1], pair[2]
  print('close ' .. name)
  handle:close(function() print('close callback of ' .. name) end)
end
uv.run('default')
