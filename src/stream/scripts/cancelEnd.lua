-- Ends a cancel: 'finish' (refunded: CANCELED + its event) or 'abort' (back to the prior state).
-- KEYS: 1 order hash, 2 day stream, 3 day hash
-- ARGV: 1 'finish'|'abort', 2 event data (JSON), 3 refunded amount (finish)
local o = redis.call('HMGET', KEYS[1], 'status', 'priorStatus')
if o[1] == 'CANCELED' then return {'same', 'CANCELED'} end
if o[1] ~= 'CANCELING' then return {'refused', o[1] or ''} end
if ARGV[1] == 'abort' then
  redis.call('HSET', KEYS[1], 'status', o[2] or 'PAID')
  return {'ok', o[2] or 'PAID'}
end
local id = redis.call('XADD', KEYS[2], '*', 'type', 'order.canceled', 'data', ARGV[2])
redis.call('HSET', KEYS[1], 'status', 'CANCELED')
redis.call('HSET', KEYS[3], 'lastEntryId', id)
if redis.call('HGET', KEYS[3], 'dayId') then
  redis.call('HINCRBY', KEYS[3], 'canceledCount', 1)
  redis.call('HINCRBY', KEYS[3], 'refundAmount', tonumber(ARGV[3] or 0))
end
return {'ok', id}
