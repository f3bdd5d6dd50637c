-- Appends a paid order to its day stream exactly once: the memo (order → entry id|pickup) is
-- checked and written in the same step as the pickup number and the XADD.
-- KEYS: 1 day hash, 2 day stream, 3 memo, 4 the order's live state (hash)
-- ARGV: 1 dayId, 2 order payload (a JSON object, without pickupNumber), 3 amount
local memo = redis.call('GET', KEYS[3])
if memo then
  local sep = string.find(memo, '|', 1, true)
  return {'dup', string.sub(memo, 1, sep - 1), tonumber(string.sub(memo, sep + 1))}
end
if redis.call('HGET', KEYS[1], 'dayId') ~= ARGV[1] then return {'closed', '', 0} end
local pickup = redis.call('HINCRBY', KEYS[1], 'nextPickup', 1) - 1
-- Spliced, not cjson-encoded: cjson would turn empty arrays into objects.
local payload = string.sub(ARGV[2], 1, -2) .. ',"pickupNumber":' .. pickup .. '}'
local id = redis.call('XADD', KEYS[2], '*', 'type', 'order.paid', 'data', payload)
redis.call('HINCRBY', KEYS[1], 'orderCount', 1)
redis.call('HINCRBY', KEYS[1], 'grossAmount', ARGV[3])
redis.call('HSET', KEYS[1], 'lastEntryId', id)
redis.call('SET', KEYS[3], id .. '|' .. pickup)
redis.call('HSET', KEYS[4], 'status', 'PAID', 'pickupNumber', pickup, 'amount', ARGV[3])
return {'ok', id, pickup}
