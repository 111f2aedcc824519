-- Idle, prepare and check handles: alike, and started with a callback only
-- (handle.lua's start and stop).

local core = require('core')
local uv = core.uv

core.define_kind('idle', function() return uv.new_idle() end)
core.define_kind('prepare', function() return uv.new_prepare() end)
core.define_kind('check', function() return uv.new_check() end)
