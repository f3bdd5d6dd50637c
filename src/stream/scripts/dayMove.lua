-- Moves a live day to a new state and appends its `state` entry, all or nothing.
-- KEYS: 1 day hash, 2 day stream
-- ARGV: 1 expected dayId, 2 now ms, 3 allowed from-states (comma separated), 4 to-state,
--       5 entry data (JSON), 6 timestamp field to set once (e.g. openedAt) or ''
local day = redis.call('HMGET', KEYS[1], 'dayId', 'state')
if not day[1] then return {'refused', 'NONE'} end
if day[1] ~= ARGV[1] then return {'stale', day[2]} end
if not string.find(',' .. ARGV[3] .. ',', ',' .. day[2] .. ',', 1, true) then
  return {'refused', day[2]}
end
local id = redis.call('XADD', KEYS[2], '*', 'type', 'state', 'data', ARGV[5])
redis.call('HSET', KEYS[1], 'state', ARGV[4], 'lastEntryId', id)
if ARGV[6] ~= '' then redis.call('HSETNX', KEYS[1], ARGV[6], ARGV[2]) end
return {'ok', id}
