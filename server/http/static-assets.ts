import { createHash } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { Router, type Request, type Response } from 'express'
import Negotiator from 'negotiator'
import { HttpError } from './http-error.js'

export interface EmbedScriptOptions {
  /** The client build: `tidings.js`, its `.br` and `.gz` copies (made by the build) and its map. */
  dir: string
  /** Serve `/tidings.js.map` and point browsers to it; off by default, as it shows the source. */
  sourceMaps: boolean
}

/** Content codings in the hub's order of preference when the browser accepts several equally. */
const CODINGS = ['br', 'gzip', 'identity'] as const
type Coding = (typeof CODINGS)[number]
const SUFFIX: Record<Coding, string> = { br: '.br', gzip: '.gz', identity: '' }

interface Variant {
  body: Buffer
  etag: string
}

interface Loaded {
  mtimeMs: number
  variants: Map<Coding, Variant>
}

// @types/negotiator predates the `preferred` option of negotiator 1.x.
type EncodingsWithPreference = (available: readonly string[], options: { preferred: readonly string[] }) => string[]

/**
 * `GET /tidings.js` and, when configured, `/tidings.js.map`. The script is sent as the brotli or
 * gzip copy the build made when the browser accepts one (`Vary: Accept-Encoding`), with a
 * strong `ETag` per copy, so a revalidation costs a `304` and no body. The files are read once
 * and again only when the build replaces them.
 *
 * @example
 * app.use(embedScript({ dir: paths.clientBuild, sourceMaps: config.sourceMaps }))
 */
export function embedScript({ dir, sourceMaps }: EmbedScriptOptions): Router {
  const script = join(dir, 'tidings.js')
  let loaded: Promise<Loaded> | undefined

  const load = async (): Promise<Loaded> => {
    const { mtimeMs } = await stat(script)
    const current = await loaded?.catch(() => undefined)
    if (current?.mtimeMs === mtimeMs) return current
    loaded = readVariants(script, mtimeMs)
    return loaded
  }

  const router = Router()
  router.get('/tidings.js', async (req: Request, res: Response) => {
    const { variants } = await load().catch(() => {
      throw new HttpError(503, 'internal', 'the embed script is not built: run "npm run build"')
    })
    const preferred = (new Negotiator(req).encodings as unknown as EncodingsWithPreference)(
      [...variants.keys()],
      { preferred: CODINGS },
    )[0] as Coding | undefined
    res.vary('Accept-Encoding')
    if (!preferred) throw new HttpError(406, 'invalid_request', 'no acceptable content coding for the embed script')
    const { body, etag } = variants.get(preferred)!
    // A module script from another origin is fetched in CORS mode; say it may be embedded.
    res.set('Cross-Origin-Resource-Policy', 'cross-origin')
    // The address stays the same across releases (pages embed it as is): a short freshness,
    // then a revalidation that the ETag answers with 304 while the build is unchanged.
    res.set('Cache-Control', 'public, max-age=300')
    res.set('ETag', etag)
    if (preferred !== 'identity') res.set('Content-Encoding', preferred)
    if (sourceMaps) res.set('SourceMap', 'tidings.js.map')
    res.type('text/javascript')
    // Express answers 304 itself when `If-None-Match` matches the ETag, and no body to HEAD.
    res.send(body)
  })
  if (sourceMaps) {
    router.get('/tidings.js.map', (_req, res) => {
      res.set('Cross-Origin-Resource-Policy', 'cross-origin')
      res.type('application/json').sendFile(`${script}.map`)
    })
  }
  return router
}

async function readVariants(script: string, mtimeMs: number): Promise<Loaded> {
  const raw = await readFile(script)
  const hash = createHash('sha256').update(raw).digest('base64url').slice(0, 22)
  const variants = new Map<Coding, Variant>()
  for (const coding of CODINGS) {
    const body = coding === 'identity' ? raw : await readFile(script + SUFFIX[coding]).catch(() => undefined)
    // Each copy is its own representation, so each has its own strong validator.
    if (body) variants.set(coding, { body, etag: `"${hash}-${coding}"` })
  }
  return { mtimeMs, variants }
}
