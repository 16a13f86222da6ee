/**
 * The Socket.IO tutorial's chat server ("Exemple complet"), rewritten from its protocol and kept
 * as the tutorial has it: Express + Socket.IO with defaults (CORS `*`, polling and WebSocket),
 * `join` → `io.emit('user-joined')`, every `chat-message` → `io.emit('chat-message')` to every
 * connection, `disconnect` → `io.emit('user-left')`. No persistence, validation or limits.
 * Run as a child process by the bench's chat flood; env PORT, HOST.
 */
import express from 'express'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Server } from 'socket.io'
import { announceListening } from './baseline-payloads.js'
import { serveTutorialChat } from './tutorial-handlers.js'

const app = express()
const httpServer = createServer(app)
const io = new Server(httpServer, { cors: { origin: '*' } })

app.get('/', (_req, res) => {
  res.send('Serveur Socket.IO actif')
})

serveTutorialChat(io)

httpServer.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  announceListening((httpServer.address() as AddressInfo).port)
})
process.on('SIGTERM', () => io.close(() => process.exit(0)))
