-- Healing: brings back a live day that Redis lost (rolled back by a power cut) from the SQLite
-- record, or moves a day whose last transition Redis lost to the state SQLite kept. The counter
-- sees the state as a new `state` entry; order entries are re-appended one by one afterwards.
-- KEYS: 1 day hash, 2 day stream, 3 lastDay, 4 control stream
-- ARGV: 1 dayId, 2 state, 3 readyAt, 4 businessDate, 5 openedAt or '', 6 closingAt or '',
--       7 ready entry data (JSON), 8 state entry data (JSON)
local day = redis.call('HMGET', KEYS[1], 'dayId', 'state')
if day[1] and day[1] ~= ARGV[1] then return {'other_day', day[1]} end
if day[1] and day[2] == ARGV[2] then return {'same', ''} end
local id
if not day[1] then
  if redis.call('XLEN', KEYS[2]) == 0 then
    id = redis.call('XADD', KEYS[2], '*', 'type', 'ready', 'data', ARGV[7])
  end
  redis.call('HSET', KEYS[1], 'dayId', ARGV[1], 'state', 'READY', 'readyAt', ARGV[3],
    'businessDate', ARGV[4], 'orderCount', 0, 'grossAmount', 0, 'nextPickup', 1)
  if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'openedAt', ARGV[5]) end
  if ARGV[6] ~= '' then redis.call('HSET', KEYS[1], 'closingAt', ARGV[6]) end
  redis.call('SET', KEYS[3], ARGV[1])
  redis.call('XADD', KEYS[4], 'MAXLEN', '~', 1000, '*', 'type', 'day', 'data',
    cjson.encode({dayId = ARGV[1]}))
end
if ARGV[2] ~= 'READY' then
  id = redis.call('XADD', KEYS[2], '*', 'type', 'state', 'data', ARGV[8])
end
redis.call('HSET', KEYS[1], 'state', ARGV[2])
if id then redis.call('HSET', KEYS[1], 'lastEntryId', id) end
if not redis.call('HGET', KEYS[1], 'lastEntryId') then
  local last = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)
  if last[1] then redis.call('HSET', KEYS[1], 'lastEntryId', last[1][1]) end
end
return {'ok', id or ''}
