import { io, type Socket } from 'socket.io-client'

/** What a chat flood message carries: the send time, so each receiver can time its delivery. */
export const floodMessage = (sequence: number, sentAt: number): string => `flood ${sequence} ${sentAt.toFixed(3)}`

/** The send time written by `floodMessage`, or NaN for any other text. */
function sentAtOf(text: unknown): number {
  if (typeof text !== 'string' || !text.startsWith('flood ')) return Number.NaN
  return Number(text.slice(text.lastIndexOf(' ') + 1))
}

interface CountWaiter {
  target: number
  resolve: (at: number) => void
}

/**
 * Real socket.io-client connections, as the tutorial's page opens them (one `io()` each, no
 * shared Manager), in this process. Every `chat-message` is parsed by the client library like a
 * browser would, counted, and timed from the send time its text carries.
 */
export class SocketIoClientPool {
  readonly sockets: Socket[] = []
  delivered = 0
  /** Milliseconds from `emit` to arrival, for every flood message received since `resetLatencies`. */
  latencies: number[] = []
  disconnects = 0
  private waiter: CountWaiter | undefined

  constructor(private readonly baseUrl: string) {}

  get size(): number {
    return this.sockets.length
  }

  /** Opens `count` connections, `concurrency` at a time; resolves with how many failed. */
  async open(count: number, concurrency: number, timeoutMs = 15_000): Promise<number> {
    let started = 0
    let failed = 0
    const worker = async (): Promise<void> => {
      while (started < count) {
        started++
        const socket = await this.connectOne(timeoutMs).catch(() => undefined)
        if (socket) this.sockets.push(socket)
        else failed++
      }
    }
    await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker))
    return failed
  }

  emit(index: number, event: string, ...args: unknown[]): void {
    this.sockets[index]?.emit(event, ...args)
  }

  resetLatencies(): void {
    this.latencies = []
  }

  /** Resolves with `performance.now()` once `delivered` reaches `target`, or NaN after `timeoutMs`. */
  waitForDelivered(target: number, timeoutMs: number): Promise<number> {
    if (this.delivered >= target) return Promise.resolve(performance.now())
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = undefined
        resolve(Number.NaN)
      }, timeoutMs)
      this.waiter = {
        target,
        resolve: (at) => {
          clearTimeout(timer)
          this.waiter = undefined
          resolve(at)
        },
      }
    })
  }

  closeAll(): void {
    for (const socket of this.sockets.splice(0)) {
      socket.off('disconnect')
      socket.disconnect()
    }
  }

  private connectOne(timeoutMs: number): Promise<Socket> {
    // WebSocket from the start: a polling phase would only add an upgrade to every handshake and
    // leave some connections on polling while the flood is measured.
    const socket = io(this.baseUrl, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: timeoutMs })
    return new Promise((resolve, reject) => {
      socket.once('connect', () => {
        socket.off('connect_error')
        socket.on('chat-message', (message: { message?: unknown }) => this.arrived(message))
        socket.on('disconnect', () => this.disconnects++)
        resolve(socket)
      })
      socket.once('connect_error', (err) => {
        socket.close()
        reject(err)
      })
    })
  }

  private arrived(message: { message?: unknown }): void {
    const now = performance.now()
    const sentAt = sentAtOf(message.message)
    if (Number.isNaN(sentAt)) return
    this.latencies.push(now - sentAt)
    const reached = ++this.delivered
    if (this.waiter !== undefined && reached >= this.waiter.target) this.waiter.resolve(now)
  }
}
