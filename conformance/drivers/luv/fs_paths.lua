-- The fs kinds' files: every path a scenario names is relative to one
-- temporary directory the driver makes for the run (its name never reaches
-- a trace), removed with everything in it when the scenario ends.

local core = require('core')
local uv = core.uv

local fs_paths = {}

local root -- made on first use

function fs_paths.root()
  if root == nil then
    local dir = os.getenv('TMPDIR') or '/tmp'
    local made, err = uv.fs_mkdtemp(dir .. '/uvts-conformance-luv-XXXXXX')
    if not made then core.die('cannot make the fs directory: ' .. tostring(err)) end
    -- Canonical, so that realpath results can be shown relative to it.
    root = uv.fs_realpath(made)
  end
  return root
end

-- The absolute path of a scenario path: '' stays '' (the empty path is a
-- case of its own), '.' is the directory itself.
function fs_paths.resolve(name)
  if name == nil then core.die('an fs operation needs a path') end
  if name == '' then return '' end
  if name == '.' then return fs_paths.root() end
  return fs_paths.root() .. '/' .. name
end

-- A path as a trace shows it: relative to the directory, '$tmp' for the
-- directory itself.
function fs_paths.show(path)
  local base = fs_paths.root()
  if path == base then return '$tmp' end
  if path:sub(1, #base + 1) == base .. '/' then return '$tmp/' .. path:sub(#base + 2) end
  return path
end

-- The `getpath` operation of the fs_poll and fs_event kinds: the watched
-- path as a trace shows it, quoted, or the error.
function fs_paths.getpath_op(handle)
  local ok, path, _, name = pcall(handle.getpath, handle)
  local code = core.outcome(ok, path, nil, name)
  if code then return code end
  return nil, '"' .. fs_paths.show(path) .. '"'
end

local function remove_tree(path)
  local listing = uv.fs_scandir(path)
  if listing then
    for name, kind in uv.fs_scandir_next, listing do
      local child = path .. '/' .. name
      if kind == 'directory' then
        uv.fs_chmod(child, 448)
        remove_tree(child)
      else
        uv.fs_unlink(child)
      end
    end
  end
  uv.fs_rmdir(path)
end

core.at_exit(function()
  if root ~= nil then
    uv.fs_chmod(root, 448)
    remove_tree(root)
  end
end)

return fs_paths
