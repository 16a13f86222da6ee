import express, { type Request } from 'express'
import type { IncomingMessage, ServerResponse } from 'node:http'
import {
  LIMITS,
  notificationTarget,
  notifyRequestSchema,
  type ErrorResponse,
  type NotifyAccepted,
  type ValidNotifyRequest,
} from '../../shared/index.js'
import type { AuthFailureLimiter } from '../limits/auth-failure-limiter.js'
import { jsonParserOptions, pollutionError } from '../limits/json-guard.js'
import { notifyRateLimit } from '../limits/notify-rate-limit.js'
import { resetSecondsOf, setRateLimitHeaders } from '../limits/rate-limit-headers.js'
import type { Logger } from '../logger.js'
import type { NotificationDraft, Store } from '../store/store.js'
import { apiKeyChecker } from './api-keys.js'
import { HttpError, errorAnswer } from './http-error.js'
import { idempotencyKeyOf } from './idempotency.js'
import { corsFor, recordHeaders, securityHeaders } from './security-headers.js'

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void

export interface NotifyHandlerOptions {
  /** Where accepted notifications are committed; the store's feed delivers them. */
  store: Store
  log: Logger
  apiKeys: readonly string[]
  /** Allowed embedding origins; empty allows any (the same CORS answer as every other route). */
  origins: readonly string[]
  now?: () => Date
  /** Refuses addresses that keep failing authentication (429); counts this route's 401s. */
  authFailures: AuthFailureLimiter
  /** Notifications per API key per window (429 past it). */
  notifyRate: { points: number; windowSec: number }
}

/**
 * Whether the hub should hand `req` straight to the notify handler, before Express: `POST` to
 * exactly `/notify`, any query string. Spellings Express also routes there (`/notify/`,
 * `/Notify`) still reach the same handler through Express.
 */
export function isNotifyPost(req: IncomingMessage): boolean {
  const url = req.url ?? ''
  return req.method === 'POST' && url.startsWith('/notify') && (url.length === 7 || url[7] === '?')
}

/** Answers like Express's `res.status(status).json(body)` (without the ETag it adds). */
function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.statusCode = status
  res.setHeader('Content-Type', 'application/json; charset=utf-8')
  res.setHeader('Content-Length', Buffer.byteLength(text))
  res.end(text)
}

// Express's own `req.is`, applied to the plain request: the media-type rules (and the "no body
// is not JSON" case) stay those of the Express route this handler replaced.
const isJson = (req: IncomingMessage): boolean => Boolean(express.request.is.call(req as Request, 'application/json'))

const notJson = (): HttpError =>
  new HttpError(415, 'unsupported_media_type', 'send the notification as JSON with "Content-Type: application/json"')

// express.json() is plain Node middleware: the same limit, charsets, Content-Encoding support
// (gzip, deflate, br) and error types, so every refusal is answered as before.
const parseBody = express.json({ limit: LIMITS.notifyBodyBytes, strict: false, ...jsonParserOptions })

function readJson(req: IncomingMessage, res: ServerResponse): Promise<unknown> {
  return new Promise((resolve, reject) => {
    parseBody(req, res, (err?: unknown) => (err ? reject(err) : resolve((req as { body?: unknown }).body)))
  })
}

/** The body checked against the schema; a `400 invalid_request` naming every bad field otherwise. */
function validNotifyRequest(body: unknown): ValidNotifyRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpError(400, 'invalid_request', 'the request body must be a JSON object')
  }
  const parsed = notifyRequestSchema.safeParse(body)
  if (parsed.success) return parsed.data
  const details = parsed.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(body)',
    message: issue.message,
  }))
  const summary = details.map((d) => `${d.path}: ${d.message}`).join('; ')
  throw new HttpError(400, 'invalid_request', `invalid notification: ${summary}`, details)
}

function notificationOf(request: ValidNotifyRequest, at: Date): NotificationDraft {
  const { title, body = '', level, topic, user, data } = request
  const notification: NotificationDraft = { title, body, level, timestamp: at.toISOString() }
  if (topic !== undefined) notification.topic = topic
  if (user !== undefined) notification.user = user
  if (data !== undefined) notification.data = data
  return notification
}

