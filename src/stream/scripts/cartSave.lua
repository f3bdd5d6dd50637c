-- Saves an order session only if nobody changed it since it was read (compare-and-set).
-- KEYS: 1 cart hash. ARGV: 1 version read ('0' = there was none), 2 new body (JSON), 3 ttl s,
-- 4 a fresh cart id, 5 '1' when the body replaces the cart (another store's item)
-- Each cart is its own order: a new or replaced cart takes the fresh id and keeps it while it
-- grows; a cart saved before carts had ids gets one now.
local current = redis.call('HGET', KEYS[1], 'version') or '0'
if current ~= ARGV[1] then return {'conflict', current} end
local next = tonumber(current) + 1
redis.call('HSET', KEYS[1], 'version', next, 'body', ARGV[2])
if current == '0' or ARGV[5] == '1' then
  redis.call('HSET', KEYS[1], 'cartId', ARGV[4])
else
  redis.call('HSETNX', KEYS[1], 'cartId', ARGV[4])
end
redis.call('EXPIRE', KEYS[1], ARGV[3])
return {'ok', next, redis.call('HGET', KEYS[1], 'cartId')}
