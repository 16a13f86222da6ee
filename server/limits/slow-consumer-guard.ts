export interface SlowConsumerGuardOptions {
  /**
   * Bytes a connection may have waiting to be sent before it is cut off. Default 1 MiB: about 500
   * full-length chat messages or 16 of the largest notifications, far more than a healthy client
   * ever lags, small enough that a thousand stalled clients cannot take a gigabyte of memory.
   */
  maxBufferedBytes?: number
  /** Called after a connection was cut off, e.g. to log or count it (never with its data). */
  onCutOff?: (socketId: string, bufferedBytes: number) => void
}

/**
 * The engine.io internals the guard reads (engine.io 6, see `build/socket.js` and
 * `build/transports/websocket.js`): the engine socket emits `packetCreate` just before it
 * appends a packet to `writeBuffer`, and replaces `writeBuffer` with an empty array as it hands
 * the packets to the transport (`flush`); a WebSocket transport keeps its `ws` socket in
 * `transport.socket`, whose `bufferedAmount` counts bytes accepted by `send` but not yet
 * written to the kernel.
 */
export interface EngineConnection {
  transport: { name: string; socket?: { bufferedAmount?: number; terminate?: () => void } }
  writeBuffer: readonly unknown[]
  on(event: 'packetCreate', listener: (packet: { data?: unknown }) => void): unknown
  close(discard?: boolean): unknown
}
export interface GuardedConnection {
  id: string
  /** Socket.IO's `socket.conn`; typed loosely because engine.io's transport socket is not public. */
  conn: unknown
  disconnect(close?: boolean): unknown
}

const engineOf = (socket: GuardedConnection): EngineConnection => socket.conn as EngineConnection

export interface SlowConsumerGuard {
  /** Starts watching one connection; call in `io.on('connection')`. */
  watch(socket: GuardedConnection): void
  /** Bytes waiting for `socket` now (engine write buffer + WebSocket buffer). */
  bufferedBytes(socket: GuardedConnection): number
}

const sizeOf = (data: unknown): number => {
  if (typeof data === 'string') return Buffer.byteLength(data)
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength
  return 0
}

/** What the guard keeps per watched connection. */
interface Watch {
  socket: GuardedConnection
  /** Bytes of the packets in the engine's write buffer (valid while it is not empty). */
  queued: number
  cut: boolean
}

/**
 * Disconnects a connection that does not read what the hub sends it (a stalled tab, a client
 * that stopped polling, a deliberately paused TCP reader). Without this every broadcast would
 * pile up in the hub's memory for it until the ping timeout, which a slow reader that still
 * answers pings never reaches.
 *
 * The check runs as each packet is queued, so it costs O(1) per packet: the bytes in the engine's
 * write buffer are tracked as packets arrive (an empty buffer means everything before was
 * flushed), and the WebSocket buffer size is a property read. Polling connections are covered by
 * the engine write buffer, where their packets wait between polls. One listener, shared by every
 * connection (the engine calls it with the connection as `this`): watching costs one small
 * record per connection, and a broadcast, which hands every connection the same encoded string,
 * measures it once. (It listened to `flush` as well, to reset its count: reading the buffer's
 * length instead saves a listener call per delivery: about 1% of a broadcast's CPU, side by side.)
 *
 * @example
 * const guard = slowConsumerGuard({ maxBufferedBytes: 1024 * 1024 })
 * io.on('connection', (socket) => guard.watch(socket))
 */
export function slowConsumerGuard({
  maxBufferedBytes = 1024 * 1024,
  onCutOff,
}: SlowConsumerGuardOptions = {}): SlowConsumerGuard {
  const watches = new WeakMap<EngineConnection, Watch>()
  const inWebSocket = (conn: EngineConnection): number => conn.transport.socket?.bufferedAmount ?? 0
  const waitingIn = (conn: EngineConnection, watch: Watch | undefined): number =>
    (conn.writeBuffer.length === 0 ? 0 : (watch?.queued ?? 0)) + inWebSocket(conn)

  // One-entry cache: a broadcast queues the same string on every connection in turn.
  let lastData: unknown
  let lastSize = 0
  const measure = (data: unknown): number => {
    if (data !== lastData) {
      lastSize = sizeOf(data)
      lastData = data
    }
    return lastSize
  }

  function onPacketCreate(this: EngineConnection, packet: { data?: unknown }): void {
    const watch = watches.get(this)
    if (!watch) return
    // Emitted before the packet joins the buffer: an empty buffer was flushed since the last one.
    watch.queued = (this.writeBuffer.length === 0 ? 0 : watch.queued) + measure(packet.data)
    if (watch.cut) return
    // `queued` already counts this packet, which `waitingIn` would not see in the buffer yet.
    const bytes = watch.queued + inWebSocket(this)
    if (bytes <= maxBufferedBytes) return
    watch.cut = true
    // Deferred: this listener runs inside engine.io's sendPacket, which must finish first.
    process.nextTick(() => cutOff(watch.socket, bytes))
  }

  return {
    bufferedBytes: (socket) => {
      const conn = engineOf(socket)
      return waitingIn(conn, watches.get(conn))
    },
    watch(socket) {
      const conn = engineOf(socket)
      // Watched from the connection event on: what was queued before (the CONNECT answer) is small.
      watches.set(conn, { socket, queued: 0, cut: false })
      conn.on('packetCreate', onPacketCreate)
    },
  }

  function cutOff(socket: GuardedConnection, bytes: number): void {
    const conn = engineOf(socket)
    // disconnect(true) alone would wait for the write buffer to drain, which a slow reader
    // never lets happen; close(true) discards the buffer, terminate() drops the bytes
    // already handed to the WebSocket without waiting for a closing handshake.
    socket.disconnect(true)
    conn.close(true)
    conn.transport.socket?.terminate?.()
    onCutOff?.(socket.id, bytes)
  }
}
