import { LIMITS, START_CURSOR } from '../../shared/index.js'
import type { Bus } from '../bus.js'
import type { HubServer, HubSocket } from '../hub-server.js'
import type { Logger } from '../logger.js'
import { roomKey } from '../modules/module.js'
import type { Store } from '../store/store.js'
import { registerChatHandlers } from './chat-handlers.js'
import { createHandlerTable, type HandlerContext } from './handle.js'
import { checkHandshake, type CheckedHandshake } from './handshake.js'
import { registerInboxHandlers } from './inbox-handlers.js'
import { createEventSchemas } from './schemas.js'
import { registerSessionHandlers } from './session-handlers.js'
import { roomsOf, topicsOf } from './session-sets.js'
import { registerTopicHandlers, subscribe } from './topic-handlers.js'

export interface GatewayOptions {
  io: HubServer
  bus: Bus
  store: Store
  log: Logger
  now?: () => Date
  /** Signed mode: identities come from tokens (checked by the protection middleware). */
  signed?: boolean
  chatMessageLength?: number
}

/**
 * The Socket.IO gateway: checks every client event, keeps each connection's session (name,
 * rooms, topics) and turns valid events into domain events on the bus. It never broadcasts;
 * its only direct answers are acknowledgements, `hub-error` and the `session` greeting. Every
 * connection is new: its identity comes from its own handshake (the protection middleware, or
 * `auth.username` in open mode), and what it missed comes from the store after the cursors it
 * sends (`auth.since`, `join`'s `{since}`).
 *
 * @example
 * attachGateway({ io, bus, store, log })
 */
export function attachGateway({
  io,
  bus,
  store,
  log,
  now = () => new Date(),
  signed = false,
  chatMessageLength = LIMITS.chatMessageLength,
}: GatewayOptions): void {
  const handlers = createHandlerTable(log)
  const schemas = createEventSchemas({ chatMessageLength })
  const context: HandlerContext = { bus, store, log, now, on: handlers.on, signed, schemas }
  registerSessionHandlers(context)
  registerChatHandlers(context)
  registerTopicHandlers(context)
  registerInboxHandlers(context)
  // The handshake checked by the middleware, for the connection handler (never kept longer).
  const handshakes = new WeakMap<HubSocket, CheckedHandshake>()

  io.use((socket, next) => {
    const checked = checkHandshake(socket.handshake.auth)
    if (!checked.ok) return next(checked.error)
    handshakes.set(socket, checked.value)
    const name = checked.value.username
    if (name !== undefined && socket.data.username === undefined) {
      // Open mode: the name is the identity. Signed mode: only chatting guests pick a name.
      if (!signed) Object.assign(socket.data, { username: name, userId: name })
      else if (socket.data.guest === true) socket.data.username = name
    }
    next()
  })

  // Listeners shared by every connection (Socket.IO calls them with the socket as `this`), so an
  // idle connection costs no closures.
  function logError(this: HubSocket, err: Error): void {
    log.warn({ socketId: this.id, err: err.message }, 'socket error')
  }
  function close(this: HubSocket, reason: string): void {
    const { username, userId } = this.data
    const [rooms, topics] = [[...roomsOf(this.data)], [...topicsOf(this.data)]]
    bus.emit('session:closed', { socketId: this.id, username, userId, rooms, topics })
    log.debug({ socketId: this.id, reason }, 'socket closed')
  }

  io.on('connection', (socket) => {
    socket.on('error', logError)
    socket.on('disconnect', close)
    socket.use(handlers.dispatcher(socket))
    const auth = handshakes.get(socket) ?? {}
    handshakes.delete(socket)
    open(context, socket, auth)
  })
}

function open(context: HandlerContext, socket: HubSocket, auth: CheckedHandshake): void {
  const { bus } = context
  const since = auth.since
  // Joined before the socket enters any delivery room, so no live notification can overtake
  // the missed ones; the notifications module takes it out once they are sent.
  if (since !== undefined) socket.join(roomKey.catchingUp)

  // The newest committed id: the store numbers at commit, so everything committed after this
  // read sorts after it, whichever process commits it.
  context.store.newestNotificationId().then(
    (newest) => socket.emit('session', { cursor: newest ?? START_CURSOR }),
    (err: unknown) => context.log.error({ err, socketId: socket.id }, 'reading the notification cursor failed'),
  )
  bus.emit('session:opened', { socketId: socket.id })
  const username = socket.data.username
  if (username !== undefined) bus.emit('session:identified', { socketId: socket.id, username, userId: socket.data.userId })
  for (const topic of auth.topics ?? []) subscribe(context, socket, topic)
  if (since !== undefined) {
    bus.emit('notification:catch-up-requested', {
      socketId: socket.id,
      since: since === START_CURSOR ? undefined : since,
      recipient: { userId: socket.data.userId, topics: [...topicsOf(socket.data)] },
    })
  }
}
