-- Records the intent to cancel (CANCELING) before KakaoPay is asked to refund, so concurrent or
-- repeated cancels never refund twice. A CANCELING left by a crashed request is taken over once
-- its lease has run out.
-- KEYS: 1 order hash. ARGV: 1 now ms, 2 reason, 3 lease ms
local o = redis.call('HMGET', KEYS[1], 'status', 'cancelStartedAt', 'priorStatus')
local status = o[1]
if not status then return {'missing', ''} end
if status == 'CANCELED' then return {'done', status} end
if status == 'CANCELING' then
  if tonumber(ARGV[1]) - tonumber(o[2] or 0) < tonumber(ARGV[3]) then return {'busy', status} end
  redis.call('HSET', KEYS[1], 'cancelStartedAt', ARGV[1])
  return {'begun', o[3] or 'PAID'}
end
if status ~= 'PAID' and status ~= 'ACCEPTED' and status ~= 'READY' then return {'refused', status} end
redis.call('HSET', KEYS[1], 'status', 'CANCELING', 'priorStatus', status,
  'cancelStartedAt', ARGV[1], 'cancelReason', ARGV[2])
return {'begun', status}
