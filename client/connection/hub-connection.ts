import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client'
import type {
  ClientToServerEvents,
  ErrorCode,
  InboxPage,
  InboxQuery,
  Notification,
  ServerToClientEvents,
} from '../../shared/index.js'
import { ChatCursors } from './chat-cursors.js'
import { handshakeAuth } from './handshake.js'
import { offlineResult, timeoutResult, type HubResult } from './hub-result.js'
import { NotificationCursor } from './notification-cursor.js'
import { SessionMemory, type ReplayCommand } from './session-memory.js'
import { tokenName, type TokenProvider } from './token.js'
import { TokenKeeper } from './token-keeper.js'

/**
 * Where a connection stands, as shown by every component's status. `unauthorized`: the hub
 * refused the signed identity and no fresh token could be had.
 */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected' | 'unauthorized'

/**
 * Token refusals (`token_*`) that a fresh token may cure: missing, invalid, expired. A wrong
 * audience or issuer is the deployment's to fix.
 */
const renewable = (code: string): boolean => !/audience|issuer/.test(code)
/** Fresh tokens tried in a row after refusals before giving up with `unauthorized`. */
const MAX_TOKEN_RETRIES = 3

export type HubSocket = Socket<ServerToClientEvents, ClientToServerEvents>
export type SocketFactory = (url: string, options: Partial<ManagerOptions & SocketOptions>) => HubSocket

/** Told the hub's answer to every remembered request, including the ones replayed on reconnect. */
export type ResultListener = (command: ReplayCommand, result: HubResult) => void

export interface HubConnectionOptions {
  /** How long to wait for an acknowledgement, in ms. */
  ackTimeout?: number
  /** Makes the socket; tests pass a fake. */
  createSocket?: SocketFactory
}

const DEFAULT_ACK_TIMEOUT = 5_000

type NotificationListener = (notification: Notification) => void

/**
 * One Socket.IO connection to a hub, shared by every component of the page that talks to that
 * hub. It remembers what the page asked for (name, rooms, topics) and asks again after each
 * reconnect, because the hub keeps no session across connections; with the cursors it keeps
 * (the last notification id, the last chat message id per room) the hub sends what was missed
 * before live events.
 *
 * Get one with {@link acquireConnection}; do not construct it directly.
 */
export class HubConnection {
  private readonly socket: HubSocket
  private readonly memory = new SessionMemory()
  private readonly cursor: NotificationCursor
  private readonly chatCursors = new ChatCursors()
  private readonly tokens = new TokenKeeper((token) => void this.refreshToken(token))
  private readonly notificationListeners = new Set<NotificationListener>()
  private readonly ackTimeout: number
  private refusal: ErrorCode | undefined
  private tokenRetries = 0
  private retryTimer: ReturnType<typeof setTimeout> | undefined
  private currentState: ConnectionState = 'connecting'
  private hubUserCount: number | undefined
  private readonly stateListeners = new Set<(state: ConnectionState) => void>()
  private readonly resultListeners = new Set<ResultListener>()

  constructor(
    readonly url: string,
    { ackTimeout = DEFAULT_ACK_TIMEOUT, createSocket = io }: HubConnectionOptions = {},
  ) {
    this.ackTimeout = ackTimeout
    this.cursor = new NotificationCursor(url)
    this.socket = createSocket(url, {
      // The registry is the one place that shares connections; Socket.IO's own cache would
      // hand a closed manager back after the last release.
      forceNew: true,
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
      reconnection: true,
      reconnectionAttempts: Infinity,
      reconnectionDelay: 500,
      reconnectionDelayMax: 5_000,
      // Spreads a hub restart's reconnect storm over time instead of every tab at once.
      randomizationFactor: 0.5,
      // A function, so every reconnect sends what is known at that moment: name, topics, where
      // the notification stream should resume, and a token fresh enough to be accepted.
      auth: (send) => void this.handshake().then(send),
    })
    this.socket.on('connect', () => {
      this.refusal = undefined
      this.tokenRetries = 0
      this.setState('connected')
      this.replay()
    })
    this.socket.on('disconnect', (reason) => {
      // The hub ended the session (its token expired, say): Socket.IO does not retry that.
      if (reason === 'io server disconnect' && this.tokens.canRenew) {
        this.tokens.markStale()
        this.setState('reconnecting')
        this.socket.connect()
        return
      }
      this.setState(this.socket.active ? 'reconnecting' : this.refusal ? 'unauthorized' : 'disconnected')
    })
    this.socket.on('connect_error', (err: Error & { data?: { code?: ErrorCode } }) => {
      const code = err.data?.code
      if (code?.startsWith('token_')) return this.onTokenRefused(code)
      this.setState(this.socket.active ? 'reconnecting' : 'disconnected')
    })
    this.socket.on('hub-error', ({ code }) => {
      if (code !== 'token_expired') return
      this.refusal = code
      this.tokens.markStale()
    })
    this.socket.on('session', ({ cursor }) => this.cursor.start(cursor))
    this.socket.on('chat-message', (message) => this.chatCursors.seen(message))
    this.socket.on('chat-history', ({ room, messages }) => this.chatCursors.history(room, messages))
    // Replays after a reconnect may repeat what was delivered: ids at or below the newest one
    // seen are dropped here, once for every component.
    this.socket.on('notification', (notification) => {
      if (!this.cursor.accept(notification.id)) return
      for (const listener of [...this.notificationListeners]) listener(notification)
    })
    // Cached because `presence` is sent once per connection, possibly before a later component
    // attached itself to this shared connection.
    this.socket.on('presence', ({ userCount }) => (this.hubUserCount = userCount))
    this.socket.on('user-joined', ({ userCount }) => (this.hubUserCount = userCount))
    this.socket.on('user-left', ({ userCount }) => (this.hubUserCount = userCount))
  }

