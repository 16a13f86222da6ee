import type { z } from 'zod'
import type { Ack, ClientEventName } from '../../shared/index.js'
import type { Bus } from '../bus.js'
import type { HubSocket } from '../hub-server.js'
import type { Logger } from '../logger.js'
import type { Store } from '../store/store.js'
import { invalidArguments, refusal, takeReply } from './replies.js'
import type { EventSchemas } from './schemas.js'

export type HandlerResult = Ack<object> | Promise<Ack<object>>

/** Registers a validated client event handler on one socket. */
export type On = <S extends z.ZodTuple>(
  event: ClientEventName,
  argNames: readonly string[],
  schema: S,
  handler: (args: z.output<S>) => HandlerResult,
) => void

/** What each group of client event handlers works with. */
export interface HandlerContext {
  socket: HubSocket
  bus: Bus
  store: Store
  log: Logger
  nextId: () => string
  now: () => Date
  on: On
  /** Signed mode: names come from tokens, and guests have no user id. */
  signed: boolean
  /** Per-event argument schemas, built once for the hub (not per connection). */
  schemas: EventSchemas
}

/**
 * Makes the `on` of one socket: arguments are checked against `schema` before the handler runs,
 * the acknowledgement callback (if any) is split off and always answered, and a handler that
 * throws or rejects answers `internal` instead of taking the hub down.
 */
export function createOn(socket: HubSocket, log: Logger): On {
  return (event, argNames, schema, handler) => {
    socket.on(event, (...raw: unknown[]) => {
      const { data, reply } = takeReply(socket, event, raw)
      const parsed = schema.safeParse(data)
      if (!parsed.success) return reply(invalidArguments(event, argNames, parsed.error))
      const failed = (err: unknown) => {
        log.error({ err, socketId: socket.id, event }, 'client event failed')
        return refusal({ code: 'internal', message: `${event}: the hub could not process this event` })
      }
      let result: HandlerResult
      try {
        result = handler(parsed.data)
      } catch (err) {
        return reply(failed(err))
      }
      if (result instanceof Promise) result.then(reply, (err: unknown) => reply(failed(err)))
      else reply(result)
    })
  }
}
