import type { z } from 'zod'
import type { Ack, ClientEventName } from '../../shared/index.js'
import type { Bus } from '../bus.js'
import type { HubSocket } from '../hub-server.js'
import type { Logger } from '../logger.js'
import type { Store } from '../store/store.js'
import { invalidArguments, refusal, takeReply } from './replies.js'
import type { EventSchemas } from './schemas.js'

export type HandlerResult = Ack<object> | Promise<Ack<object>>

/** Registers the validated handler of one client event, for every connection of the hub. */
export type On = <S extends z.ZodTuple>(
  event: ClientEventName,
  argNames: readonly string[],
  schema: S,
  handler: (socket: HubSocket, args: z.output<S>) => HandlerResult,
) => void

/**
 * What each group of client event handlers works with. It is built once per hub, not per
 * connection: the connection is the handler's first argument, so that holding many thousands
 * of idle connections costs no closures per event.
 */
export interface HandlerContext {
  bus: Bus
  store: Store
  log: Logger
  now: () => Date
  on: On
  /** Signed mode: names come from tokens, and guests have no user id. */
  signed: boolean
  /** Per-event argument schemas, built once for the hub. */
  schemas: EventSchemas
}

interface EventHandler {
  argNames: readonly string[]
  schema: z.ZodTuple
  handler: (socket: HubSocket, args: never) => HandlerResult
}

/** The hub's client event handlers by name, and how to register and dispatch them. */
export interface HandlerTable {
  on: On
  /**
   * A `socket.use` packet middleware for one connection: runs the handler of each known event
   * and lets every other packet through to Socket.IO (e.g. events other parts of the hub
   * listen to with `socket.on`).
   */
  dispatcher(socket: HubSocket): (packet: unknown[], next: (err?: Error) => void) => void
}

/**
 * Arguments are checked against the event's schema before its handler runs, the
 * acknowledgement callback (if any) is split off and always answered, and a handler that
 * throws or rejects answers `internal` instead of taking the hub down.
 *
 * @example
 * const handlers = createHandlerTable(log)
 * handlers.on('leave', ['room'], schemas.leave, (socket, [room]) => ({ ok: true }))
 * io.on('connection', (socket) => socket.use(handlers.dispatcher(socket)))
 */
export function createHandlerTable(log: Logger): HandlerTable {
  const handlers = new Map<string, EventHandler>()
  const run = (socket: HubSocket, event: string, { argNames, schema, handler }: EventHandler, raw: unknown[]): void => {
    const { data, reply } = takeReply(socket, event, raw)
    const parsed = schema.safeParse(data)
    if (!parsed.success) return reply(invalidArguments(event, argNames, parsed.error))
    const failed = (err: unknown) => {
      log.error({ err, socketId: socket.id, event }, 'client event failed')
      return refusal({ code: 'internal', message: `${event}: the hub could not process this event` })
    }
    let result: HandlerResult
    try {
      result = handler(socket, parsed.data as never)
    } catch (err) {
      return reply(failed(err))
    }
    if (result instanceof Promise) result.then(reply, (err: unknown) => reply(failed(err)))
    else reply(result)
  }
  return {
    on: (event, argNames, schema, handler) => {
      handlers.set(event, { argNames, schema, handler: handler as EventHandler['handler'] })
    },
    dispatcher: (socket) => (packet, next) => {
      const event = packet[0]
      const entry = typeof event === 'string' ? handlers.get(event) : undefined
      if (entry === undefined) return next()
      // As Socket.IO does for its own listeners: a packet that outlived its connection is dropped.
      if (socket.connected) run(socket, event as string, entry, packet.slice(1))
    },
  }
}
