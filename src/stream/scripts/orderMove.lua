-- Moves a paid order along (accept, ready, pickup) and appends its event, all or nothing.
-- Repeating a move that already happened appends nothing ('same').
-- KEYS: 1 order hash, 2 day stream, 3 day hash
-- ARGV: 1 dayId, 2 allowed from-states (comma separated), 3 to-state, 4 event type, 5 data (JSON)
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return {'missing', ''} end
if status == ARGV[3] then return {'same', status} end
if not string.find(',' .. ARGV[2] .. ',', ',' .. status .. ',', 1, true) then
  return {'refused', status}
end
if redis.call('HGET', KEYS[3], 'dayId') ~= ARGV[1] then return {'refused', status} end
local id = redis.call('XADD', KEYS[2], '*', 'type', ARGV[4], 'data', ARGV[5])
redis.call('HSET', KEYS[1], 'status', ARGV[3])
redis.call('HSET', KEYS[3], 'lastEntryId', id)
return {'ok', id}
