import express from 'express'
import { existsSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs'
import { request, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import { paths } from '../paths.js'
import { embedScript, type EmbedScriptOptions } from './static-assets.js'

interface Answer {
  status: number
  headers: IncomingHttpHeaders
  /** The bytes as they came over the wire, not decoded. */
  body: Buffer
}

/** A GET with raw bytes back: `fetch` would decode the content coding and hide what was sent. */
function get(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
    })
      .on('error', reject)
      .end()
  })
}

const servers: Server[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))))
})

async function serve(options: EmbedScriptOptions): Promise<string> {
  const app = express().use(embedScript(options))
  const server = app.listen(0, '127.0.0.1')
  servers.push(server)
  await new Promise((resolve) => server.once('listening', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

/** A client build in a temporary folder, as `npm run build` lays it out. */
function fakeBuild(source: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tidings-assets-'))
  writeBuild(dir, source)
  writeFileSync(join(dir, 'tidings.js.map'), '{"version":3,"sources":[],"mappings":""}')
  return dir
}

function writeBuild(dir: string, source: string): void {
  const raw = Buffer.from(source)
  writeFileSync(join(dir, 'tidings.js'), raw)
  writeFileSync(join(dir, 'tidings.js.gz'), gzipSync(raw))
  writeFileSync(join(dir, 'tidings.js.br'), brotliCompressSync(raw))
}

const SOURCE = `export const answer = ${JSON.stringify('tidings '.repeat(500))}\n`

describe('GET /tidings.js', () => {
  it('sends the brotli copy when accepted, else gzip, else the plain file, varying on Accept-Encoding', async () => {
    const url = `${await serve({ dir: fakeBuild(SOURCE), sourceMaps: false })}/tidings.js`

    // Chromium's header over https: brotli is preferred among equals.
    const br = await get(url, { 'Accept-Encoding': 'gzip, deflate, br, zstd' })
    expect(br.status).toBe(200)
    expect(br.headers['content-encoding']).toBe('br')
    expect(brotliDecompressSync(br.body).toString()).toBe(SOURCE)
    expect(Number(br.headers['content-length'])).toBe(br.body.length)

    // Chromium's header over plain http.
    const gz = await get(url, { 'Accept-Encoding': 'gzip, deflate' })
    expect(gz.headers['content-encoding']).toBe('gzip')
    expect(gunzipSync(gz.body).toString()).toBe(SOURCE)

    const plain = await get(url)
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.body.toString()).toBe(SOURCE)

    for (const answer of [br, gz, plain]) {
      expect(answer.headers.vary).toMatch(/accept-encoding/i)
      expect(answer.headers['content-type']).toMatch(/^text\/javascript/)
      expect(answer.headers['cross-origin-resource-policy']).toBe('cross-origin')
      expect(answer.headers['cache-control']).toBe('public, max-age=300')
      expect(answer.headers.sourcemap).toBeUndefined()
    }
  })

  it('gives each copy a strong ETag, answers a matching revalidation with 304, and a new build with a new ETag', async () => {
    const dir = fakeBuild(SOURCE)
    const url = `${await serve({ dir, sourceMaps: false })}/tidings.js`
    const first = await get(url, { 'Accept-Encoding': 'br' })
    const gzip = await get(url, { 'Accept-Encoding': 'gzip' })
    const etag = first.headers.etag!
    expect(etag).toMatch(/^"[\w-]+"$/)
    expect(gzip.headers.etag).not.toBe(etag)

    const again = await get(url, { 'Accept-Encoding': 'br', 'If-None-Match': etag })
    expect(again.status).toBe(304)
    expect(again.body.length).toBe(0)

    writeBuild(dir, `${SOURCE}// next release\n`)
    const later = new Date(Date.now() + 5_000)
    utimesSync(join(dir, 'tidings.js'), later, later)
    const rebuilt = await get(url, { 'Accept-Encoding': 'br', 'If-None-Match': etag })
    expect(rebuilt.status).toBe(200)
    expect(rebuilt.headers.etag).not.toBe(etag)
    expect(brotliDecompressSync(rebuilt.body).toString()).toContain('next release')
  })

  it('keeps the source map private unless configured', async () => {
    const dir = fakeBuild(SOURCE)
    const closed = await serve({ dir, sourceMaps: false })
    expect((await get(`${closed}/tidings.js.map`)).status).toBe(404)

    const open = await serve({ dir, sourceMaps: true })
    const map = await get(`${open}/tidings.js.map`)
    expect(map.status).toBe(200)
    expect(JSON.parse(map.body.toString())).toMatchObject({ version: 3 })
    expect((await get(`${open}/tidings.js`)).headers.sourcemap).toBe('tidings.js.map')
  })

  it('answers 503 with a JSON error while the script is not built', async () => {
    const app = express().use(embedScript({ dir: mkdtempSync(join(tmpdir(), 'tidings-empty-')), sourceMaps: false }))
    app.use(((err, _req, res, _next) => res.status(err.status).json({ code: err.code })) as express.ErrorRequestHandler)
    const server = app.listen(0, '127.0.0.1')
    servers.push(server)
    await new Promise((resolve) => server.once('listening', resolve))
    const answer = await get(`http://127.0.0.1:${(server.address() as AddressInfo).port}/tidings.js`)
    expect(answer.status).toBe(503)
  })
})

// The budget is for the bytes a browser downloads: the build's own copies, as the hub sends them.
describe('the embed bundle as sent', () => {
  const BUDGET = 30 * 1024

  it('stays within 30 KB with gzip and with brotli', async () => {
    expect(existsSync(join(paths.clientBuild, 'tidings.js')), 'run "npm run build" first').toBe(true)
    const url = `${await serve({ dir: paths.clientBuild, sourceMaps: false })}/tidings.js`
    for (const coding of ['gzip', 'br']) {
      const answer = await get(url, { 'Accept-Encoding': coding })
      expect(answer.headers['content-encoding']).toBe(coding)
      expect(answer.body.length, `${coding}: ${answer.body.length} bytes`).toBeLessThanOrEqual(BUDGET)
    }
  })
})
