import WebSocket from 'ws'

/** Server events the bench counts; everything else is only counted as "other". */
export type CountedEvent = 'notification' | 'chat-message'

const EVENT_PREFIXES: Record<CountedEvent, Buffer> = {
  notification: Buffer.from('42["notification"'),
  'chat-message': Buffer.from('42["chat-message"'),
}
const CHAR_0 = 0x30 // '0': Engine.IO open, or Socket.IO connect when after '4'
const CHAR_2 = 0x32 // '2': Engine.IO ping, or Socket.IO event when after '4'
const CHAR_4 = 0x34 // '4': Engine.IO message
const PONG = '3'

const startsWith = (data: Buffer, prefix: Buffer): boolean =>
  data.length >= prefix.length && data.compare(prefix, 0, prefix.length, 0, prefix.length) === 0

interface CountWaiter {
  event: CountedEvent
  target: number
  resolve: (at: number) => void
}

/**
 * Many Socket.IO connections in one process, without socket.io-client: raw `ws` speaking the
 * Engine.IO v4 / Socket.IO v5 framing (`0{…}` open → send `40` → `40{…}` connected; ping `2` →
 * pong `3`). Received events are recognised by their first bytes and counted, never parsed,
 * so one load-generator core can keep up with a server core.
 */
export class LightClientPool {
  readonly sockets: WebSocket[] = []
  readonly counts: Record<CountedEvent | 'other', number> = { notification: 0, 'chat-message': 0, other: 0 }
  private waiter: CountWaiter | undefined

  constructor(private readonly baseUrl: string) {}

  get size(): number {
    return this.sockets.length
  }

  /**
   * Opens `count` more connections, `concurrency` handshakes at a time; resolves with how many
   * reached the Socket.IO "connected" state. Failed ones are closed and not kept.
   */
  async open(count: number, concurrency: number, timeoutMs = 15_000): Promise<{ connected: number; failed: number }> {
    let started = 0
    let connected = 0
    let failed = 0
    const worker = async (): Promise<void> => {
      while (started < count) {
        started++
        const socket = await this.connectOne(timeoutMs).catch(() => undefined)
        if (socket) {
          this.sockets.push(socket)
          connected++
        } else failed++
      }
    }
    await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker))
    return { connected, failed }
  }

  /** Sends a Socket.IO event (`42[...]`) on connection `index`. */
  emit(index: number, event: string, ...args: unknown[]): void {
    this.sockets[index]?.send(`42${JSON.stringify([event, ...args])}`)
  }

  /**
   * Resolves with `performance.now()` at the moment the running count of `event` reaches
   * `target`, or with NaN after `timeoutMs`. One waiter at a time: the scenarios are sequential.
   */
  waitForCount(event: CountedEvent, target: number, timeoutMs: number): Promise<number> {
    if (this.counts[event] >= target) return Promise.resolve(performance.now())
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = undefined
        resolve(Number.NaN)
      }, timeoutMs)
      this.waiter = {
        event,
        target,
        resolve: (at) => {
          clearTimeout(timer)
          this.waiter = undefined
          resolve(at)
        },
      }
    })
  }

  /** Waits until no frame has arrived for `quietMs` (bounded by `maxMs`): join storms are over. */
  async settle(quietMs = 300, maxMs = 10_000): Promise<void> {
    const total = (): number => this.counts.notification + this.counts['chat-message'] + this.counts.other
    const deadline = Date.now() + maxMs
    let last = -1
    while (Date.now() < deadline) {
      const now = total()
      if (now === last) return
      last = now
      await new Promise((resolve) => setTimeout(resolve, quietMs))
    }
  }

  closeAll(): void {
    for (const socket of this.sockets.splice(0)) socket.terminate()
  }

  private connectOne(timeoutMs: number): Promise<WebSocket> {
    const socket = new WebSocket(`${this.baseUrl.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, {
      perMessageDeflate: false,
      skipUTF8Validation: true,
    })
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error('handshake timed out')), timeoutMs)
      const fail = (err: Error): void => {
        clearTimeout(timer)
        socket.terminate()
        reject(err)
      }
      socket.once('error', fail)
      socket.on('message', (data: Buffer) => {
        const first = data[0]
        if (first === CHAR_4) {
          if (data[1] === CHAR_2) return this.count(data)
          if (data[1] === CHAR_0) {
            clearTimeout(timer)
            socket.off('error', fail)
            socket.on('error', () => undefined) // a reset after the run is not a result
            return resolve(socket)
          }
        } else if (first === CHAR_2 && data.length === 1) socket.send(PONG)
        else if (first === CHAR_0) socket.send('40')
      })
    })
  }

  private count(data: Buffer): void {
    let event: CountedEvent | 'other' = 'other'
    if (startsWith(data, EVENT_PREFIXES.notification)) event = 'notification'
    else if (startsWith(data, EVENT_PREFIXES['chat-message'])) event = 'chat-message'
    const reached = ++this.counts[event]
    const waiter = this.waiter
    if (waiter !== undefined && waiter.event === event && reached >= waiter.target) waiter.resolve(performance.now())
  }
}
