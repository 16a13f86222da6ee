import cors from 'cors'
import express, { type Express } from 'express'
import helmet from 'helmet'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Bus } from '../bus.js'
import type { Logger } from '../logger.js'
import { paths } from '../paths.js'
import type { AuthFailureLimiter } from '../limits/auth-failure-limiter.js'
import type { Store } from '../store/store.js'
import { HttpError, errorHandler, notFound } from './http-error.js'
import { notifyRoute } from './notify-route.js'

export interface HttpAppOptions {
  bus: Bus
  store: Store
  log: Logger
  apiKeys: readonly string[]
  /** Allowed embedding origins; empty allows any. */
  origins: readonly string[]
  nextId: () => string
  authFailures: AuthFailureLimiter
  notifyRate: { points: number; windowSec: number }
}

/**
 * The Express application: the embed script, the demo page, health and `POST /notify`.
 *
 * @example
 * const app = createHttpApp({ bus, log, apiKeys, origins: [], nextId })
 */
export function createHttpApp(options: HttpAppOptions): Express {
  const { log, origins } = options
  const app = express()
  app.disable('x-powered-by')
  app.set('trust proxy', false)
  // Helmet's defaults everywhere; only the embed script is relaxed below, since pages on other
  // origins must be able to load it.
  app.use(helmet())
  app.use(
    cors({
      origin: origins.length === 0 ? true : [...origins],
      allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key'],
      exposedHeaders: ['Idempotent-Replayed'],
      maxAge: 600,
    }),
  )

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' })
  })

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
  app.use(notifyRoute(options))
  app.use(notFound)
  app.use(errorHandler(log))
  return app
}
