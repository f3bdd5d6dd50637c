-- Reads an order session and keeps it 30 more minutes, in one command (a skill reads the cart on
-- almost every tap). KEYS: 1 cart hash. ARGV: 1 ttl s
-- Replies version, body, cartId (nil when missing). EXPIRE XX: a cart without a ttl keeps none.
local cart = redis.call('HMGET', KEYS[1], 'version', 'body', 'cartId')
redis.call('EXPIRE', KEYS[1], ARGV[1], 'XX')
return cart
