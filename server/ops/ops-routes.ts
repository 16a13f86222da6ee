import { Router, type RequestHandler } from 'express'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { apiKeyChecker } from '../http/api-keys.js'
import { HttpError } from '../http/http-error.js'
import type { HubMetrics } from '../metrics/hub-metrics.js'
import { paths } from '../paths.js'
import type { Store } from '../store/store.js'
import type { Drain } from './drain.js'
import { readiness } from './readiness.js'

export interface OpsRoutesOptions {
  metrics: HubMetrics
  store: Store
  drain: Pick<Drain, 'draining'>
  /** `TIDINGS_METRICS_KEY`: when set, `GET /metrics` needs `Authorization: Bearer <it>`. */
  metricsKey?: string | undefined
}

/**
 * The operators' routes: liveness (`/healthz`, and `/health` kept as its alias), readiness
 * (`/readyz`), Prometheus metrics (`/metrics`) and the dashboard page (`/dashboard`).
 *
 * @example
 * app.use(opsRoutes({ metrics, store, drain, metricsKey: process.env.TIDINGS_METRICS_KEY }))
 */
export function opsRoutes({ metrics, store, drain, metricsKey }: OpsRoutesOptions): Router {
  const router = Router()
  const alive: RequestHandler = (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' })
  }
  router.get(['/healthz', '/health'], alive)

  router.get('/readyz', async (_req, res) => {
    const state = await readiness(store, drain.draining)
    res.set('Cache-Control', 'no-store')
    res.status(state.status === 'ready' ? 200 : 503).json(state)
  })

  const authenticate = metricsKey === undefined ? undefined : apiKeyChecker([metricsKey])
  router.get('/metrics', async (req, res) => {
    authenticate?.(req.headers.authorization)
    res.set('Cache-Control', 'no-store')
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics())
  })

  // The page is a static file; its script is built into dist/dashboard by `npm run build`.
  const page = join(paths.root, 'client', 'dashboard', 'index.html')
  const built = join(paths.root, 'dist', 'dashboard')
  router.get('/dashboard', (_req, res) => {
    res.set('Cache-Control', 'no-cache').sendFile(page)
  })
  router.get(['/dashboard.js', '/dashboard.js.map'], (req, res, next) => {
    const file = join(built, req.path.slice(1))
    if (!existsSync(file)) return next(new HttpError(503, 'internal', 'the dashboard is not built: run "npm run build"'))
    res.set('Cache-Control', 'no-cache').type('text/javascript').sendFile(file)
  })
  return router
}
