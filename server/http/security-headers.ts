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

/** Helmet with its defaults, as every Express route gets it. */
export const securityHeaders = (): ReturnType<typeof helmet> => helmet()

/**
 * The headers helmet sets, recorded once: with the default options none depends on the request,
 * so a handler outside Express can copy them instead of running helmet on every answer.
 */
export function recordHeaders(middleware: ReturnType<typeof helmet>): ReadonlyArray<readonly [string, string]> {
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
