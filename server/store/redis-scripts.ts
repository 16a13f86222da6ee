import type { Redis } from 'ioredis'

/*
 * The Redis store's writes and multi-key reads, as Lua scripts: Redis runs each one alone, so an
 * id is assigned and its data written in one step (no id becomes visible before a smaller one),
 * and a read sees one snapshot. Every key starts with ARGV[1], the store's prefix. Keys are made
 * inside the scripts, which needs a single Redis (or a primary with replicas), not Redis Cluster.
 *
 * Layout (p = prefix; ids are 16-digit zero-padded sequence numbers, so string order = number order):
 *   p n:seq              notification sequence (INCR; starts at the time in microseconds)
 *   p n:data             HASH id -> notification JSON without its id
 *   p n:aud:<audience>   ZSET score seq, member id   (audience: '*', 't:<topic>', 'u:<user>')
 *   p n:age              ZSET score published-at ms, member id (retention)
 *   p idem:<key>         "<id> <created-at ms>", expires after 24 h; p idem:age ZSET for pruning
 *   p follows:<user>     SET of followed topics
 *   p wm:<user>          read watermark: every id up to this sequence number is read
 *   p start:<user>       where the user's inbox starts: broadcasts and topic notifications up to
 *                        this sequence number were published before their first connection
 *   p reads:<user>       ZSET score seq, member id..audience: single reads above the watermark
 *   p c:seq              chat sequence; p c:room:<room> ZSET score seq, member id..message JSON
 *   p feed               STREAM of every commit, in commit order: k = 'n' | 'c', v = id..JSON
 */

// A sequence Redis has never seen (a new Redis, or one that lost its data) starts at the current
// time in microseconds, as the SQLite store's does: a client holding a cursor from before gets
// the new items instead of having them dropped as already seen.
const format = `local function fmt(seq) return string.format('%016d', seq) end
local function next_seq(key)
  if redis.call('EXISTS', key) == 0 then
    local now = redis.call('TIME')
    redis.call('SET', key, string.format('%.0f', tonumber(now[1]) * 1000000 + tonumber(now[2])))
  end
  return redis.call('INCR', key)
end`

// The audiences a user's inbox is made of, and its unread count: the user's own notifications
// above the watermark, shared ones (broadcasts, followed topics) above the later of the watermark
// and the inbox's start (reads of notifications no longer in the inbox, or pruned, do not count).
const inboxHelpers = `
local function audiences_of(p, user)
  local topics = redis.call('SMEMBERS', p .. 'follows:' .. user)
  local list = {'*', 'u:' .. user}
  for _, t in ipairs(topics) do list[#list + 1] = 't:' .. t end
  return list, topics
end
local function watermark(p, user) return tonumber(redis.call('GET', p .. 'wm:' .. user) or '0') end
local function shared_from(p, user, wm)
  return math.max(wm, tonumber(redis.call('GET', p .. 'start:' .. user) or '0'))
end
-- Lua's own number-to-string (..) keeps 14 digits: sequence numbers have 16.
local function above(seq) return '(' .. string.format('%.0f', seq) end
local function unread(p, user, list, wm)
  local own = 'u:' .. user
  local from = shared_from(p, user, wm)
  local total = 0
  local member = {}
  for _, a in ipairs(list) do
    total = total + redis.call('ZCOUNT', p .. 'n:aud:' .. a, above(a == own and wm or from), '+inf')
    member[a] = true
  end
  for _, m in ipairs(redis.call('ZRANGEBYSCORE', p .. 'reads:' .. user, above(wm), '+inf')) do
    local id, a = string.sub(m, 1, 16), string.sub(m, 17)
    if member[a] and (a == own or tonumber(id) > from) and redis.call('HEXISTS', p .. 'n:data', id) == 1 then
      total = total - 1
    end
  end
  return total
end
`

