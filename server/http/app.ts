import express, { type Express, type RequestHandler } from 'express'
import type { TrustProxy } from '../config.js'
import type { Logger } from '../logger.js'
import { paths } from '../paths.js'
import { errorHandler, notFound } from './http-error.js'
import type { RequestListener } from './notify-handler.js'
import { corsFor, securityHeaders } from './security-headers.js'
import { embedScript } from './static-assets.js'

export interface HttpAppOptions {
  log: Logger
  /** Allowed embedding origins; empty allows any. */
  origins: readonly string[]
  /** Express's "trust proxy" (`TIDINGS_TRUST_PROXY`), so `req.ip` agrees with the limiters. */
  trustProxy?: TrustProxy
  /** `POST /notify` ({@link notifyHandler}); it sets its own CORS and security headers. */
  notify: RequestListener
  /** More routes, mounted before the static files (the operators' routes). */
  routes?: RequestHandler[]
  /** Serve the embed script's source map (`TIDINGS_SOURCE_MAPS`). */
  sourceMaps?: boolean
}

/**
 * The Express application: the embed script, the demo page, health, CORS preflights and the
 * `POST /notify` requests the hub's fast dispatch leaves to Express (`/notify/`, `/NOTIFY`:
 * Express routes match case-insensitively with an optional trailing slash).
 *
 * @example
 * const app = createHttpApp({ log, origins: [], notify: notifyHandler(options) })
 */
export function createHttpApp(options: HttpAppOptions): Express {
  const { log, origins } = options
  const app = express()
  app.disable('x-powered-by')
  app.set('trust proxy', options.trustProxy ?? false)
  // Helmet's defaults everywhere (HSTS and upgrades only over https); the embed script sets its
  // own resource policy, since pages on other origins must be able to load it.
  app.use(securityHeaders())
  app.use(corsFor(origins))

  for (const routes of options.routes ?? []) app.use(routes)

  app.use(embedScript({ dir: paths.clientBuild, sourceMaps: options.sourceMaps ?? false }))

  app.use(express.static(paths.demo, { index: 'index.html', fallthrough: true }))
  app.post('/notify', (req, res) => options.notify(req, res))
  app.use(notFound)
  app.use(errorHandler(log))
  return app
}
