import { io as ioLatest, type Socket } from 'socket.io-client'
import { io as io454 } from 'socket.io-client-454'
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/index.js'

export type HubClient = Socket<ServerToClientEvents, ClientToServerEvents>

export type ClientVersion = '4.5.4' | 'latest'

const open = new Set<{ disconnect(): unknown }>()

/**
 * Connects a real socket.io-client (the current one, or 4.5.4 as the tutorial's page uses) and
 * resolves once connected. Every client is closed by `closeAllClients()`.
 *
 * @example
 * const alice = await connectClient(hub.url, { auth: { username: 'alice' } })
 */
export async function connectClient(
  url: string,
  options: { auth?: Record<string, unknown>; version?: ClientVersion; transports?: string[] } = {},
): Promise<HubClient> {
  const factory = (options.version === '4.5.4' ? io454 : ioLatest) as typeof ioLatest
  const socket = factory(url, {
    auth: options.auth ?? {},
    transports: options.transports ?? ['websocket'],
    reconnection: false,
    forceNew: true,
  }) as unknown as HubClient
  open.add(socket)
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve())
    socket.once('connect_error', (err) => reject(err))
  })
  return socket
}

export function closeAllClients(): void {
  for (const socket of open) socket.disconnect()
  open.clear()
}

/** Resolves with the next `event` the socket receives (its first argument). */
export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: HubClient,
  event: E,
  filter: (payload: Parameters<ServerToClientEvents[E]>[0]) => boolean = () => true,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve) => {
    const listener = (payload: Parameters<ServerToClientEvents[E]>[0]): void => {
      if (!filter(payload)) return
      socket.off(event, listener as never)
      resolve(payload)
    }
    socket.on(event, listener as never)
  })
}

/** Collects every `event` the socket receives from now on. */
export function collect<E extends keyof ServerToClientEvents>(
  socket: HubClient,
  event: E,
): Parameters<ServerToClientEvents[E]>[0][] {
  const seen: Parameters<ServerToClientEvents[E]>[0][] = []
  socket.on(event, ((payload: Parameters<ServerToClientEvents[E]>[0]) => seen.push(payload)) as never)
  return seen
}

/** Emits with an acknowledgement and resolves with the hub's answer (works on 4.5.4 too). */
export function request(socket: HubClient, event: string, ...args: unknown[]): Promise<any> {
  return new Promise((resolve, reject) => {
    ;(socket as unknown as Socket).timeout(5000).emit(event, ...args, (err: Error | null, response: unknown) =>
      err ? reject(err) : resolve(response),
    )
  })
}

/** POSTs a notification with the given key; resolves with status and parsed body. */
export async function postNotify(
  url: string,
  key: string | undefined,
  body: unknown,
  init: { contentType?: string; raw?: BodyInit; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = { 'content-type': init.contentType ?? 'application/json', ...init.headers }
  if (key !== undefined) headers.authorization = `Bearer ${key}`
  const res = await fetch(`${url}/notify`, {
    method: 'POST',
    headers,
    body: init.raw ?? JSON.stringify(body),
  })
  const text = await res.text()
  let parsed: unknown = text
  try {
    parsed = JSON.parse(text)
  } catch {
    // keep the raw text: the assertion will show it
  }
  return { status: res.status, body: parsed, headers: res.headers }
}
