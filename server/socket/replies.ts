import type { ZodError } from 'zod'
import type { Ack, ErrorBody, FieldProblem } from '../../shared/index.js'
import type { HubSocket } from '../hub-server.js'

export type Reply = (response: Ack<object>) => void

/**
 * Splits a client event's raw arguments into its data and its acknowledgement callback, and
 * returns how to answer: through the callback when there is one, otherwise with a `hub-error`
 * event for refusals (a successful fire-and-forget event needs no answer).
 */
export function takeReply(socket: HubSocket, event: string, args: unknown[]): { data: unknown[]; reply: Reply } {
  const last = args.at(-1)
  if (typeof last === 'function') {
    const ack = last as (response: unknown) => void
    return { data: args.slice(0, -1), reply: (response) => ack(response) }
  }
  return {
    data: args,
    reply: (response) => {
      if (!response.ok) socket.emit('hub-error', { ...response.error, event })
    },
  }
}

export const refusal = (error: ErrorBody): Ack<object> => ({ ok: false, error })

/** Names each offending argument by its position and name, e.g. `username (argument 1)`. */
export function invalidArguments(event: string, names: readonly string[], error: ZodError): Ack<object> {
  const details: FieldProblem[] = error.issues.map((issue) => {
    const [index, ...rest] = issue.path
    const name = typeof index === 'number' ? (names[index] ?? `argument ${index + 1}`) : 'arguments'
    return { path: [name, ...rest.map(String)].join('.'), message: issue.message }
  })
  const summary = details.map((d) => `${d.path} ${d.message}`).join('; ')
  return refusal({ code: 'invalid_request', message: `${event}: ${summary}`, details })
}

/** The refusal for events that need a named connection. */
export const needsName = (event: string): Ack<object> =>
  refusal({ code: 'not_joined', message: `${event}: take a name first (join, identify or handshake auth)` })
