import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client'
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/index.js'
import { handshakeAuth } from './handshake.js'
import { offlineResult, timeoutResult, type HubResult } from './hub-result.js'
import { SessionMemory, type ReplayCommand } from './session-memory.js'

/** Where a connection stands, as shown by every component's status. */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected'

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

/**
 * One Socket.IO connection to a hub, shared by every component of the page that talks to that
 * hub. It remembers what the page asked for (name, rooms, topics) and asks again after each
 * reconnect, because the hub keeps no session across connections.
 *
 * Get one with {@link acquireConnection}; do not construct it directly.
 */
export class HubConnection {
  private readonly socket: HubSocket
  private readonly memory = new SessionMemory()
  private readonly ackTimeout: number
  private currentState: ConnectionState = 'connecting'
  private hubUserCount: number | undefined
  private readonly stateListeners = new Set<(state: ConnectionState) => void>()
  private readonly resultListeners = new Set<ResultListener>()

  constructor(
    readonly url: string,
    { ackTimeout = DEFAULT_ACK_TIMEOUT, createSocket = io }: HubConnectionOptions = {},
  ) {
    this.ackTimeout = ackTimeout
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
      // A function, so every reconnect sends the name known at that moment.
      auth: (send) => send(handshakeAuth(this.memory.username)),
    })
    this.socket.on('connect', () => {
      this.setState('connected')
      this.replay()
    })
    this.socket.on('disconnect', () => this.setState(this.socket.active ? 'reconnecting' : 'disconnected'))
    this.socket.on('connect_error', () => this.setState(this.socket.active ? 'reconnecting' : 'disconnected'))
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

  /** The name this page goes by on the hub, if one was given. */
  get username(): string | undefined {
    return this.memory.username
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

  on<E extends keyof ServerToClientEvents>(event: E, listener: ServerToClientEvents[E]): void {
    this.socket.on(event, listener as never)
  }

  off<E extends keyof ServerToClientEvents>(event: E, listener: ServerToClientEvents[E]): void {
    this.socket.off(event, listener as never)
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
    if (this.memory.leaveRoom(room) && this.socket.connected) this.socket.emit('leave', room)
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
  async sendChatMessage(message: string, room: string): Promise<HubResult<{ id: string }>> {
    if (!this.socket.connected) return offlineResult('chat-message')
    try {
      return await this.socket.timeout(this.ackTimeout).emitWithAck('chat-message', message, room)
    } catch {
      return timeoutResult('chat-message')
    }
  }

  /** Closes the socket for good; only the registry calls this, after the last release. */
  close(): void {
    this.socket.disconnect()
    this.setState('disconnected')
    this.stateListeners.clear()
    this.resultListeners.clear()
  }

  private replay(): void {
    for (const command of this.memory.replay()) void this.send(command)
  }

  // While offline nothing is sent: the next `connect` replays the whole session anyway.
  private sendNow(command: ReplayCommand): void {
    if (this.socket.connected) void this.send(command)
  }

  private async send(command: ReplayCommand): Promise<void> {
    const result = await this.request(command)
    for (const listener of this.resultListeners) listener(command, result)
  }

  private async request(command: ReplayCommand): Promise<HubResult> {
    const withTimeout = this.socket.timeout(this.ackTimeout)
    try {
      switch (command.event) {
        case 'join':
          return await withTimeout.emitWithAck('join', command.username, command.room)
        case 'identify':
          return await withTimeout.emitWithAck('identify', command.username)
        case 'subscribe':
          return await withTimeout.emitWithAck('subscribe', command.topic)
      }
    } catch {
      return timeoutResult(command.event)
    }
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
