import { io, type Socket } from 'socket.io-client'
import { postNotify } from './notify-request.js'

const STEP_TIMEOUT_MS = 5_000

/** Resolves with the first `event` whose payload `accept`s, or rejects after a timeout. */
function next<T>(socket: Socket, event: string, accept: (payload: T) => boolean): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener)
      reject(new Error(`no "${event}" within ${STEP_TIMEOUT_MS} ms`))
    }, STEP_TIMEOUT_MS)
    const listener = (payload: T): void => {
      if (!accept(payload)) return
      clearTimeout(timer)
      socket.off(event, listener)
      resolve(payload)
    }
    socket.on(event, listener)
  })
}

interface ChatPayload {
  username?: unknown
  message?: unknown
  timestamp?: unknown
}

/**
 * Correctness before speed: the real socket.io-client speaks the tutorial's protocol with the
 * server (join → user-joined, chat-message round trip, POST /notify → notification), so a
 * fast figure from a server that does not actually deliver cannot slip into the table.
 * Returns the problems found; empty means it passed.
 */
export async function checkWithSocketIoClient(baseUrl: string): Promise<string[]> {
  const socket = io(baseUrl, { transports: ['websocket'], reconnection: false, forceNew: true, timeout: STEP_TIMEOUT_MS })
  const problems: string[] = []
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve())
      socket.once('connect_error', reject)
    })
    const joined = next<ChatPayload>(socket, 'user-joined', (p) => p.username === 'smoke-user')
    socket.emit('join', 'smoke-user')
    await joined
    const chat = next<ChatPayload>(socket, 'chat-message', (p) => p.message === 'smoke hello')
    socket.emit('chat-message', 'smoke hello')
    const message = await chat
    if (message.username !== 'smoke-user') problems.push(`chat-message.username is ${String(message.username)}`)
    if (typeof message.timestamp !== 'string' || Number.isNaN(Date.parse(message.timestamp))) {
      problems.push('chat-message.timestamp is not an ISO date')
    }
    const notified = next<{ title?: unknown }>(socket, 'notification', (p) => p.title === 'smoke notification')
    const status = await postNotify(baseUrl, 'smoke notification')
    if (status !== 202) problems.push(`POST /notify answered ${status}, not 202`)
    await notified
  } catch (err) {
    problems.push((err as Error).message)
  } finally {
    socket.disconnect()
  }
  return problems
}
