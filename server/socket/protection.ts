import { usernameSchema } from '../../shared/index.js'
import { socketAuth, guestEventGuard } from '../auth/socket-auth.js'
import { tokenExpiry } from '../auth/token-expiry.js'
import type { TokenVerifier } from '../auth/token-verifier.js'
import type { Config } from '../config.js'
import type { HubServer } from '../hub-server.js'
import type { Logger } from '../logger.js'
import type { AuthFailureLimiter } from '../limits/auth-failure-limiter.js'
import { eventRateLimiter, limitSocketEvents } from '../limits/event-rate-limiter.js'
import { slowConsumerGuard, type GuardedConnection } from '../limits/slow-consumer-guard.js'
import { handshakeError } from './handshake.js'
import type { SocketAddress } from './request-release.js'

export interface ProtectionOptions {
  io: HubServer
  config: Config
  log: Logger
  /** Present in signed mode. */
  verifier?: TokenVerifier
  /** Counts refused handshakes per client address (a budget of their own, not `POST /notify`'s). */
  authFailures: AuthFailureLimiter
  /** The client address of a socket (see `requestRelease`). */
  socketAddress: SocketAddress
}

/**
 * Everything that guards the socket side, registered before the gateway so that its checks run
 * first: token verification at the handshake (refusals counted per client address; past the
 * budget they are answered `rate_limited`, while a valid token is always admitted), the guest policy, the per-connection event budget, the slow-consumer cut-off and token expiry.
 *
 * @example
 * attachSocketProtection({ io, config, log, verifier, authFailures, socketAddress })
 * attachGateway({ io, … })
 */
export function attachSocketProtection({ io, config, log, verifier, authFailures, socketAddress }: ProtectionOptions): {
  /** Bytes waiting to be sent to a connection (see `slowConsumerGuard`). */
  bufferedBytes: (socket: GuardedConnection) => number
} {
  const authenticate = socketAuth({
    verifier,
    guests: config.guests,
    checkName: (name) => usernameSchema.safeParse(name).error?.issues[0]?.message,
  })
  io.use((socket, next) => {
    authenticate(socket as never, (err) => {
      if (!err) return next()
      const address = socketAddress(socket)
      log.info({ address, code: (err as { data?: { code?: string } }).data?.code }, 'handshake refused')
      authFailures.recordFailure(address).then((verdict) => {
        if (!verdict.limited) return next(err)
        next(handshakeError(`too many failed authentications; retry after ${verdict.retryAfterSec} s`, 'rate_limited'))
      }, next)
    })
  })

  const { points, windowSec, disconnectAfter } = config.limits.eventRate
  const events = eventRateLimiter({ points, durationSec: windowSec, disconnectAfter })
  const guard = slowConsumerGuard({
    maxBufferedBytes: config.limits.maxBufferedBytes,
    onCutOff: (socketId, bufferedBytes) => log.warn({ socketId, bufferedBytes }, 'slow consumer disconnected'),
  })
  const expiry = verifier && tokenExpiry({ verifier })

  io.on('connection', (socket) => {
    guard.watch(socket)
    // First, so that refused guest events still count against the budget.
    socket.use(limitSocketEvents(socket, events))
    if (verifier) socket.use(guestEventGuard(socket, config.guests))
    if (expiry) {
      expiry.watch(socket)
      socket.on('refresh-token', expiry.refreshHandler(socket))
    }
  })
  return { bufferedBytes: guard.bufferedBytes }
}
