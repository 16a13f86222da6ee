import type { ServerToClientEvents } from '../shared/index.js'
import type { HubServer, HubSocket } from './hub-server.js'

/** Socket.IO's EVENT packet type (socket.io-parser `PacketType.EVENT`). */
const EVENT = 2

/** The Socket.IO 4 internal that writes one packet to a connection (`Socket#packet`). */
interface PacketWriter {
  packet?: (packet: { type: number; data: unknown[] }, opts: Record<string, unknown>) => void
}

export type ServerEvent = keyof ServerToClientEvents
export type ServerEventArgs<E extends ServerEvent> = Parameters<ServerToClientEvents[E]>

/**
 * Sends an event to one connection without keeping it for connection state recovery.
 *
 * With recovery on, Socket.IO keeps every emitted packet in memory for the whole recovery
 * window, `socket.emit` included, so that a reconnecting client can be sent what it missed.
 * That is right for broadcasts (chat, notifications) but wasted on what the hub sends one
 * connection again whenever it (re)connects (the presence count, the `session` greeting, the
 * unread count) or on answers to its own events (`hub-error`): thousands of connections
 * would keep several stored packets each for minutes. Written directly, the packet is neither
 * stored nor given a recovery offset (an extra trailing argument listeners ignore).
 *
 * Only for payloads that are objects: socket.io-client takes a trailing string argument for a
 * recovery offset, so a string-only event sent this way would spoil its next recovery.
 *
 * @example
 * emitDirect(socket, 'presence', { userCount: 3 })
 */
export function emitDirect<E extends ServerEvent>(socket: HubSocket, event: E, ...args: ServerEventArgs<E>): void {
  writeEvent(socket, [event, ...args])
}

/**
 * Writes one event packet, `data` being `[event, ...args]`, to a connected socket as it is: not
 * stored, no offset added (the untyped core of {@link emitDirect}, for replaying stored packets).
 */
export function writeEvent(socket: { connected: boolean; emit(...args: never[]): boolean }, data: unknown[]): void {
  if (!socket.connected) return
  const writer = (socket as unknown as PacketWriter).packet
  if (typeof writer === 'function') writer.call(socket, { type: EVENT, data }, {})
  else (socket.emit as (...args: unknown[]) => boolean)(...data)
}

/**
 * {@link emitDirect} by socket id; a socket that is not on this process (another node behind a
 * shared adapter) is reached through the adapter instead.
 *
 * @example
 * sendTo(io, socketId, 'inbox-unread', { count })
 */
export function sendTo<E extends ServerEvent>(io: HubServer, socketId: string, event: E, ...args: ServerEventArgs<E>): void {
  const socket = io.sockets?.sockets.get(socketId)
  if (socket !== undefined) emitDirect(socket, event, ...args)
  else (io.to(socketId).emit as (event: string, ...args: unknown[]) => boolean)(event, ...args)
}

/** An adapter that can say where the recovery stream ends (`ReplayingSessionAdapter`). */
interface StreamEnd {
  newestOffset?: () => string | undefined
}

/**
 * {@link sendTo} for an event whose arguments may end in a string, such as the tutorial's
 * `welcome`: the packet carries the newest stored recovery offset, as a broadcast carries its
 * own, so the client's place in the recovery stream stays valid. For what every connection is
 * sent on (re)connecting, which `io.to(id).emit` would keep in memory per connection for the
 * whole recovery window. Stored the stock way while nothing is stored yet.
 *
 * @example
 * sendAtStreamEnd(io, socket.id, 'welcome', 'Welcome to Tidings!')
 */
export function sendAtStreamEnd<E extends ServerEvent>(
  io: HubServer,
  socketId: string,
  event: E,
  ...args: ServerEventArgs<E>
): void {
  const socket = io.sockets?.sockets.get(socketId)
  const offset = (io.sockets?.adapter as StreamEnd | undefined)?.newestOffset?.()
  if (socket !== undefined && offset !== undefined) writeEvent(socket, [event, ...args, offset])
  else (io.to(socketId).emit as (event: string, ...args: unknown[]) => boolean)(event, ...args)
}
