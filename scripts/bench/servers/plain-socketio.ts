/**
 * The baseline: the tutorial's chat server (Express + Socket.IO defaults, WebSocket transport
 * only) plus a `POST /notify` that `io.emit`s a notification of the hub's shape.
 * Run as a child process by the bench; env PORT, HOST, BENCH_API_KEY.
 */
import express from 'express'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Server } from 'socket.io'
import { announceListening, authorized, notificationFrom } from './baseline-payloads.js'
import { serveTutorialChat } from './tutorial-handlers.js'

const app = express()
const httpServer = createServer(app)
const io = new Server(httpServer, { cors: { origin: '*' }, transports: ['websocket'] })

app.post('/notify', express.json({ limit: '64kb' }), (req, res) => {
  if (!authorized(req.get('authorization'))) return void res.status(401).json({ error: { code: 'unauthorized' } })
  const notification = notificationFrom(req.body)
  if (!notification) return void res.status(400).json({ error: { code: 'invalid_request' } })
  io.emit('notification', notification)
  res.status(202).json({ id: notification.id, timestamp: notification.timestamp, target: { kind: 'everyone' } })
})

serveTutorialChat(io)

httpServer.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  announceListening((httpServer.address() as AddressInfo).port)
})
process.on('SIGTERM', () => io.close(() => process.exit(0)))
