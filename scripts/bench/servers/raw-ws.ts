/**
 * The floor: a bare `ws` server that speaks just enough Engine.IO v4 / Socket.IO v5 for the
 * same clients (open packet, namespace connect), and broadcasts by encoding each frame once and
 * sending the same bytes to every connection in a loop. No rooms, no acks, no heartbeat.
 * Run as a child process by the bench; env PORT, HOST, BENCH_API_KEY.
 */
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import { announceListening, authorized, notificationFrom } from './baseline-payloads.js'

const MAX_BODY_BYTES = 64 * 1024
// What a Socket.IO server announces; clients check pingInterval/pingTimeout, nothing else.
const OPEN_PACKET = (sid: string): string =>
  `0${JSON.stringify({ sid, upgrades: [], pingInterval: 25000, pingTimeout: 20000, maxPayload: 1000000 })}`

const httpServer = createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/notify') return notify(req, res)
  res.writeHead(404).end()
})
const wss = new WebSocketServer({ server: httpServer, path: '/socket.io/', perMessageDeflate: false })
const usernames = new Map<WebSocket, string>()

/** Encodes `42["event",payload]` once and writes the identical bytes to every connection. */
function broadcast(event: string, payload: unknown): void {
  const frame = Buffer.from(`42${JSON.stringify([event, payload])}`)
  for (const client of wss.clients) client.send(frame, { binary: false })
}

wss.on('connection', (ws) => {
  ws.send(OPEN_PACKET(randomBytes(15).toString('base64url')))
  ws.on('message', (data: Buffer) => {
    const text = data.toString()
    if (text.startsWith('40')) return ws.send(`40${JSON.stringify({ sid: randomBytes(15).toString('base64url') })}`)
    if (!text.startsWith('42')) return // '3' (pong) and anything else: nothing to do
    const [event, arg] = JSON.parse(text.slice(2)) as [string, unknown]
    if (event === 'join' && typeof arg === 'string') {
      usernames.set(ws, arg)
      broadcast('user-joined', { username: arg, userCount: usernames.size })
    } else if (event === 'chat-message' && typeof arg === 'string') {
      const username = usernames.get(ws) ?? 'Anonyme'
      broadcast('chat-message', { username, message: arg, timestamp: new Date().toISOString() })
    }
  })
  ws.on('close', () => {
    const username = usernames.get(ws)
    if (username === undefined) return
    usernames.delete(ws)
    broadcast('user-left', { username, userCount: usernames.size })
  })
})

function notify(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = []
  let size = 0
  req.on('data', (chunk: Buffer) => {
    size += chunk.length
    if (size <= MAX_BODY_BYTES) chunks.push(chunk)
  })
  req.on('end', () => {
    const reply = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    }
    if (!authorized(req.headers.authorization)) return reply(401, { error: { code: 'unauthorized' } })
    let notification
    try {
      notification = size <= MAX_BODY_BYTES ? notificationFrom(JSON.parse(Buffer.concat(chunks).toString())) : undefined
    } catch {
      notification = undefined
    }
    if (!notification) return reply(400, { error: { code: 'invalid_request' } })
    broadcast('notification', notification)
    reply(202, { id: notification.id, timestamp: notification.timestamp, target: { kind: 'everyone' } })
  })
}

httpServer.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  announceListening((httpServer.address() as AddressInfo).port)
})
process.on('SIGTERM', () => {
  for (const client of wss.clients) client.terminate()
  httpServer.close(() => process.exit(0))
})
