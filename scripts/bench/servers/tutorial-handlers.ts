import type { Server } from 'socket.io'

/**
 * The tutorial's chat ("Exemple complet"), unchanged in behaviour: `join` → `user-joined` to
 * everyone, every `chat-message` → `io.emit` to every connection, `disconnect` → `user-left`.
 * Shared by both baselines that speak it (`plain-socketio.ts`, `tutorial-chat.ts`).
 *
 * @example
 * serveTutorialChat(new Server(httpServer))
 */
export function serveTutorialChat(io: Server): void {
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
}
