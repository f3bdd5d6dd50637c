-- Appends a paid order to its day stream exactly once: the memo (order → entry id|pickup) is
-- checked and written in the same step as the pickup number and the XADD.
-- KEYS: 1 day hash, 2 day stream, 3 memo, 4 the order's live state (hash)
-- ARGV: 1 dayId, 2 order payload (a JSON object, without pickupNumber), 3 amount,
--       4 pickup number to keep ('' = hand out the next one; a kept number raises the counter
--       past it, so healing never hands it out again), 5 tid, 6 botUserKey
local memo = redis.call('GET', KEYS[3])
if memo then
  local sep = string.find(memo, '|', 1, true)
  local id = string.sub(memo, 1, sep - 1)
  -- Healing (a kept number) trusts the memo only while its entry is still in the stream.
  if ARGV[4] == nil or ARGV[4] == '' or #redis.call('XRANGE', KEYS[2], id, id) == 1 then
    return {'dup', id, tonumber(string.sub(memo, sep + 1))}
  end
end
if redis.call('HGET', KEYS[1], 'dayId') ~= ARGV[1] then return {'closed', '', 0} end
local pickup
if ARGV[4] ~= nil and ARGV[4] ~= '' then
  pickup = tonumber(ARGV[4])
  if tonumber(redis.call('HGET', KEYS[1], 'nextPickup') or '1') <= pickup then
    redis.call('HSET', KEYS[1], 'nextPickup', pickup + 1)
  end
else
  pickup = redis.call('HINCRBY', KEYS[1], 'nextPickup', 1) - 1
end
-- Spliced, not cjson-encoded: cjson would turn empty arrays into objects.
local payload = string.sub(ARGV[2], 1, -2) .. ',"pickupNumber":' .. pickup .. '}'
local id = redis.call('XADD', KEYS[2], '*', 'type', 'order.paid', 'data', payload)
redis.call('HINCRBY', KEYS[1], 'orderCount', 1)
redis.call('HINCRBY', KEYS[1], 'grossAmount', ARGV[3])
redis.call('HSET', KEYS[1], 'lastEntryId', id)
redis.call('SET', KEYS[3], id .. '|' .. pickup)
-- tid and customer key let a SQLite that lost the order rebuild it from Redis (healing).
redis.call('HSET', KEYS[4], 'status', 'PAID', 'pickupNumber', pickup, 'amount', ARGV[3],
  'tid', ARGV[5] or '', 'botUserKey', ARGV[6] or '')
return {'ok', id, pickup}
