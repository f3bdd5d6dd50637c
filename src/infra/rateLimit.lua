-- GCRA (a token bucket kept as one number): at most `limit` calls in any `window` ms, a burst of
-- `limit` allowed, then one every window/limit ms. The key holds the theoretical arrival time.
-- KEYS[1] the limiter; ARGV: now (ms), window (ms), limit.
-- Returns {1, 0} when allowed, {0, retryAfterMs} when not (nothing is counted then).
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local step = window / tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or 0)
if tat < now then tat = now end
local nextTat = tat + step
if nextTat - now > window then
  return {0, math.ceil(nextTat - now - window)}
end
redis.call('SET', KEYS[1], string.format('%.3f', nextTat), 'PX', math.ceil(nextTat - now))
return {1, 0}
