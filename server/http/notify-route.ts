import express, { type RequestHandler, type Router } from 'express'
import {
  LIMITS,
  notificationTarget,
  notifyRequestSchema,
  type Notification,
  type NotifyAccepted,
} from '../../shared/index.js'
import type { Bus } from '../bus.js'
import { requireApiKey } from './api-keys.js'
import { HttpError } from './http-error.js'

export interface NotifyRouteOptions {
  bus: Bus
  apiKeys: readonly string[]
  nextId: () => string
  now?: () => Date
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
 * `POST /notify`: authenticates the publisher, validates the notification and publishes it on
 * the bus. Order of checks: key (401), media type (415), size (413), JSON (400), schema (400).
 *
 * @example
 * app.use(notifyRoute({ bus, apiKeys: config.apiKeys, nextId }))
 */
export function notifyRoute({ bus, apiKeys, nextId, now = () => new Date() }: NotifyRouteOptions): Router {
  const router = express.Router()
  router.post(
    '/notify',
    requireApiKey(apiKeys),
    requireJson,
    express.json({ limit: LIMITS.notifyBodyBytes, strict: false }),
    (req, res) => {
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
      bus.emit('notification:published', notification)
      const accepted: NotifyAccepted = {
        id: notification.id,
        timestamp: notification.timestamp,
        target: notificationTarget(notification),
      }
      res.status(202).json(accepted)
    },
  )
  return router
}
