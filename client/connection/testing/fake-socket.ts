import type { HubSocket, SocketFactory } from '../hub-connection.js'

type Listener = (...args: unknown[]) => void
type Answer = (event: string, args: unknown[]) => unknown

/**
 * Enough of a Socket.IO client socket to drive a HubConnection without a network: the test
 * plays the hub (`goOnline`, `dropConnection`, `answer`) and reads what was sent in `sent`.
 */
export class FakeSocket {
  connected = false
  active = true
  readonly sent: unknown[][] = []
  options: Record<string, unknown> = {}
  /** How the fake hub acknowledges requests; `undefined` means it never answers. */
  answer: Answer = () => ({ ok: true })
  private readonly listeners = new Map<string, Set<Listener>>()

  on(event: string, listener: Listener): this {
    let set = this.listeners.get(event)
    if (!set) this.listeners.set(event, (set = new Set()))
    set.add(listener)
    return this
  }

  off(event: string, listener: Listener): this {
    this.listeners.get(event)?.delete(listener)
    return this
  }

  emit(event: string, ...args: unknown[]): this {
    this.sent.push([event, ...args])
    return this
  }

  timeout(_ms: number): { emitWithAck: (event: string, ...args: unknown[]) => Promise<unknown> } {
    return {
      emitWithAck: async (event, ...args) => {
        this.sent.push([event, ...args])
        const response = this.answer(event, args)
        if (response === undefined) throw new Error('operation has timed out')
        return response
      },
    }
  }

  disconnect(): this {
    this.active = false
    this.connected = false
    this.fire('disconnect', 'io client disconnect')
    return this
  }

  /** The handshake `auth` the socket would send now (the connection may fetch a token first). */
  auth(): Promise<unknown> {
    return new Promise((resolve) => (this.options.auth as (send: (data: unknown) => void) => void)(resolve))
  }

  /** How many times the page asked to connect again after Socket.IO gave up. */
  connectCalls = 0

  connect(): this {
    this.connectCalls++
    this.active = true
    return this
  }

  /** The hub refuses the handshake (Socket.IO then stops trying by itself). */
  refuse(code: string, message = code): void {
    this.active = false
    this.fire('connect_error', Object.assign(new Error(message), { data: { code, message } }))
  }

  /** The hub ends the session itself. */
  serverDisconnect(): void {
    this.connected = false
    this.active = false
    this.fire('disconnect', 'io server disconnect')
  }

  goOnline(): void {
    this.connected = true
    this.fire('connect')
  }

  dropConnection(): void {
    this.connected = false
    this.fire('disconnect', 'transport close')
  }

  /** The hub sends `event`. */
  fire(event: string, ...args: unknown[]): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) listener(...args)
  }

  /** Names of the events sent so far, with their arguments, e.g. `join alice general`. */
  sentLines(): string[] {
    return this.sent.map((packet) => packet.map((arg) => (typeof arg === 'object' ? JSON.stringify(arg) : arg)).join(' '))
  }
}

/** A factory that records every fake socket it makes. */
export function fakeSockets(): { made: FakeSocket[]; createSocket: SocketFactory } {
  const made: FakeSocket[] = []
  const createSocket: SocketFactory = (_url, options) => {
    const socket = new FakeSocket()
    socket.options = options as Record<string, unknown>
    made.push(socket)
    return socket as unknown as HubSocket
  }
  return { made, createSocket }
}

/** Lets pending promise callbacks (acknowledgements, microtasks) run. */
export const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))
