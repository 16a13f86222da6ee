import { TokenError } from './token-error.js'
import type { AuthSocketData } from './socket-auth.js'
import type { TokenVerifier } from './token-verifier.js'

/** The parts of a Socket.IO socket the expiry watch uses. */
export interface ExpiringSocket {
  id: string
  data: unknown
  connected: boolean
  emit(event: 'hub-error', body: { code: string; message: string; event: string }): unknown
  disconnect(close?: boolean): unknown
  once(event: 'disconnect', listener: () => void): unknown
}

/** What the `refresh-token` acknowledgement carries. */
export type RefreshAck =
  | { ok: true; expiresAt: string }
  | { ok: false; error: { code: string; message: string } }

export interface TokenExpiryOptions {
  verifier: TokenVerifier
  /** Injected for tests; defaults to `Date.now`. */
  now?: () => number
}

export interface TokenExpiry {
  /** Arms the disconnect timer for a connection admitted with a token; no-op for guests. */
  watch(socket: ExpiringSocket): void
  /**
   * The `refresh-token` handler for one socket: `socket.on('refresh-token', expiry.refreshHandler(socket))`.
   * Arguments: `(token: string, ack?: (RefreshAck) => void)`.
   */
  refreshHandler(socket: ExpiringSocket): (...args: unknown[]) => void
}

// setTimeout fires at once for delays above 2^31-1 ms (about 24.8 days); longer lifetimes are
// reached by re-arming.
const MAX_TIMER_MS = 2 ** 31 - 1

/**
 * Ends a token's connection when the token expires, unless the client sent a fresh token for
 * the same user with `refresh-token` before that. On expiry the client gets a `hub-error`
 * (`code: 'token_expired', event: 'refresh-token'`) and then a server-side disconnect, which
 * Socket.IO clients do not retry by themselves: the app must obtain a token and reconnect.
 *
 * A refresh must carry the same `sub`; switching users needs a new connection, because rooms,
 * presence and notification routing are keyed on the identity. A changed `name` claim takes
 * effect on the next connection for the same reason.
 *
 * @example
 * const expiry = tokenExpiry({ verifier })
 * io.on('connection', (socket) => {
 *   expiry.watch(socket)
 *   socket.on('refresh-token', expiry.refreshHandler(socket))
 * })
 * // client: socket.emit('refresh-token', newToken, (ack) => ack.ok || relogin())
 */
export function tokenExpiry({ verifier, now = Date.now }: TokenExpiryOptions): TokenExpiry {
  const timers = new WeakMap<ExpiringSocket, NodeJS.Timeout>()

  const arm = (socket: ExpiringSocket): void => {
    clearTimeout(timers.get(socket))
    const expiresAt = (socket.data as AuthSocketData).expiresAt
    if (expiresAt === undefined || !socket.connected) return
    const remaining = expiresAt.getTime() - now()
    if (remaining > 0) {
      timers.set(socket, setTimeout(() => arm(socket), Math.min(remaining, MAX_TIMER_MS)))
      return
    }
    socket.emit('hub-error', {
      code: 'token_expired',
      message: 'the token has expired: refresh it before it does, or reconnect with a new one',
      event: 'refresh-token',
    })
    socket.disconnect(true)
  }

  return {
    watch(socket) {
      socket.once('disconnect', () => clearTimeout(timers.get(socket)))
      arm(socket)
    },
    refreshHandler(socket) {
      return (...args: unknown[]) => {
        const last = args.at(-1)
        const ack = typeof last === 'function' ? (last as (response: RefreshAck) => void) : undefined
        const reply = (response: RefreshAck): void => {
          if (ack) ack(response)
          else if (!response.ok) socket.emit('hub-error', { ...response.error, event: 'refresh-token' })
        }
        const data = socket.data as AuthSocketData
        if (data.userId === undefined) {
          return reply({
            ok: false,
            error: { code: 'forbidden', message: 'refresh-token: this connection was not opened with a token' },
          })
        }
        const token = ack ? args.slice(0, -1)[0] : args[0]
        verifier.verify(token).then(
          (verified) => {
            if (verified.userId !== data.userId) {
              return reply({
                ok: false,
                error: { code: 'forbidden', message: 'refresh-token: the new token is for another user; reconnect instead' },
              })
            }
            data.expiresAt = verified.expiresAt
            arm(socket)
            reply({ ok: true, expiresAt: verified.expiresAt.toISOString() })
          },
          (err: unknown) => {
            const error = err instanceof TokenError ? err : new TokenError('token_invalid', 'the token is not a valid JWT')
            reply({ ok: false, error: { code: error.code, message: `refresh-token: ${error.message}` } })
          },
        )
      }
    },
  }
}
