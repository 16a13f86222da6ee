import { LIMITS } from '../../shared/limits.js'

// Mirrors the hub's username rule (shared/names.ts) without pulling its schema library into the
// bundle. Only used to decide whether a name may ride in the handshake.
const CONTROL_CHARS = /\p{Cc}/u

/**
 * The handshake `auth` for a connection. A name the hub would refuse is left out on purpose:
 * Socket.IO never retries a handshake refused by the server, whereas a refused `identify`/`join`
 * is answered with an error the component can show, and the connection keeps working.
 */
export function handshakeAuth(username: string | undefined): { username?: string } {
  if (username === undefined) return {}
  const trimmed = username.trim()
  const acceptable = trimmed.length > 0 && trimmed.length <= LIMITS.usernameLength && !CONTROL_CHARS.test(trimmed)
  return acceptable ? { username: trimmed } : {}
}