  get state(): ConnectionState {
    return this.currentState
  }

  /** The last distinct-user count the hub reported, if any yet. */
  get userCount(): number | undefined {
    return this.hubUserCount
  }

  /** The name this page goes by on the hub: the token's when signed in, else the one given. */
  get username(): string | undefined {
    return this.tokenName ?? this.memory.username
  }

  /** The name in the signed token, if there is one. */
  get tokenName(): string | undefined {
    return tokenName(this.tokens.token)
  }

  /**
   * Connects with a signed identity: `token` now, `provider` for fresh ones (before expiry and
   * after a refusal). Either may be undefined to keep the current one. A changed token is handed
   * to the open session with `refresh-token`, or opens one if the hub had refused the last.
   */
  useToken(token: string | undefined, provider?: TokenProvider): void {
    const changed = this.tokens.use(token, provider)
    if (this.currentState === 'unauthorized' && (changed || provider)) {
      this.tokenRetries = 0
      this.setState('reconnecting')
      this.socket.connect()
    } else if (changed) {
      void this.refreshToken(this.tokens.token!)
    } else if (provider && !this.tokens.token) {
      // A session opened without a token cannot become someone: sign in with a new handshake.
      this.socket.disconnect().connect()
    }
  }

  /** Calls `listener` on every state change; returns the function that stops it. */
  onStateChange(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener)
    return () => this.stateListeners.delete(listener)
  }

  /** Calls `listener` with the hub's answer to each join, identify and subscribe; returns its remover. */
  onResult(listener: ResultListener): () => void {
    this.resultListeners.add(listener)
    return () => this.resultListeners.delete(listener)
  }

  /** Listens to a hub event; `notification` listeners get each notification once, in id order. */
  on<E extends keyof ServerToClientEvents>(event: E, listener: ServerToClientEvents[E]): void {
    if (event === 'notification') this.notificationListeners.add(listener as NotificationListener)
    else this.socket.on(event, listener as never)
  }

  off<E extends keyof ServerToClientEvents>(event: E, listener: ServerToClientEvents[E]): void {
    if (event === 'notification') this.notificationListeners.delete(listener as NotificationListener)
    else this.socket.off(event, listener as never)
  }

  /** Goes by `username` on the hub, now and after every reconnect. */
  identify(username: string): void {
    this.memory.identify(username)
    this.sendNow({ event: 'identify', username })
  }

  /** Enters `room` as `username`; the room is left once every holder called {@link leaveRoom}. */
  joinRoom(room: string, username: string): void {
    const renamed = this.memory.username !== username
    const first = this.memory.joinRoom(room, username)
    if (first || renamed) this.sendNow({ event: 'join', username, room })
  }

  leaveRoom(room: string): void {
    if (!this.memory.leaveRoom(room)) return
    this.chatCursors.forget(room)
    if (this.socket.connected) this.socket.emit('leave', room)
  }

  /** Receives `topic`'s notifications until every holder called {@link unsubscribe}. */
  subscribe(topic: string): void {
    if (this.memory.subscribe(topic)) this.sendNow({ event: 'subscribe', topic })
  }

  unsubscribe(topic: string): void {
    if (this.memory.unsubscribe(topic) && this.socket.connected) this.socket.emit('unsubscribe', topic)
  }

  /**
   * Posts to a room this page joined. Refused locally while offline rather than buffered: a
   * buffered post would reach a fresh connection before its room is joined again.
   */
  sendChatMessage(message: string, room: string): Promise<HubResult<{ id: string }>> {
    return this.ask('chat-message', message, room)
  }

  /** A page of this user's inbox, newest first. */
  inbox(query: InboxQuery): Promise<HubResult<InboxPage>> {
    return this.ask('inbox', query)
  }

  /** Marks one notification of the inbox read; answers the new unread count. */
  markRead(id: string): Promise<HubResult<{ unread: number }>> {
    return this.ask('inbox-read', id)
  }

  markAllRead(): Promise<HubResult<{ unread: number }>> {
    return this.ask('inbox-read-all')
  }

  /** Closes the socket for good; only the registry calls this, after the last release. */
  close(): void {
    clearTimeout(this.retryTimer)
    this.tokens.dispose()
    this.notificationListeners.clear()
    this.socket.disconnect()
    this.setState('disconnected')
    this.stateListeners.clear()
    this.resultListeners.clear()
  }

  /** Sends an acknowledged request; refused locally while offline, `timeout` when unanswered. */
  private async ask<T extends object>(event: keyof ClientToServerEvents, ...args: unknown[]): Promise<HubResult<T>> {
    if (!this.socket.connected) return offlineResult(event)
    const socket = this.socket.timeout(this.ackTimeout) as unknown as {
      emitWithAck: (...a: unknown[]) => Promise<HubResult<T>>
    }
    try {
      return await socket.emitWithAck(event, ...args)
    } catch {
      return timeoutResult(event)
    }
  }

  private async handshake(): Promise<object> {
    const token = await this.tokens.forHandshake()
    return handshakeAuth({
      username: this.memory.username,
      topics: this.memory.topicList,
      since: this.cursor.since,
      token,
    })
  }

  private onTokenRefused(code: ErrorCode): void {
    this.refusal = code
    this.tokens.markStale()
    // Socket.IO never retries a refused handshake: a fresh token, then connect again, a few
    // times with growing pauses, before telling the person.
    if (this.tokens.canRenew && renewable(code) && this.tokenRetries < MAX_TOKEN_RETRIES) {
      const delay = this.tokenRetries++ * 2_000
      this.setState('reconnecting')
      clearTimeout(this.retryTimer)
      this.retryTimer = setTimeout(() => this.socket.connect(), delay)
      return
    }
    this.setState('unauthorized')
  }

  /** Hands a fresh token to the open session; reconnects with it when the hub will not take it. */
  private async refreshToken(token: string): Promise<void> {
    if (!this.socket.connected) return
    const result = await this.ask<{ expiresAt: string }>('refresh-token', token)
    if (result.ok || result.error.code === 'offline' || result.error.code === 'timeout') return
    // Refused (another user's token, a session opened without one): a new session takes it.
    this.socket.disconnect().connect()
    this.setState('reconnecting')
  }

  private replay(): void {
    for (const command of this.memory.replay()) void this.send(command)
  }

  // While offline nothing is sent: the next `connect` replays the whole session anyway.
  private sendNow(command: ReplayCommand): void {
    if (this.socket.connected) void this.send(command)
  }

  private async send(command: ReplayCommand): Promise<void> {
    const since = command.event === 'join' ? this.chatCursors.since(command.room) : undefined
    const result = await (command.event === 'join'
      ? since === undefined
        ? this.ask('join', command.username, command.room)
        : this.ask('join', command.username, command.room, { since })
      : command.event === 'identify'
        ? this.ask('identify', command.username)
        : this.ask('subscribe', command.topic))
    for (const listener of this.resultListeners) listener(command, result)
  }

  private setState(state: ConnectionState): void {
    if (state === this.currentState) return
    this.currentState = state
    for (const listener of this.stateListeners) listener(state)
  }
}

