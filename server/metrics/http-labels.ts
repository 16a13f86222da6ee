import type { IncomingMessage } from 'node:http'
import type { ErrorCode } from '../../shared/index.js'

// Label values are a closed list: a route label taken from the raw path would let any client
// create a new time series per URL it invents.
const ROUTES = ['/notify', '/metrics', '/healthz', '/readyz', '/health', '/dashboard', '/dashboard.js', '/tidings.js', '/'] as const

/**
 * The `route` label of an HTTP request: one of the hub's own routes, `static` for the demo
 * page's files, or `other`.
 *
 * @example
 * routeLabel({ url: '/notify?x=1' } as IncomingMessage) // '/notify'
 */
export function routeLabel(req: Pick<IncomingMessage, 'url'>): string {
  const url = req.url ?? '/'
  if (url === '/notify') return url // the publishing hot path
  const query = url.indexOf('?')
  const path = (query === -1 ? url : url.slice(0, query)).toLowerCase().replace(/(.)\/$/, '$1')
  if ((ROUTES as readonly string[]).includes(path)) return path
  if (path === '/tidings.js.map' || path === '/dashboard.js.map') return path.slice(0, -4)
  return /^\/[\w.-]+\.(css|js|svg|png|ico|html)$/.test(path) ? 'static' : 'other'
}

// Each refusal status the hub answers has one error code (the README's table); 400 covers both
// invalid_json and invalid_request, counted as the latter.
const REASONS: Record<number, ErrorCode> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  503: 'shutting_down',
}

/** The `reason` label for a refused HTTP request, or undefined when the status is not a refusal. */
export function rejectionReason(status: number): string | undefined {
  return status >= 400 && status < 500 ? (REASONS[status] ?? 'invalid_request') : REASONS[status]
}
