import { TokenError } from './token-error.js'
import type { TokenVerifier } from './token-verifier.js'

/**
 * What connections without a token may do when a verifier is configured:
 * - `off`: refused at the handshake (`token_missing`);
 * - `read`: admitted to receive (notifications to everyone, subscribed topics) but not to speak
 *   (see {@link guestEventGuard});
 * - `chat`: admitted with today's anonymous behaviour (a name of their choosing via `join`).
 */
export type GuestPolicy = 'read' | 'chat' | 'off'

/** The fields this module sets on `socket.data` (the lead adds them to `SocketData`). */
export interface AuthSocketData {
  username?: string
  /** The token's `sub`; undefined for guests. */
  userId?: string
  /** When the token expires; undefined for guests. */
  expiresAt?: Date
  /** True when the connection was admitted without a token. */
  guest?: boolean
}

/** The parts of a Socket.IO socket the middleware reads, so any typed `Socket` fits. */
export interface HandshakeSocket {
  handshake: { auth: Record<string, unknown> }
  data: unknown
}

/** An `Error` whose `data` Socket.IO sends to the client as `connect_error`'s `err.data`. */
export type ConnectRefusal = Error & { data: { code: string; message: string } }

export interface SocketAuthOptions {
  /** Verifies `auth.token`; without one every connection is admitted as today (no identity). */
  verifier?: TokenVerifier
  /**
   * Policy for connections without a token when `verifier` is set. No default on purpose:
   * whether anonymous users may chat is a product decision the operator must make.
   */
  guests: GuestPolicy
  /**
   * Checks the token's display name (e.g. the shared `usernameSchema`); return an error message
   * to refuse. Default accepts any name the verifier accepted.
   */
  checkName?: (name: string) => string | undefined
}

/**
 * Socket.IO handshake middleware: verifies `auth.token` and puts the caller's identity in
 * `socket.data`, or admits a guest per policy. A refusal reaches the client as a `connect_error`
 * whose `err.data` is `{code, message}`, e.g. `{code: 'token_expired', …}`. A token that is present
 * but bad is always refused, never downgraded to a guest: a client whose session lapsed should
 * learn it, not silently lose its name.
 *
 * @example
 * io.use(socketAuth({ verifier: await createTokenVerifier({ secret }), guests: 'read' }))
 * // client: io(url, { auth: { token } }).on('connect_error', (err) => console.log(err.data?.code))
 */
export function socketAuth({ verifier, guests, checkName }: SocketAuthOptions) {
  return (socket: HandshakeSocket, next: (err?: Error) => void): void => {
    const data = socket.data as AuthSocketData
    if (verifier === undefined) {
      data.guest = false
      return next()
    }
    const token = socket.handshake.auth?.token
    if (token === undefined || token === null || token === '') {
      if (guests === 'off') {
        return next(refusal(new TokenError('token_missing', 'this hub requires a token: connect with auth.token')))
      }
      data.guest = true
      return next()
    }
    verifier.verify(token).then(
      ({ userId, name, expiresAt }) => {
        const problem = checkName?.(name)
        if (problem !== undefined) {
          return next(refusal(new TokenError('token_invalid', `the token's name ${problem}`)))
        }
        Object.assign(data, { userId, username: name, expiresAt, guest: false })
        next()
      },
      (err: unknown) =>
        next(refusal(err instanceof TokenError ? err : new TokenError('token_invalid', 'the token is not a valid JWT'))),
    )
  }
}

function refusal(err: TokenError): ConnectRefusal {
  // A plain Error: Socket.IO serialises only `message` and `data` into the CONNECT_ERROR packet.
  return Object.assign(new Error(err.message), { data: err.toJSON() })
}

/** Client events that speak to others: a read-only guest may not send them. */
export const SPEAKING_EVENTS: readonly string[] = ['join', 'identify', 'chat-message', 'message']

/** The parts of a socket the guest guard needs. */
export interface GuardedSocket {
  data: unknown
  emit(event: 'hub-error', body: { code: 'forbidden'; message: string; event: string }): unknown
}

/**
 * A per-socket packet middleware (`socket.use`) that refuses speaking events from read-only
 * guests with `forbidden`, answered the gateway's way: through the acknowledgement when the
 * event has one, otherwise as a `hub-error` event. Other sockets pass straight through.
 *
 * @example
 * io.on('connection', (socket) => socket.use(guestEventGuard(socket, config.guests)))
 */
export function guestEventGuard(socket: GuardedSocket, policy: GuestPolicy) {
  return (packet: unknown[], next: (err?: Error) => void): void => {
    const event = packet[0]
    const data = socket.data as AuthSocketData
    if (policy !== 'read' || data.guest !== true || typeof event !== 'string' || !SPEAKING_EVENTS.includes(event)) {
      return next()
    }
    const error = { code: 'forbidden' as const, message: `${event}: guests may only listen on this hub; connect with a token` }
    const ack = packet.at(-1)
    if (packet.length > 1 && typeof ack === 'function') ack({ ok: false, error })
    else socket.emit('hub-error', { ...error, event })
    // next() is deliberately not called: the event never reaches the gateway's handlers.
  }
}
