import type { Notification } from '../../shared/index.js'
import type { Recipient } from './store.js'

/**
 * A notification's target as one comparable string: `*` for everyone, `t:<topic>`, `u:<user>`.
 * The kind prefix keeps a topic and a user of the same name apart. Must match the CHECK on the
 * `audience` column of the SQLite schema.
 */
export type Audience = string

export const EVERYONE: Audience = '*'
export const topicAudience = (topic: string): Audience => `t:${topic}`
export const userAudience = (username: string): Audience => `u:${username}`

/** The single audience a notification was published to; a user target wins, as in delivery. */
export function audienceOf(n: Pick<Notification, 'topic' | 'user'>): Audience {
  if (n.user !== undefined) return userAudience(n.user)
  if (n.topic !== undefined) return topicAudience(n.topic)
  return EVERYONE
}

/** Every audience whose notifications reach `recipient`, without duplicates. */
export function audiencesOf(recipient: Recipient): Audience[] {
  const audiences = new Set<Audience>([EVERYONE])
  if (recipient.userId !== undefined) audiences.add(userAudience(recipient.userId))
  for (const topic of recipient.topics) audiences.add(topicAudience(topic))
  return [...audiences]
}
