import express, { type RequestHandler, type Router } from 'express'
import {
  LIMITS,
  notificationTarget,
  notifyRequestSchema,
  type Notification,
  type NotifyAccepted,
} from '../../shared/index.js'
import type { Bus } from '../bus.js'
import type { AuthFailureLimiter } from '../limits/auth-failure-limiter.js'
import { jsonParserOptions, rejectPollutionKeys } from '../limits/json-guard.js'
import { notifyRateLimit } from '../limits/notify-rate-limit.js'
import type { Store } from '../store/store.js'
import { requireApiKey } from './api-keys.js'
import { HttpError } from './http-error.js'
import { idempotencyKeyOf } from './idempotency.js'

export interface NotifyRouteOptions {
  bus: Bus
  store: Store
  apiKeys: readonly string[]
  nextId: () => string
  now?: () => Date
  /** Refuses addresses that keep failing authentication (429); counts this route's 401s. */
  authFailures: AuthFailureLimiter
  /** Notifications per API key per window (429 past it). */
  notifyRate: { points: number; windowSec: number }
}

const requireJson: RequestHandler = (req, _res, next) => {
  if (!req.is('application/json')) {
    return next(
      new HttpError(415, 'unsupported_media_type', 'send the notification as JSON with "Content-Type: application/json"'),
    )
  }
  next()
}

/**
 * `POST /notify`: authenticates the publisher, validates the notification, commits it to the
 * store and only then publishes it on the bus and answers 202. Order of checks: repeated auth
 * failures from the address (429), key (401), rate per key (429), media type (415), size (413),
 * JSON (400), forbidden keys and schema (400). With `Idempotency-Key`, a retry
 * within 24 h answers with the first notification and delivers nothing twice.
 *
 * @example
 * app.use(notifyRoute({ bus, apiKeys: config.apiKeys, nextId }))
 */
export function notifyRoute({
  bus,
  store,
  apiKeys,
  nextId,
  now = () => new Date(),
  authFailures,
  notifyRate,
}: NotifyRouteOptions): Router {
  const router = express.Router()
  router.post(
    '/notify',
    authFailures,
    requireApiKey(apiKeys),
    // After the key check, so that made-up keys cannot create buckets.
    notifyRateLimit({ points: notifyRate.points, durationSec: notifyRate.windowSec }),
    requireJson,
    express.json({ limit: LIMITS.notifyBodyBytes, strict: false, ...jsonParserOptions }),
    rejectPollutionKeys(),
    async (req, res) => {
      const idempotency = idempotencyKeyOf(req)
      if (req.body === null || typeof req.body !== 'object' || Array.isArray(req.body)) {
        throw new HttpError(400, 'invalid_request', 'the request body must be a JSON object')
      }
      const parsed = notifyRequestSchema.safeParse(req.body)
      if (!parsed.success) {
        const details = parsed.error.issues.map((issue) => ({
          path: issue.path.map(String).join('.') || '(body)',
          message: issue.message,
        }))
        const summary = details.map((d) => `${d.path}: ${d.message}`).join('; ')
        throw new HttpError(400, 'invalid_request', `invalid notification: ${summary}`, details)
      }
      const { title, body = '', level, topic, user, data } = parsed.data
      const notification: Notification = { id: nextId(), title, body, level, timestamp: now().toISOString() }
      if (topic !== undefined) notification.topic = topic
      if (user !== undefined) notification.user = user
      if (data !== undefined) notification.data = data
      const stored = await store.appendNotification(notification, idempotency)
      if (stored.created) bus.emit('notification:published', stored.notification)
      else res.set('Idempotent-Replayed', 'true')
      const accepted: NotifyAccepted = {
        id: stored.notification.id,
        timestamp: stored.notification.timestamp,
        target: notificationTarget(stored.notification),
      }
      res.status(202).json(accepted)
    },
  )
  return router
}
