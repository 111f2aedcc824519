-- A small JSON decoder for the luv conformance driver.
--
-- The driver only needs to read scenario files, so this module decodes and
-- never encodes. It exists so that running the suite against real libuv needs
-- nothing beyond Debian's lua5.4 and lua-luv packages.
--
-- Mapping: objects and arrays become Lua tables (arrays 1-based), strings
-- become Lua strings, numbers become Lua integers when they are integral and
-- fit, floats otherwise, true/false become booleans, and null becomes the
-- unique sentinel value `json.null` (so a key that is present with the value
-- null can be told apart from a missing key).

local json = {}

-- A sentinel table that stands for JSON's null.
json.null = setmetatable({}, { __tostring = function() return 'null' end })

local escapes = {
  ['"'] = '"', ['\\'] = '\\', ['/'] = '/',
  b = '\b', f = '\f', n = '\n', r = '\r', t = '\t',
}

local function fail(text, pos, message)
  local line = 1
  for _ in text:sub(1, pos):gmatch('\n') do line = line + 1 end
  error(string.format('JSON error at line %d (offset %d): %s', line, pos, message), 0)
end

local function skip_space(text, pos)
  return text:find('[^ \t\r\n]', pos) or #text + 1
end

-- Encodes a Unicode code point as UTF-8 (scenario files are ASCII in
-- practice, but \u escapes are legal JSON and must not be mangled).
local function utf8_char(code)
  return utf8.char(code)
end

local decode_value

local function decode_string(text, pos)
  -- pos is at the opening quote.
  local parts = {}
  local i = pos + 1
  while true do
    local c = text:sub(i, i)
    if c == '' then fail(text, i, 'unterminated string') end
    if c == '"' then return table.concat(parts), i + 1 end
    if c == '\\' then
      local e = text:sub(i + 1, i + 1)
      if e == 'u' then
        local hex = text:sub(i + 2, i + 5)
        if not hex:match('^%x%x%x%x$') then fail(text, i, 'bad \\u escape') end
        local code = tonumber(hex, 16)
        i = i + 6
        -- A high surrogate must be followed by a low surrogate.
        if code >= 0xD800 and code <= 0xDBFF and text:sub(i, i + 1) == '\\u' then
          local low = tonumber(text:sub(i + 2, i + 5), 16)
          if low and low >= 0xDC00 and low <= 0xDFFF then
            code = 0x10000 + (code - 0xD800) * 0x400 + (low - 0xDC00)
            i = i + 6
          end
        end
        parts[#parts + 1] = utf8_char(code)
      elseif escapes[e] then
        parts[#parts + 1] = escapes[e]
        i = i + 2
      else
        fail(text, i, 'bad escape \\' .. e)
      end
    else
      local run_end = text:find('["\\]', i) or #text + 1
      parts[#parts + 1] = text:sub(i, run_end - 1)
      i = run_end
    end
  end
end

local function decode_number(text, pos)
  local literal = text:match('^-?%d+%.?%d*[eE]?[-+]?%d*', pos)
  if not literal or literal == '' or literal == '-' then fail(text, pos, 'bad number') end
  local value = tonumber(literal)
  if value == nil then fail(text, pos, 'bad number ' .. literal) end
  -- Keep integral values as Lua integers: luv's argument checks and our
  -- trace formatting both want 100, not 100.0.
  local as_integer = math.tointeger(value)
  if as_integer ~= nil then value = as_integer end
  return value, pos + #literal
end

local function decode_array(text, pos)
  local result = {}
  local i = skip_space(text, pos + 1)
  if text:sub(i, i) == ']' then return result, i + 1 end
  while true do
    local value
    value, i = decode_value(text, i)
    result[#result + 1] = value
    i = skip_space(text, i)
    local c = text:sub(i, i)
    if c == ']' then return result, i + 1 end
    if c ~= ',' then fail(text, i, "expected ',' or ']'") end
    i = skip_space(text, i + 1)
  end
end

local function decode_object(text, pos)
  local result = {}
  local i = skip_space(text, pos + 1)
  if text:sub(i, i) == '}' then return result, i + 1 end
  while true do
    if text:sub(i, i) ~= '"' then fail(text, i, 'expected a key') end
    local key
    key, i = decode_string(text, i)
    i = skip_space(text, i)
    if text:sub(i, i) ~= ':' then fail(text, i, "expected ':'") end
    i = skip_space(text, i + 1)
    local value
    value, i = decode_value(text, i)
    result[key] = value
    i = skip_space(text, i)
    local c = text:sub(i, i)
    if c == '}' then return result, i + 1 end
    if c ~= ',' then fail(text, i, "expected ',' or '}'") end
    i = skip_space(text, i + 1)
  end
end

decode_value = function(text, pos)
  pos = skip_space(text, pos)
  local c = text:sub(pos, pos)
  if c == '{' then return decode_object(text, pos) end
  if c == '[' then return decode_array(text, pos) end
  if c == '"' then return decode_string(text, pos) end
  if c == '-' or c:match('%d') then return decode_number(text, pos) end
  if text:sub(pos, pos + 3) == 'true' then return true, pos + 4 end
  if text:sub(pos, pos + 4) == 'false' then return false, pos + 5 end
  if text:sub(pos, pos + 3) == 'null' then return json.null, pos + 4 end
  fail(text, pos, 'unexpected character ' .. (c == '' and 'end of input' or c))
end

--- Decodes one JSON document; raises an error with a line number on bad input.
function json.decode(text)
  local value, pos = decode_value(text, 1)
  pos = skip_space(text, pos)
  if pos <= #text then fail(text, pos, 'trailing characters') end
  return value
end

return json
