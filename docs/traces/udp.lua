-- UDP (docs/semantics.md §8.A).
local uv = require('luv')
print('libuv ' .. uv.version_string())
local function status(err) return err and err:match('^%u+') or '0' end

local iteration = 0
local p, k = uv.new_prepare(), uv.new_check()
p:start(function() iteration = iteration + 1 ; print('iteration ' .. iteration .. ': prepare') end)
k:start(function() print('  check') end)

-- The receiver reads each datagram with its own callback and ends every
-- drained batch with one "nothing more" callback (no data, no address;
-- rule 8.4). A zero-length datagram is data of length 0 with an address.
local receiver, sender = uv.new_udp(), uv.new_udp()
receiver:bind('127.0.0.1', 0)
local port = receiver:getsockname().port
-- UDP bind errors are synchronous, unlike TCP's (rule 8.2).
print('sender:bind(taken port) -> ' .. status(select(2, sender:bind('127.0.0.1', port))))
local received = 0
receiver:recv_start(function(err, data, addr)
  if data then
    received = received + 1
    print(('  recv "%s" (%d bytes) from %s'):format(data, #data, addr and 'an address' or 'nil'))
  else
    print('  recv nothing more (data ' .. tostring(data) .. ', addr ' .. tostring(addr) .. ')')
    if received == 3 then receiver:close() ; sender:close() ; p:close() ; k:close() end
  end
end)
-- Send callbacks never run inside uv_udp_send; they come through the
-- pending queue, in submission order (rule 8.5).
for _, text in ipairs({ 'one', 'two', '' }) do
  sender:send(text, '127.0.0.1', port, function(err)
    print('  send "' .. text .. '" ' .. status(err))
  end)
end
print('run default -> ' .. tostring(uv.run('default')))
uv.loop_close()
