-- Closes a day: checks the client saw every entry, appends `closed`, removes the live state.
-- KEYS: 1 day hash, 2 day stream
-- ARGV: 1 expected dayId, 2 client's last seen entry id ('' when its id is of another day),
--       3 closed entry data (JSON)
local day = redis.call('HMGET', KEYS[1], 'dayId', 'state', 'lastEntryId', 'orderCount')
if not day[1] then return {'refused', 'NONE'} end
if day[1] ~= ARGV[1] then return {'stale', day[2]} end
local closable = day[2] == 'CLOSING' or (day[2] == 'READY' and tonumber(day[4]) == 0)
if not closable then return {'refused', day[2]} end
if ARGV[2] ~= day[3] then
  if ARGV[2] == '' then return {'behind', redis.call('XLEN', KEYS[2])} end
  return {'behind', #redis.call('XRANGE', KEYS[2], '(' .. ARGV[2], '+')}
end
local id = redis.call('XADD', KEYS[2], '*', 'type', 'closed', 'data', ARGV[3])
redis.call('DEL', KEYS[1])
return {'ok', id}
