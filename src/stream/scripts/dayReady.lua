-- Starts a day business: day hash + first stream entry + control signal, all or nothing.
-- KEYS: 1 day hash, 2 new day stream, 3 lastDay, 4 control stream
-- ARGV: 1 dayId, 2 now ms, 3 businessDate, 4 ready entry data (JSON)
local state = redis.call('HGET', KEYS[1], 'state')
if state then return {'refused', state} end
local id = redis.call('XADD', KEYS[2], '*', 'type', 'ready', 'data', ARGV[4])
redis.call('HSET', KEYS[1], 'dayId', ARGV[1], 'state', 'READY', 'lastEntryId', id,
  'readyAt', ARGV[2], 'businessDate', ARGV[3], 'orderCount', 0, 'grossAmount', 0, 'nextPickup', 1)
redis.call('SET', KEYS[3], ARGV[1])
redis.call('XADD', KEYS[4], 'MAXLEN', '~', 1000, '*', 'type', 'day', 'data', cjson.encode({dayId = ARGV[1]}))
return {'ok', id}
