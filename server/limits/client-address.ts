import type { IncomingMessage } from 'node:http'
import proxyaddr from 'proxy-addr'
import type { TrustProxy } from '../config.js'
import { normaliseIp } from './store.js'

/** Finds the client address of a request (an HTTP request or a socket's handshake request). */
export type ClientAddress = (req: IncomingMessage) => string

/**
 * The client address the limiters count, with Express's "trust proxy" semantics (the same
 * `proxy-addr` library Express uses): `false` takes the peer address, `true` the left-most
 * `X-Forwarded-For` entry, a number trusts that many hops, and a list trusts those addresses
 * and subnets (`loopback`, `10.0.0.0/8`, …) walking `X-Forwarded-For` from the right.
 *
 * @example
 * const addressOf = clientAddress(['loopback'])
 * addressOf(req) // '203.0.113.7' when the local reverse proxy says so
 */
export function clientAddress(trust: TrustProxy): ClientAddress {
  if (trust === false) return (req) => normaliseIp(req.socket.remoteAddress)
  const trusts: (address: string, hop: number) => boolean =
    trust === true ? () => true : typeof trust === 'number' ? (_address, hop) => hop < trust : proxyaddr.compile(trust)
  return (req) => normaliseIp(proxyaddr(req, trusts))
}
