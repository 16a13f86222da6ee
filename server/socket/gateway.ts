import { z } from 'zod'
import {
  DEFAULT_ROOM,
  channelNameSchema,
  chatTextSchema,
  usernameSchema,
  type Ack,
  type ClientEventName,
} from '../../shared/index.js'
import type { Bus } from '../bus.js'
import type { HubServer, HubSocket } from '../hub-server.js'
import type { Logger } from '../logger.js'
import { invalidArguments, refusal, takeReply, type Reply } from './replies.js'

export interface GatewayOptions {
  io: HubServer
  bus: Bus
  log: Logger
  /** Makes message ids; see `createIdGenerator`. */
  nextId: () => string
  now?: () => Date
}

const echoTextSchema = z.string().min(1, 'must not be empty').max(chatTextSchema.maxLength ?? 2000)

/**
 * The Socket.IO gateway: checks every client event, keeps each connection's session
 * (name, rooms, topics) and turns valid events into domain events on the bus. It never
 * broadcasts itself; its only direct answers are acknowledgements and `hub-error`.
 *
 * @example
 * attachGateway({ io, bus, log, nextId: createIdGenerator() })
 */
export function attachGateway({ io, bus, log, nextId, now = () => new Date() }: GatewayOptions): void {
  io.use((socket, next) => {
    const auth = socket.handshake.auth as Record<string, unknown> | undefined
    socket.data.rooms = new Set()
    socket.data.topics = new Set()
    if (auth?.username === undefined) return next()
    const name = usernameSchema.safeParse(auth.username)
    if (!name.success) {
      const err = new Error(`invalid auth.username: ${name.error.issues[0]?.message ?? 'invalid'}`)
      Object.assign(err, { data: { code: 'invalid_request' } })
      return next(err)
    }
    socket.data.username = name.data
    next()
  })

  io.on('connection', (socket) => {
    socket.on('error', (err) => log.warn({ socketId: socket.id, err: err.message }, 'socket error'))
    bus.emit('session:opened', { socketId: socket.id })
    if (socket.data.username !== undefined) {
      bus.emit('session:identified', { socketId: socket.id, username: socket.data.username })
    }
    socket.on('disconnect', (reason) => {
      bus.emit('session:closed', {
        socketId: socket.id,
        username: socket.data.username,
        rooms: [...socket.data.rooms],
        topics: [...socket.data.topics],
      })
      log.debug({ socketId: socket.id, reason }, 'socket closed')
    })
    registerHandlers(socket, { bus, log, nextId, now })
  })
}

type Handler<T extends unknown[]> = (socket: HubSocket, args: T) => Ack<object>

function handle<S extends z.ZodTuple>(
  socket: HubSocket,
  log: Logger,
  event: ClientEventName,
  argNames: readonly string[],
  schema: S,
  handler: Handler<z.output<S>>,
): void {
  socket.on(event, (...raw: unknown[]) => {
    const { data, reply } = takeReply(socket, event, raw)
    const parsed = schema.safeParse(data)
    if (!parsed.success) return reply(invalidArguments(event, argNames, parsed.error))
    answer(reply, () => handler(socket, parsed.data), log, socket, event)
  })
}

function answer(reply: Reply, run: () => Ack<object>, log: Logger, socket: HubSocket, event: string): void {
  let response: Ack<object>
  try {
    response = run()
  } catch (err) {
    log.error({ err, socketId: socket.id, event }, 'client event failed')
    response = refusal({ code: 'internal', message: `${event}: the hub could not process this event` })
  }
  reply(response)
}

function registerHandlers(
  socket: HubSocket,
  { bus, log, nextId, now }: Required<Omit<GatewayOptions, 'io'>>,
): void {
  const session = socket.data

  const identify = (username: string): void => {
    const previous = session.username
    if (previous === username) return
    // A rename is leaving every room under the old name and entering it under the new one,
    // so room members see both facts in order.
    if (previous !== undefined) {
      for (const room of session.rooms) bus.emit('chat:room-exited', { socketId: socket.id, username: previous, room })
    }
    session.username = username
    bus.emit('session:identified', { socketId: socket.id, username, previous })
    if (previous !== undefined) {
      for (const room of session.rooms) bus.emit('chat:room-entered', { socketId: socket.id, username, room })
    }
  }

  handle(
    socket,
    log,
    'join',
    ['username', 'room'],
    z.tuple([usernameSchema, channelNameSchema.optional()]),
    (_, [username, room = DEFAULT_ROOM]) => {
      identify(username)
      if (!session.rooms.has(room)) {
        session.rooms.add(room)
        bus.emit('chat:room-entered', { socketId: socket.id, username, room })
      }
      return { ok: true, username, room }
    },
  )

  handle(socket, log, 'identify', ['username'], z.tuple([usernameSchema]), (_, [username]) => {
    identify(username)
    return { ok: true, username }
  })

  handle(socket, log, 'leave', ['room'], z.tuple([channelNameSchema]), (_, [room]) => {
    if (session.rooms.delete(room) && session.username !== undefined) {
      bus.emit('chat:room-exited', { socketId: socket.id, username: session.username, room })
    }
    return { ok: true }
  })

  handle(
    socket,
    log,
    'chat-message',
    ['message', 'room'],
    z.tuple([chatTextSchema, channelNameSchema.optional()]),
    (_, [message, room = DEFAULT_ROOM]) => {
      const username = session.username
      if (username === undefined || !session.rooms.has(room)) {
        return refusal({ code: 'not_joined', message: `chat-message: join room "${room}" before posting to it` })
      }
      const id = nextId()
      bus.emit('chat:message-posted', { id, room, username, message, timestamp: now().toISOString() })
      return { ok: true, id }
    },
  )

  handle(socket, log, 'message', ['text'], z.tuple([echoTextSchema]), (_, [text]) => {
    bus.emit('echo:message-sent', { text })
    return { ok: true }
  })

  handle(socket, log, 'subscribe', ['topic'], z.tuple([channelNameSchema]), (_, [topic]) => {
    if (!session.topics.has(topic)) {
      session.topics.add(topic)
      bus.emit('topic:subscribed', { socketId: socket.id, topic })
    }
    return { ok: true, topic }
  })

  handle(socket, log, 'unsubscribe', ['topic'], z.tuple([channelNameSchema]), (_, [topic]) => {
    if (session.topics.delete(topic)) bus.emit('topic:unsubscribed', { socketId: socket.id, topic })
    return { ok: true, topic }
  })
}