interface RegistryEntry {
  connection: HubConnection
  holders: number
}

// One connection per hub per page, however many components talk to it.
const registry = new Map<string, RegistryEntry>()

/**
 * The registry key for a hub address. The hub serves the default Socket.IO namespace, and a path
 * in the address would be read as a namespace, so only the origin counts.
 */
export function hubKey(server: string): string {
  return new URL(server, globalThis.location?.href).origin
}

/**
 * Returns the page's connection to `server`, opening it on first use. Each call must be matched
 * by one {@link releaseConnection}.
 *
 * @example
 * const hub = acquireConnection('https://hub.example.com')
 * hub.subscribe('deploys')
 */
export function acquireConnection(server: string, options?: HubConnectionOptions): HubConnection {
  const key = hubKey(server)
  let entry = registry.get(key)
  if (!entry) {
    entry = { connection: new HubConnection(key, options), holders: 0 }
    registry.set(key, entry)
  }
  entry.holders++
  return entry.connection
}

/**
 * Gives back a connection from {@link acquireConnection}. The last release closes it, a
 * microtask later so that an element moved in the DOM (released then acquired again at once)
 * keeps its connection.
 */
export function releaseConnection(connection: HubConnection): void {
  const entry = registry.get(connection.url)
  if (!entry || entry.connection !== connection) return
  entry.holders--
  if (entry.holders > 0) return
  queueMicrotask(() => {
    if (entry.holders > 0 || registry.get(connection.url) !== entry) return
    registry.delete(connection.url)
    connection.close()
  })
}
