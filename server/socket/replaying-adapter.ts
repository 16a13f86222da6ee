import { SessionAwareAdapter, type BroadcastOptions, type PrivateSessionId, type Room, type Session } from 'socket.io-adapter'
import { writeEvent } from '../direct-emit.js'
import { roomKey } from '../modules/module.js'

/** A broadcast as the session-aware adapter keeps it (socket.io-adapter 2.5, `packets`). */
interface StoredPacket {
  id: string
  opts: BroadcastOptions
  data: unknown[]
}

/** What the replay needs of a socket. */
export interface RecoveredSocket {
  recovered: boolean
  connected: boolean
  rooms: Set<Room>
  handshake: { auth: Record<string, unknown> }
  emit(...args: never[]): boolean
}

const reaches = ({ rooms, except }: BroadcastOptions, socketRooms: Set<Room>): boolean => {
  for (const room of socketRooms) if (except?.has(room)) return false
  if (rooms.size === 0) return true
  for (const room of socketRooms) if (rooms.has(room)) return true
  return false
}

/**
 * Socket.IO's connection state recovery, with the missed packets sent once the connection is
 * established instead of while it is being established.
 *
 * Stock recovery writes them right after the handshake, before the middlewares have run and
 * before the CONNECT packet. The client buffers them until CONNECT; when that attempt fails in
 * between (the link drops again, as it does on a flaky network), the buffer survives and the
 * next attempt, resuming from the same offset, adds the same packets again: the client emits
 * them twice. And a broadcast made while the middlewares run (a token being verified) is in
 * neither the missed list nor delivered live. Here the list is read and sent in the same turn as
 * the socket starts receiving live broadcasts: each missed packet once, in order, none dropped.
 *
 * A session cut off during a store catch-up is not recovered: its `catching-up` room would mute
 * it, and the client's `since` resumes it from the store instead.
 *
 * @example
 * const io = new Server(http, { adapter: ReplayingSessionAdapter, connectionStateRecovery: {} })
 * io.on('connection', (socket) => replayMissedPackets(socket))
 */
export class ReplayingSessionAdapter extends SessionAwareAdapter {
  override async restoreSession(pid: PrivateSessionId, offset: string): Promise<Session> {
    const session = await super.restoreSession(pid, offset)
    // Socket.IO treats a null session as "start a new one"; its typings say otherwise.
    if (!session || session.rooms.includes(roomKey.catchingUp)) return null as unknown as Session
    return { ...session, missedPackets: [] }
  }

  /** The broadcasts kept for recovery, oldest first (the parent class's private list). */
  private get stored(): StoredPacket[] {
    return (this as unknown as { packets: StoredPacket[] }).packets
  }

  /** The offset of the newest packet kept for recovery, if any (read by `sendAtStreamEnd`). */
  newestOffset(): string | undefined {
    return this.stored.at(-1)?.id
  }

  /** Sends `socket` what was broadcast to its rooms after its offset; false if that is gone. */
  replay(socket: RecoveredSocket): boolean {
    const packets = this.stored
    const offset = socket.handshake.auth.offset
    const start = packets.findIndex((packet) => packet.id === offset)
    if (start === -1) return false
    // Written as stored: the data ends with the packet's offset, so the client's offset advances
    // with each (`socket.emit` would store the packet again, under a new offset).
    for (let i = start + 1; i < packets.length; i++) {
      const packet = packets[i]!
      if (reaches(packet.opts, socket.rooms)) writeEvent(socket, packet.data)
    }
    return true
  }
}

/**
 * Replays what a recovered socket missed. Call it first in `io.on('connection')`, before anything
 * can broadcast to the socket. True when nothing was missed or all of it was sent; false when
 * the packets after the client's offset have been pruned meanwhile (the caller falls back to the
 * store catch-up).
 */
export function replayMissedPackets(socket: RecoveredSocket & { nsp: { adapter: unknown } }): boolean {
  if (!socket.recovered) return true
  const adapter = socket.nsp.adapter
  // Any other adapter sent the missed packets itself, during the handshake.
  return adapter instanceof ReplayingSessionAdapter ? adapter.replay(socket) : true
}
