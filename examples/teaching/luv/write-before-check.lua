-- The luv twin of ../write-before-check.js.
local uv = require('luv')

local server = uv.new_tcp()
server:bind('127.0.0.1', 0)
local accepted
server:listen(128, function(err)
  if err then return end
  accepted = uv.new_tcp()
  server:accept(accepted)
end)

local client = uv.new_tcp()
local check = uv.new_check()
client:connect('127.0.0.1', server:getsockname().port, function(err)
  print('connect callback: ' .. (err == nil and 'connected' or err))
  client:write('hello', function(write_err)
    print('write callback: ' .. (write_err == nil and 'written' or write_err))
  end)
  check:start(function()
    print('check callback')
    check:close()
    client:close()
    server:close()
    if accepted then accepted:close() end
  end)
end)

uv.run('default')
