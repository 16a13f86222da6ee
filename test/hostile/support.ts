import { randomUUID } from 'node:crypto'
import { io as connect, type Socket } from 'socket.io-client'
import { expect } from 'vitest'
import WebSocket from 'ws'
import type { Notification } from '../../shared/index.js'
import type { HubProcess } from '../helpers/hub-process.js'

export const CONTROL_TOPIC = 'control-topic'

/** A well-behaved client that must keep getting its messages whatever the hostile ones do. */
export interface Control {
  socket: Socket
  /**
   * Fails unless the hub is alive, logged no error since the last `mark()`, and still delivers
   * to this client.
   */
  assertServing(): Promise<void>
  /** Starts a new test's log window, so one hub error fails one test rather than every later one. */
  mark(): Promise<void>
  close(): void
}

export async function openControl(hub: HubProcess, options: { origin?: string } = {}): Promise<Control> {
  const socket = connect(hub.url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    extraHeaders: options.origin ? { origin: options.origin } : {},
  })
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve)
    socket.once('connect_error', reject)
  })
  expect(await socket.emitWithAck('subscribe', CONTROL_TOPIC)).toMatchObject({ ok: true })
  let since = hub.logs.length
  return {
    mark: async () => {
      await flushLogs(hub)
      since = hub.logs.length
    },
    socket,
    async assertServing() {
      const title = `control ${randomUUID()}`
      const delivered = new Promise<Notification>((resolve) => {
        const onNotification = (n: Notification) => {
          if (n.title !== title) return
          socket.off('notification', onNotification)
          resolve(n)
        }
        socket.on('notification', onNotification)
      })
      const res = await notify(hub, { title, topic: CONTROL_TOPIC })
      expect(res.status).toBe(202)
      expect((await delivered).title).toBe(title)
      expect(socket.connected).toBe(true)
      await flushLogs(hub)
      assertHealthy(hub, since)
    },
    close: () => socket.disconnect(),
  }
}

/** Hub environment for the hostile suite: debug logging makes {@link flushLogs} possible. */
export const HOSTILE_ENV = { LOG_LEVEL: 'debug' }

/**
 * For suites about what the hub does with bad payloads: the per-connection event budget is lifted
 * so every probe reaches the handlers (the budget itself is tested in limits.test.ts).
 */
export const PAYLOAD_ENV = { ...HOSTILE_ENV, TIDINGS_EVENT_RATE: '1000000' }

/**
 * Resolves once every log line the hub wrote before this call has been read. The hub's log and
 * its sockets are separate channels, so an error logged while answering a request can arrive
 * after the answer; a marker line (a throwaway connection's debug "socket closed") proves the
 * pipe has caught up, because stdout is one ordered stream.
 */
export async function flushLogs(hub: HubProcess): Promise<void> {
  const socket = connect(hub.url, { transports: ['websocket'], reconnection: false, forceNew: true })
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve)
    socket.once('connect_error', reject)
  })
  const id = socket.id
  socket.disconnect()
  await hub.waitForLog((line) => line.msg === 'socket closed' && line.socketId === id)
}

/**
 * The hub is running and has logged nothing at error level (pino 50) or above since log
 * line `since`. The failure shows each error's message, never the log line itself.
 */
export function assertHealthy(hub: HubProcess, since = 0): void {
  expect(hub.isRunning()).toBe(true)
  const errors = hub.logs
    .slice(since)
    .filter((line) => typeof line.level === 'number' && line.level >= 50)
    .map((line) => `${String(line.msg)}: ${String((line.err as { message?: unknown } | undefined)?.message ?? '')}`)
  expect(errors).toEqual([])
}

export function notify(hub: HubProcess, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${hub.url}/notify`, {
    method: 'POST',
    headers: { authorization: `Bearer ${hub.apiKey}`, 'content-type': 'application/json', ...headers },
    body: (typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body)) as BodyInit,
  })
}

/** A Socket.IO client speaking raw Engine.IO over a WebSocket, to send packets no library would. */
export interface RawSocket {
  ws: WebSocket
  /** Every text frame received, in order. */
  frames: string[]
  /** Resolves with the first received frame (already seen or not) that `match` accepts. */
  waitFor(match: (frame: string) => boolean): Promise<string>
  /** Resolves once the hub has closed the connection. */
  closed: Promise<void>
  isOpen(): boolean
}

/** Opens a raw WebSocket, answers pings, and completes the Socket.IO CONNECT to `/`. */
export async function openRaw(hub: HubProcess): Promise<RawSocket> {
  const ws = new WebSocket(`${hub.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`)
  const frames: string[] = []
  const waiters: { match: (f: string) => boolean; resolve: (f: string) => void }[] = []
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()))
  ws.on('error', () => undefined)
  ws.on('message', (data, isBinary) => {
    const frame = isBinary ? `<binary ${(data as Buffer).length}>` : data.toString()
    if (frame === '2') ws.send('3')
    frames.push(frame)
    for (const w of waiters.splice(0)) {
      if (w.match(frame)) w.resolve(frame)
      else waiters.push(w)
    }
  })
  const waitFor = (match: (frame: string) => boolean) => {
    const seen = frames.find(match)
    if (seen !== undefined) return Promise.resolve(seen)
    return new Promise<string>((resolve) => waiters.push({ match, resolve }))
  }
  await waitFor((f) => f.startsWith('0{'))
  ws.send('40')
  await waitFor((f) => f.startsWith('40{'))
  return { ws, frames, waitFor, closed, isOpen: () => ws.readyState === WebSocket.OPEN }
}

/**
 * Sends a valid event with an ack id after a probe and resolves with the answer: Socket.IO
 * handles a connection's packets in order, so an answer proves the probe was processed and the
 * connection survived it; a close proves the hub refused the probe by hanging up.
 */
export async function probeOutcome(raw: RawSocket, ackId: number): Promise<'closed' | 'alive'> {
  if (!raw.isOpen()) return 'closed'
  raw.ws.send(`42${ackId}["subscribe","probe-check"]`)
  return Promise.race([
    raw.closed.then(() => 'closed' as const),
    raw.waitFor((f) => f.startsWith(`43${ackId}[`)).then(() => 'alive' as const),
  ])
}
