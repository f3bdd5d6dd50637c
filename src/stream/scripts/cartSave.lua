-- Saves an order session only if nobody changed it since it was read (compare-and-set).
-- KEYS: 1 cart hash. ARGV: 1 version read ('0' = there was none), 2 new body (JSON), 3 ttl s
local current = redis.call('HGET', KEYS[1], 'version') or '0'
if current ~= ARGV[1] then return {'conflict', current} end
local next = tonumber(current) + 1
redis.call('HSET', KEYS[1], 'version', next, 'body', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return {'ok', next}
