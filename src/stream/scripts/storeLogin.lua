-- Opens the store's one session. Another device's live session refuses; the same device's
-- old session is replaced and its feeds are told to end. The old session's hash stays as a
-- marker (`replacedAt`, no deviceId) so its screen can be told why it was logged out.
-- KEYS: 1 store session pointer, 2 new session hash, 3 control stream
-- ARGV: 1 new sid, 2 deviceId, 3 ttl seconds, 4 now ms, 5 session key prefix (…:sess:)
local current = redis.call('GET', KEYS[1])
local replaced = ''
if current then
  local holder = redis.call('HGET', ARGV[5] .. current, 'deviceId')
  if holder and holder ~= ARGV[2] then return {'conflict', ''} end
  if holder then
    redis.call('DEL', ARGV[5] .. current)
    redis.call('HSET', ARGV[5] .. current, 'replacedAt', ARGV[4])
    redis.call('EXPIRE', ARGV[5] .. current, ARGV[3])
    redis.call('XADD', KEYS[3], 'MAXLEN', '~', 1000, '*', 'type', 'session_end', 'data', cjson.encode({sid = current}))
    replaced = current
  end
end
redis.call('HSET', KEYS[2], 'deviceId', ARGV[2], 'createdAt', ARGV[4])
redis.call('EXPIRE', KEYS[2], ARGV[3])
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
return {'ok', replaced}
