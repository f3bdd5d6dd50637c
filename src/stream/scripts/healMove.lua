-- Healing: re-appends an order event the stream lost (SQLite kept the move), once.
-- KEYS: 1 order hash, 2 day stream, 3 day hash
-- ARGV: 1 dayId, 2 status the event leads to, 3 event type, 4 data (JSON), 5 refunded amount
local status = redis.call('HGET', KEYS[1], 'status')
if status == ARGV[2] then return {'same', status} end
if redis.call('HGET', KEYS[3], 'dayId') ~= ARGV[1] then return {'closed', status or ''} end
local id = redis.call('XADD', KEYS[2], '*', 'type', ARGV[3], 'data', ARGV[4])
redis.call('HSET', KEYS[1], 'status', ARGV[2])
redis.call('HSET', KEYS[3], 'lastEntryId', id)
if ARGV[2] == 'CANCELED' then
  redis.call('HINCRBY', KEYS[3], 'canceledCount', 1)
  redis.call('HINCRBY', KEYS[3], 'refundAmount', tonumber(ARGV[5] or 0))
end
return {'ok', id}