export const SCRIPTS = {
  /**
   * ARGV: prefix, JSON, audience, published-at ms, idempotency key ('' for none), now ms, key TTL
   * ms, feed length. Returns {created 0|1, id, JSON}.
   */
  appendNotification: `${format}
local p = ARGV[1]
local key = ARGV[5]
local now, ttl = tonumber(ARGV[6]), tonumber(ARGV[7])
if key ~= '' then
  local existing = redis.call('GET', p .. 'idem:' .. key)
  if existing then
    local sep = string.find(existing, ' ', 1, true)
    local id, created = string.sub(existing, 1, sep - 1), tonumber(string.sub(existing, sep + 1))
    local stored = redis.call('HGET', p .. 'n:data', id)
    -- A key outliving its notification (very short retention) counts as expired.
    if stored and created > now - ttl then return {0, id, stored} end
  end
end
local seq = next_seq(p .. 'n:seq')
local id = fmt(seq)
redis.call('HSET', p .. 'n:data', id, ARGV[2])
redis.call('ZADD', p .. 'n:aud:' .. ARGV[3], seq, id)
redis.call('ZADD', p .. 'n:age', ARGV[4], id)
if key ~= '' then
  redis.call('SET', p .. 'idem:' .. key, id .. ' ' .. ARGV[6], 'PX', ttl)
  redis.call('ZADD', p .. 'idem:age', ARGV[6], key)
end
redis.call('XADD', p .. 'feed', 'MAXLEN', '~', ARGV[8], '*', 'k', 'n', 'v', id .. ARGV[2])
return {1, id, ARGV[2]}
`,

  /** ARGV: prefix, after seq, limit, audience... Returns id..JSON strings, oldest first. */
  notificationsAfter: `
local p, after, limit = ARGV[1], ARGV[2], tonumber(ARGV[3])
local ids = {}
for i = 4, #ARGV do
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', p .. 'n:aud:' .. ARGV[i], '(' .. after, '+inf', 'LIMIT', 0, limit)) do
    ids[#ids + 1] = id
  end
end
table.sort(ids)
local picked = {}
for i = 1, math.min(#ids, limit) do picked[i] = ids[i] end
if #picked == 0 then return {} end
local data = redis.call('HMGET', p .. 'n:data', unpack(picked))
local out = {}
for i, id in ipairs(picked) do if data[i] then out[#out + 1] = id .. data[i] end end
return out
`,

  /**
   * ARGV: prefix, user, before seq ('+inf' for the newest), limit. Returns {followed topics,
   * unread, id..JSON..., read flags...}: limit + 1 entries at most, newest first.
   */
  inboxPage: `${inboxHelpers}
local p, user, limit = ARGV[1], ARGV[2], tonumber(ARGV[4])
local list, topics = audiences_of(p, user)
local wm = watermark(p, user)
local from = shared_from(p, user, wm)
local max = ARGV[3] == '+inf' and '+inf' or '(' .. ARGV[3]
local found = {}
for _, a in ipairs(list) do
  for _, id in ipairs(redis.call('ZREVRANGEBYSCORE', p .. 'n:aud:' .. a, max, '-inf', 'LIMIT', 0, limit + 1)) do
    found[#found + 1] = {id, a}
  end
end
table.sort(found, function(x, y) return x[1] > y[1] end)
local picked, entries, reads = {}, {}, {}
for i = 1, math.min(#found, limit + 1) do picked[i] = found[i][1] end
if #picked > 0 then
  local data = redis.call('HMGET', p .. 'n:data', unpack(picked))
  for i, id in ipairs(picked) do
    if data[i] then
      local read = tonumber(id) <= (found[i][2] == 'u:' .. user and wm or from) or redis.call('ZSCORE', p .. 'reads:' .. user, id .. found[i][2]) ~= false
      entries[#entries + 1] = id .. data[i]
      reads[#reads + 1] = read and 1 or 0
    end
  end
end
return {topics, unread(p, user, list, wm), entries, reads}
`,

  /** ARGV: prefix, user. */
  unreadCount: `${inboxHelpers}
local p, user = ARGV[1], ARGV[2]
local list = audiences_of(p, user)
return unread(p, user, list, watermark(p, user))
`,

  /** ARGV: prefix, user, id. Returns 1 when the notification is in the user's inbox, else 0. */
  markRead: `${inboxHelpers}
local p, user, id = ARGV[1], ARGV[2], ARGV[3]
for _, a in ipairs(audiences_of(p, user)) do
  local seq = redis.call('ZSCORE', p .. 'n:aud:' .. a, id)
  if seq then
    if tonumber(seq) > watermark(p, user) then redis.call('ZADD', p .. 'reads:' .. user, seq, id .. a) end
    return 1
  end
end
return 0
`,

  /** ARGV: prefix, user. Raises the watermark to the newest committed id. */
  markAllRead: `${inboxHelpers}
local p, user = ARGV[1], ARGV[2]
local newest = tonumber(redis.call('GET', p .. 'n:seq') or '0')
if newest > watermark(p, user) then redis.call('SET', p .. 'wm:' .. user, newest) end
redis.call('ZREMRANGEBYSCORE', p .. 'reads:' .. user, '-inf', newest)
return 0
`,

  /** ARGV: prefix, user. Sets where the user's inbox starts, once: the newest committed id now. */
  startInbox: `
local p, user = ARGV[1], ARGV[2]
redis.call('SET', p .. 'start:' .. user, redis.call('GET', p .. 'n:seq') or '0', 'NX')
return 0
`,

  /** ARGV: prefix, room, message JSON without id, kept per room, feed length. Returns the id. */
  appendChatMessage: `${format}
local p = ARGV[1]
local seq = next_seq(p .. 'c:seq')
local id = fmt(seq)
local room = p .. 'c:room:' .. ARGV[2]
redis.call('ZADD', room, seq, id .. ARGV[3])
redis.call('ZREMRANGEBYRANK', room, 0, -(tonumber(ARGV[4]) + 1))
redis.call('XADD', p .. 'feed', 'MAXLEN', '~', ARGV[5], '*', 'k', 'c', 'v', id .. ARGV[3])
return id
`,

  /** ARGV: prefix, cutoff ms, batch size. Deletes notifications published before the cutoff. */
  pruneNotifications: `
local p = ARGV[1]
local ids = redis.call('ZRANGEBYSCORE', p .. 'n:age', '-inf', '(' .. ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))
for _, id in ipairs(ids) do
  local data = redis.call('HGET', p .. 'n:data', id)
  if data then
    local n = cjson.decode(data)
    local audience = '*'
    if type(n.user) == 'string' then audience = 'u:' .. n.user elseif type(n.topic) == 'string' then audience = 't:' .. n.topic end
    redis.call('ZREM', p .. 'n:aud:' .. audience, id)
    redis.call('HDEL', p .. 'n:data', id)
  end
  redis.call('ZREM', p .. 'n:age', id)
end
return #ids
`,

  /** ARGV: prefix, cutoff ms, batch size. Deletes idempotency keys made before the cutoff. */
  pruneIdempotencyKeys: `
local p = ARGV[1]
local keys = redis.call('ZRANGEBYSCORE', p .. 'idem:age', '-inf', '(' .. ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))
for _, key in ipairs(keys) do
  redis.call('DEL', p .. 'idem:' .. key)
  redis.call('ZREM', p .. 'idem:age', key)
end
return #keys
`,
} as const

export type ScriptName = keyof typeof SCRIPTS

/** A connection with every store script registered as a command (sent by SHA, reloaded if Redis lost it). */
export type ScriptedRedis = Redis & { [K in ScriptName]: (...args: (string | number)[]) => Promise<unknown> }

/**
 * Registers the store's scripts on `redis`.
 *
 * @example
 * const scripted = withStoreScripts(redis)
 * await scripted.unreadCount('tidings:', 'ada')
 */
export function withStoreScripts(redis: Redis): ScriptedRedis {
  for (const [name, lua] of Object.entries(SCRIPTS)) redis.defineCommand(name, { numberOfKeys: 0, lua })
  return redis as ScriptedRedis
}
