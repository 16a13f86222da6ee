import { z } from 'zod'
import { LIMITS, channelNameSchema, usernameSchema } from '../../shared/index.js'
import { cursorSchema } from './schemas.js'

/** `HandshakeAuth` from shared/events.ts, checked. Unknown keys are ignored (clients add their own). */
export const handshakeAuthSchema = z.object({
  username: usernameSchema.optional(),
  topics: z.array(channelNameSchema).max(LIMITS.handshakeTopics).optional(),
  since: cursorSchema.optional(),
  token: z.string().optional(),
})

export type CheckedHandshake = z.output<typeof handshakeAuthSchema>

/** Error for `next(err)`: the client sees `message` and `data` in its `connect_error`. */
export function handshakeError(message: string, code = 'invalid_request'): Error {
  return Object.assign(new Error(message), { data: { code, message } })
}

export function checkHandshake(auth: unknown): { ok: true; value: CheckedHandshake } | { ok: false; error: Error } {
  const parsed = handshakeAuthSchema.safeParse(auth ?? {})
  if (parsed.success) return { ok: true, value: parsed.data }
  const issue = parsed.error.issues[0]
  const field = ['auth', ...(issue?.path ?? []).map(String)].join('.')
  const code = issue?.path[0] === 'since' ? 'invalid_cursor' : 'invalid_request'
  return { ok: false, error: handshakeError(`invalid ${field}: ${issue?.message ?? 'invalid'}`, code) }
}
