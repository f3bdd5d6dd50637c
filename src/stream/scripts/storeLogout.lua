-- Ends a session and tells its feeds. KEYS: 1 store session pointer, 2 session hash, 3 control
-- ARGV: 1 sid
redis.call('DEL', KEYS[2])
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
redis.call('XADD', KEYS[3], 'MAXLEN', '~', 1000, '*', 'type', 'session_end', 'data', cjson.encode({sid = ARGV[1]}))
return {'ok', ''}
