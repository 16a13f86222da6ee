import { consume, memoryStore, type LimiterStore } from './store.js'

export type EventVerdict = 'ok' | 'limited' | 'disconnect'

export interface EventRateLimiterOptions {
  /**
   * Events a connection may send per window. Default 30: a widget sends 2–4 events when it
   * connects (join, subscribe, identify) and a person types at most about one message a second,
   * so 30 in 10 s never bites a human but caps a script at 3 events/s.
   */
  points?: number
  /** Window length in seconds. Default 10: long enough to absorb a reconnect burst. */
  durationSec?: number
  /**
   * Refused events tolerated within one window before the verdict becomes `disconnect`.
   * Default 30: a client that keeps sending at double the allowed rate after being told
   * `rate_limited` is not a person, and each refusal still costs the hub an answer.
   */
  disconnectAfter?: number
  /** Where counts live; see {@link LimiterStore}. Default: this process's memory. */
  store?: LimiterStore
}

export interface EventRateLimiter {
  /** Counts one event for `key` (the socket id) and says what to do with it. */
  consume(key: string): Promise<EventVerdict>
  /** Drops a closed connection's counter. */
  forget(key: string): Promise<void>
}

/**
 * A per-connection budget for client events. Counting is a fixed window of `durationSec`
 * (a bucket of `points` tokens refilled whole at each window), as rate-limiter-flexible stores
 * implement it; refused events keep counting, so sustained flooding turns `limited` into
 * `disconnect`.
 *
 * @example
 * const events = eventRateLimiter({ points: 30, durationSec: 10, disconnectAfter: 30 })
 * io.on('connection', (socket) => socket.use(limitSocketEvents(socket, events)))
 */
export function eventRateLimiter({
  points = 30,
  durationSec = 10,
  disconnectAfter = 30,
  store = memoryStore,
}: EventRateLimiterOptions = {}): EventRateLimiter {
  const limiter = store({ points, duration: durationSec, keyPrefix: 'tidings:events' })
  return {
    async consume(key) {
      const { allowed, state } = await consume(limiter, key)
      if (allowed || state === undefined) return 'ok'
      return state.consumedPoints > points + disconnectAfter ? 'disconnect' : 'limited'
    },
    async forget(key) {
      await limiter.delete(key).catch(() => false)
    },
  }
}

/** The parts of a Socket.IO socket {@link limitSocketEvents} uses. */
export interface LimitedSocket {
  id: string
  emit(event: 'hub-error', body: { code: 'rate_limited'; message: string; event: string }): unknown
  disconnect(close?: boolean): unknown
  on(event: 'disconnect', listener: (this: LimitedSocket) => void): unknown
}

// One disconnect listener per limiter, shared by its sockets (called with the socket as `this`).
const forgetters = new WeakMap<EventRateLimiter, (this: LimitedSocket) => void>()
const forgetterOf = (limiter: EventRateLimiter): ((this: LimitedSocket) => void) => {
  let forget = forgetters.get(limiter)
  if (forget === undefined) {
    forget = function (this: LimitedSocket) {
      void limiter.forget(this.id)
    }
    forgetters.set(limiter, forget)
  }
  return forget
}

/**
 * A `socket.use` packet middleware applying an {@link EventRateLimiter} to one socket: a limited
 * event is answered `rate_limited` (through its acknowledgement, else as `hub-error`) and never
 * reaches the handlers; a flooding socket is disconnected.
 *
 * @example
 * io.on('connection', (socket) => socket.use(limitSocketEvents(socket, events)))
 */
export function limitSocketEvents(socket: LimitedSocket, limiter: EventRateLimiter) {
  socket.on('disconnect', forgetterOf(limiter))
  return (packet: unknown[], next: (err?: Error) => void): void => {
    void limiter.consume(socket.id).then((verdict) => {
      if (verdict === 'ok') return next()
      if (verdict === 'disconnect') {
        socket.disconnect(true)
        return
      }
      const event = typeof packet[0] === 'string' ? packet[0] : 'unknown'
      const error = { code: 'rate_limited' as const, message: `${event}: too many events; slow down` }
      const ack = packet.at(-1)
      if (packet.length > 1 && typeof ack === 'function') ack({ ok: false, error })
      else socket.emit('hub-error', { ...error, event })
    })
  }
}
