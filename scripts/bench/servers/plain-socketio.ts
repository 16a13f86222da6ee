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

// The tutorial's "Exemple complet", unchanged in behaviour.
const users = new Map<string, string>()

io.on('connection', (socket) => {
  socket.on('join', (username: string) => {
    users.set(socket.id, username)
    io.emit('user-joined', { username, userCount: users.size })
  })

  socket.on('chat-message', (message: string) => {
    const username = users.get(socket.id) || 'Anonyme'
    io.emit('chat-message', { username, message, timestamp: new Date().toISOString() })
  })

  socket.on('disconnect', () => {
    const username = users.get(socket.id)
    if (username) {
      users.delete(socket.id)
      io.emit('user-left', { username, userCount: users.size })
    }
  })
})

httpServer.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  announceListening((httpServer.address() as AddressInfo).port)
})
process.on('SIGTERM', () => io.close(() => process.exit(0)))
