import cors from 'cors'
import helmet from 'helmet'
import type { IncomingMessage, ServerResponse } from 'node:http'

/**
 * The CORS middleware for every route: any origin (or only `origins`) may call the API and read
 * `Idempotent-Replayed`. It works on plain Node requests too, so `POST /notify` outside Express
 * answers with exactly the same headers.
 *
 * @example
 * app.use(corsFor(['https://app.example']))
 */
export function corsFor(origins: readonly string[]): ReturnType<typeof cors> {
  return cors({
    origin: origins.length === 0 ? true : [...origins],
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key'],
    exposedHeaders: ['Idempotent-Replayed'],
    maxAge: 600,
  })
}

type HeadersMiddleware = ReturnType<typeof helmet>

/**
 * Helmet's defaults, except that HSTS and the `upgrade-insecure-requests` policy are sent only
 * on requests that came over https (Express's `req.secure`, which follows `X-Forwarded-Proto`
 * behind a trusted proxy). Over plain HTTP they would make browsers fetch the page's scripts
 * and styles over an https that is not there: a hub tried on a LAN address, a VM or a
 * container would show a blank page.
 *
 * @example
 * app.use(securityHeaders())
 */
export function securityHeaders(): HeadersMiddleware {
  const secure = helmet()
  const plain = helmet({
    strictTransportSecurity: false,
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
  })
  return (req, res, next) => ((req as { secure?: boolean }).secure === true ? secure : plain)(req, res, next)
}

/**
 * The headers helmet sets on a plain-HTTP request, recorded once: none of the others depends on
 * the request, so a handler outside Express can copy them instead of running helmet on every
 * answer (a JSON answer needs no HSTS: the pages carry it).
 */
export function recordHeaders(middleware: HeadersMiddleware): ReadonlyArray<readonly [string, string]> {
  const headers: [string, string][] = []
  const recorder = {
    setHeader(name: string, value: string) {
      headers.push([name, value])
    },
    removeHeader() {},
  }
  middleware({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err
  })
  return headers
}
