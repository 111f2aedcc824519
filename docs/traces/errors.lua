-- Error names and messages (docs/semantics.md §9).
local uv = require('luv')
print('libuv ' .. uv.version_string())
-- uv_translate_sys_error maps a positive Linux errno to libuv's code; luv
-- returns "NAME: message" and the name. Codes newer than the running libuv
-- have no name there (rules 9.2, 9.3).
for _, errno in ipairs({ 2, 111, 61, 49, 8 }) do
  local message = uv.translate_sys_error(errno)
  print(('errno %3d -> %s'):format(errno, message))
end