const rateLimited = (message: string): ErrorResponse => ({ error: { code: 'rate_limited', message } })

/**
 * `POST /notify` as a plain Node request listener, so the hub can serve it before Express (the
 * route is the hub's hot path, and Express's per-request work cost more than the rest).
 * Authenticates the publisher, validates the notification, commits it to the store (whose feed
 * delivers it) and only then answers 202. Order of checks: repeated auth failures from the
 * address (429), key (401), rate per key (429), media type (415), size (413), JSON (400),
 * forbidden keys, Idempotency-Key and schema (400). With `Idempotency-Key`, a retry within 24 h
 * answers with the first notification and delivers nothing twice. Every answer carries the
 * headers helmet and the CORS middleware give the Express routes.
 *
 * @example
 * const notify = notifyHandler({ store, log, apiKeys, origins: [], authFailures, notifyRate })
 * createServer((req, res) => (isNotifyPost(req) ? notify(req, res) : app(req, res)))
 */
export function notifyHandler({
  store,
  log,
  apiKeys,
  origins,
  now = () => new Date(),
  authFailures,
  notifyRate,
}: NotifyHandlerOptions): RequestListener {
  const helmetHeaders = recordHeaders(securityHeaders())
  const cors = corsFor(origins)
  const authenticate = apiKeyChecker(apiKeys)
  const rate = notifyRateLimit({ points: notifyRate.points, durationSec: notifyRate.windowSec })

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // Express's `req.ip` without a trusted proxy is this address too.
    const ip = req.socket.remoteAddress ?? 'unknown'
    const { blocked, retryAfterSec } = await authFailures.check(ip)
    if (blocked) {
      res.setHeader('Retry-After', String(retryAfterSec))
      return sendJson(res, 429, rateLimited(`too many failed authentications; retry after ${retryAfterSec} s`))
    }
    let apiKey: string
    try {
      apiKey = authenticate(req.headers.authorization)
    } catch (err) {
      void authFailures.recordFailure(ip)
      throw err
    }
    // After the key check, so that made-up keys cannot create buckets.
    const { allowed, state } = await rate.take(apiKey)
    if (state) setRateLimitHeaders(res, rate.points, state, !allowed)
    if (!allowed && state) {
      return sendJson(res, 429, rateLimited(`too many notifications for this API key; retry after ${resetSecondsOf(state)} s`))
    }
    if (!isJson(req)) throw notJson()
    const body = await readJson(req, res)
    const pollution = pollutionError(body)
    if (pollution) throw pollution
    const idempotency = idempotencyKeyOf(req.headers)
    // The store numbers it at commit and its feed delivers it: this route only appends.
    const stored = await store.appendNotification(notificationOf(validNotifyRequest(body), now()), idempotency)
    if (!stored.created) res.setHeader('Idempotent-Replayed', 'true')
    const accepted: NotifyAccepted = {
      id: stored.notification.id,
      timestamp: stored.notification.timestamp,
      target: notificationTarget(stored.notification),
    }
    sendJson(res, 202, accepted)
  }

  // Every failure becomes an answer (a client that went away gets one nobody reads): nothing
  // here may reject unhandled or crash the hub.
  const fail = (req: IncomingMessage, res: ServerResponse, err: unknown): void => {
    const { status, body, unexpected } = errorAnswer(err)
    // Never the body or the key: only what identifies the route.
    if (unexpected) log.error({ err, method: req.method, path: req.url?.split('?')[0] }, 'request failed')
    if (!res.headersSent) sendJson(res, status, body)
  }

  return (req, res) => {
    for (const [name, value] of helmetHeaders) res.setHeader(name, value)
    cors(req, res, (err?: unknown) => {
      if (err) return fail(req, res, err)
      handle(req, res).catch((e: unknown) => fail(req, res, e))
    })
  }
}
