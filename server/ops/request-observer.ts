import { randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { RequestListener } from '../http/notify-handler.js'
import type { Logger } from '../logger.js'
import { rejectionReason, routeLabel } from '../metrics/http-labels.js'
import type { HubMetrics } from '../metrics/hub-metrics.js'

// A caller's own id is kept (a balancer's, to follow one request across systems) when it is a
// plain token; anything else would let a client write arbitrary text into the logs.
const SAFE_ID = /^[\w.:-]{1,128}$/

// Ids are this process's random prefix and a counter: unique across processes and restarts,
// and far cheaper per request than a random UUID.
const ID_PREFIX = randomBytes(6).toString('base64url')
let sequence = 0

/** The id the hub gave a request (also sent back as `X-Request-Id`). */
export function requestIdOf(req: IncomingMessage): string | undefined {
  return (req as IncomingMessage & { id?: string }).id
}

/**
 * Wraps the hub's request listener: gives every request an id (`X-Request-Id`, taken from the
 * request when it carries a sane one), times it into `tidings_http_request_duration_seconds`,
 * counts refusals into `tidings_rejected_total`, and logs it with its id: server errors at
 * `error`, the rest at `debug` (a line per request at `info` would cost the publishing hot path
 * and let a flood of refusals fill the logs).
 *
 * @example
 * createServer(observeRequests(listener, { log, metrics }))
 */
export function observeRequests(listener: RequestListener, { log, metrics }: { log: Logger; metrics: HubMetrics }): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const started = process.hrtime.bigint()
    const given = req.headers['x-request-id']
    const id = typeof given === 'string' && SAFE_ID.test(given) ? given : `${ID_PREFIX}-${(++sequence).toString(36)}`
    ;(req as IncomingMessage & { id?: string }).id = id
    res.setHeader('X-Request-Id', id)
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9
      const route = routeLabel(req)
      const method = req.method ?? 'GET'
      const status = res.statusCode
      metrics.observeHttp(method, route, status, seconds)
      // A 503 from /readyz is an answer, not a refusal.
      const reason = route === '/readyz' ? undefined : rejectionReason(status)
      if (reason !== undefined) metrics.reject(reason)
      const line = { reqId: id, method, route, status, ms: Math.round(seconds * 1e4) / 10 }
      if (status >= 500 && route !== '/readyz') log.error(line, 'request failed')
      else log.debug(line, 'request')
    })
    listener(req, res)
  }
}
