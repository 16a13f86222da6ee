import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { projectRoot } from '../servers/catalog.js'

export interface BundleSize {
  file: string
  /** NaN when the file is not built. */
  raw: number
  gzip: number
  brotli: number
}

function sizeOf(relative: string): BundleSize {
  const path = join(projectRoot, relative)
  if (!existsSync(path)) return { file: relative, raw: Number.NaN, gzip: Number.NaN, brotli: Number.NaN }
  const bytes = readFileSync(path)
  // What is sent: the build's precompressed copies where it made them (the hub serves those),
  // else maximum levels, as a CDN or a precompressing build would serve.
  const copy = (suffix: string) => (existsSync(`${path}${suffix}`) ? readFileSync(`${path}${suffix}`).length : undefined)
  return {
    file: relative,
    raw: bytes.length,
    gzip: copy('.gz') ?? gzipSync(bytes, { level: 9 }).length,
    brotli: copy('.br') ?? brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  }
}

/** The hub's embed script against socket.io-client's own minified ESM build. */
export const measureBundles = (): { tidings: BundleSize; socketIoClient: BundleSize } => ({
  tidings: sizeOf('dist/client/tidings.js'),
  socketIoClient: sizeOf('node_modules/socket.io-client/dist/socket.io.esm.min.js'),
})
