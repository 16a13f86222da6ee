import type { HandshakeAuth } from '../../shared/events.js'
import { LIMITS } from '../../shared/limits.js'
import { CHANNEL_NAME, CONTROL_CHARS, NOTIFICATION_ID } from '../../shared/patterns.js'

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
  if (since !== undefined && NOTIFICATION_ID.test(since)) auth.since = since
  if (token) auth.token = token
  return auth
}

/** Whether `id` has the shape of a notification id (what `since` must be). */
export const isNotificationId = (id: unknown): id is string => typeof id === 'string' && NOTIFICATION_ID.test(id)
