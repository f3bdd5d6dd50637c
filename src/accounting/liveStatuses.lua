-- The live status of each order hash in KEYS ('' when it is gone), one round trip per page.
-- The keys share the store's hash tag: one slot on a cluster.
local out = {}
for i, key in ipairs(KEYS) do out[i] = redis.call('HGET', key, 'status') or '' end
return out
