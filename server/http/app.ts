import express, { type Express, type RequestHandler } from 'express'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { TrustProxy } from '../config.js'
import type { Logger } from '../logger.js'
import { paths } from '../paths.js'
import { HttpError, errorHandler, notFound } from './http-error.js'
import type { RequestListener } from './notify-handler.js'
import { corsFor, securityHeaders } from './security-headers.js'

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
  // Helmet's defaults everywhere; only the embed script is relaxed below, since pages on other
  // origins must be able to load it.
  app.use(securityHeaders())
  app.use(corsFor(origins))

  for (const routes of options.routes ?? []) app.use(routes)

  const embed = join(paths.clientBuild, 'tidings.js')
  app.get(['/tidings.js', '/tidings.js.map'], (req, res, next) => {
    const file = join(paths.clientBuild, req.path.slice(1))
    if (!existsSync(embed)) {
      return next(new HttpError(503, 'internal', 'the embed script is not built: run "npm run build"'))
    }
    // A module script from another origin is fetched in CORS mode; say it may be embedded.
    res.set('Cross-Origin-Resource-Policy', 'cross-origin')
    res.set('Cache-Control', 'public, max-age=300')
    res.type('text/javascript').sendFile(file)
  })

  app.use(express.static(paths.demo, { index: 'index.html', fallthrough: true }))
  app.post('/notify', (req, res) => options.notify(req, res))
  app.use(notFound)
  app.use(errorHandler(log))
  return app
}
