-- Healing: raises the day's next pickup number to at least ARGV[2] (never lowers it).
-- KEYS: 1 day hash. ARGV: 1 dayId, 2 floor
if redis.call('HGET', KEYS[1], 'dayId') ~= ARGV[1] then return {'closed', 0} end
local next = tonumber(redis.call('HGET', KEYS[1], 'nextPickup') or '1')
local floor = tonumber(ARGV[2])
if next < floor then
  redis.call('HSET', KEYS[1], 'nextPickup', floor)
  return {'raised', floor}
end
return {'same', next}
