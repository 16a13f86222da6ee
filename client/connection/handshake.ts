import type { HandshakeAuth } from '../../shared/events.js'
import { LIMITS } from '../../shared/limits.js'
import { CHANNEL_NAME, CONTROL_CHARS } from '../../shared/patterns.js'
import { CURSOR } from '../../shared/sequence-id.js'

// The hub's own rules (shared/patterns.ts, shared/limits.ts). A handshake the hub refuses is
// never retried by Socket.IO, so anything it would refuse is left out rather than sent.

export interface HandshakeInput {
  username?: string | undefined
  topics?: readonly string[]
  since?: string | undefined
  token?: string | undefined
}

/**
 * The handshake `auth` for a connection: the name, the topics to receive, where the notification
 * stream should resume (`since`) and the signed identity. A name, topic or id the hub would
 * refuse is left out on purpose: a refused `identify`/`subscribe` is answered with an error the
 * component can show, and the connection keeps working.
 *
 * @example
 * handshakeAuth({ username: ' alice ', topics: ['deploys'] }) // { username: 'alice', topics: ['deploys'] }
 */
export function handshakeAuth({ username, topics = [], since, token }: HandshakeInput): HandshakeAuth {
  const auth: HandshakeAuth = {}
  const name = username?.trim()
  if (name && name.length <= LIMITS.usernameLength && !CONTROL_CHARS.test(name)) auth.username = name
  const valid = topics
    .filter((topic) => topic.length <= LIMITS.channelNameLength && CHANNEL_NAME.test(topic))
    .slice(0, LIMITS.handshakeTopics)
  if (valid.length > 0) auth.topics = valid
  if (since !== undefined && isCursor(since)) auth.since = since
  if (token) auth.token = token
  return auth
}

/** Whether `value` is a catch-up cursor the hub accepts as `since`: `"0"` or an id it sent. */
export const isCursor = (value: unknown): value is string => typeof value === 'string' && CURSOR.test(value)
