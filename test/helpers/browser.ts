import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core'
import { expect } from 'vitest'
import type { NotifyRequest } from '../../shared/index.js'
import type { HubProcess } from './hub-process.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const fixtures = join(root, 'test', 'fixtures')

/** Debian's Chromium; override with CHROMIUM_PATH where it lives elsewhere. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

let shared: Promise<Browser> | undefined

/**
 * Headless Chromium, one per test worker: a worker runs its test files one after another and
 * keeps its modules (vitest.config.ts), and a launch costs about two seconds of CPU. A file
 * opens its own contexts and ends with {@link closeContexts}, never `browser.close()`.
 * Chromium exits with the worker, when its DevTools pipe closes; should it crash, the next
 * call launches another.
 *
 * @example
 * beforeAll(async () => (browser = await sharedBrowser()))
 * afterAll(() => closeContexts(browser))
 */
export function sharedBrowser(): Promise<Browser> {
  shared ??= chromium
    // Playwright's own signal handlers would keep the worker alive on the SIGTERM that ends it.
    .launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, handleSIGTERM: false, handleSIGINT: false, handleSIGHUP: false })
    .then((browser) => {
      browser.on('disconnected', () => (shared = undefined))
      return browser
    })
  shared.catch(() => (shared = undefined))
  return shared
}

/** Closes every context (and page) open in the shared browser: what a test file leaves behind. */
export async function closeContexts(browser: Browser | undefined): Promise<void> {
  await Promise.all(browser?.contexts().map((context) => context.close()) ?? [])
}

export interface PageServer {
  /** `http://localhost:<port>`: a different origin from the hub's `http://127.0.0.1:<port>`. */
  url: string
  /** Serves `html` at `path` (e.g. `/index.html`) from now on. */
  setPage(path: string, html: string): void
  close(): Promise<void>
}

/**
 * A tiny static server for test pages, standing in for a third-party site that embeds the hub.
 * It listens on the loopback interface and is addressed as `localhost`, so its origin differs
 * from the hub's (`127.0.0.1`) and every hub request from its pages is cross-origin.
 */
export async function startPageServer(): Promise<PageServer> {
  const pages = new Map<string, string>()
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname
    const html = pages.get(path)
    if (req.method !== 'GET' || html === undefined) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found')
      return
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(html)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://localhost:${port}`,
    setPage: (path, html) => pages.set(path, html),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** Where the tutorial's pages load their client from. */
export const TUTORIAL_CDN_SCRIPT = 'https://cdn.socket.io/4.5.4/socket.io.min.js'
const localSocketIo454 = join(root, 'node_modules', 'socket.io-client-454', 'dist', 'socket.io.min.js')

/**
 * Answers the tutorial's CDN script request with the same release (socket.io-client 4.5.4)
 * from `node_modules`: the page stays unchanged, only the network answer is local (the tests
 * run offline).
 */
export async function serveTutorialCdnLocally(target: Page | BrowserContext): Promise<void> {
  const body = readFileSync(localSocketIo454)
  await target.route(TUTORIAL_CDN_SCRIPT, (route) =>
    route.fulfill({
      status: 200,
      body,
      headers: { 'Content-Type': 'application/javascript; charset=utf-8', 'Access-Control-Allow-Origin': '*' },
    }),
  )
}

/** The address the tutorial's clients are written for. */
const TUTORIAL_SERVER = 'http://localhost:3000'

/**
 * One of the tutorial's client pages (`test/fixtures/tutorial/*.html`, copied verbatim from
 * the tutorial), pointed at the hub: the only change is that the server URL string
 * `http://localhost:3000` is replaced with the hub's URL. Everything else is byte for byte.
 */
export function tutorialPage(name: 'index' | 'simple', hubUrl: string): string {
  const html = readFileSync(join(fixtures, 'tutorial', `${name}.html`), 'utf8')
  const occurrences = html.split(TUTORIAL_SERVER).length - 1
  if (occurrences !== 1) throw new Error(`expected ${TUTORIAL_SERVER} once in ${name}.html, found ${occurrences}`)
  return html.replace(TUTORIAL_SERVER, hubUrl)
}

/** Escapes text for use inside a double-quoted HTML attribute or as element content. */
export const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/**
 * A third-party page that embeds the components the documented way: one module script from
 * the hub and the elements in its markup, nothing else.
 */
export function componentPage(hubUrl: string, body: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Embedding test page</title>
    <script type="module" src="${hubUrl}/tidings.js"></script>
  </head>
  <body>
    ${body}
  </body>
</html>
`
}

export const COMPONENT_NAMES = ['tidings-chat', 'tidings-user-count', 'tidings-toasts', 'tidings-inbox'] as const

/** Waits until the embed script has defined every component, with a clear error otherwise. */
export async function waitForComponents(page: Page): Promise<void> {
  try {
    await page.waitForFunction(
      (names) => names.every((name) => customElements.get(name) !== undefined),
      [...COMPONENT_NAMES],
      { timeout: 20_000 },
    )
  } catch {
    const defined = await page.evaluate((names) => names.filter((n) => customElements.get(n)), [...COMPONENT_NAMES])
    throw new Error(
      `the embed script did not define every component (defined: ${defined.join(', ') || 'none'}); ` +
        'is dist/client/tidings.js built?',
    )
  }
}

/** `POST /notify` from Node, as a publisher would. */
export function postNotification(hub: Pick<HubProcess, 'url' | 'apiKey'>, body: NotifyRequest): Promise<Response> {
  return fetch(`${hub.url}/notify`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${hub.apiKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })
}

/** Text contents of every element the locator matches right now (never waits). */
export const texts = (locator: Locator): Promise<string[]> => locator.allTextContents()

/** An attribute of every element the locator matches right now (never waits). */
export const attributes = (locator: Locator, name: string): Promise<(string | null)[]> =>
  locator.evaluateAll((els, attr) => els.map((el) => el.getAttribute(attr)), name)

/** A retrying assertion: polls `read` until the matcher passes or `timeout` ms (15 s) have gone by. */
export const eventually = <T>(read: () => Promise<T> | T, timeout = 15_000) =>
  expect.poll(read, { timeout, interval: 50 })

export interface SocketTraffic {
  /** Engine.IO packets the page sent to the hub, in order (e.g. `420["join","alice","ops"]`). */
  sent: string[]
  /** Engine.IO packets the page received from the hub, in order. */
  received: string[]
}

/**
 * Records the Socket.IO packets a page exchanges with the hub, over WebSocket frames and
 * HTTP long-polling alike. A polling POST is recorded once the hub has answered it, i.e. once
 * the hub has read the packets in it.
 */
export function watchSocketTraffic(page: Page): SocketTraffic {
  const traffic: SocketTraffic = { sent: [], received: [] }
  const split = (payload: string) => payload.split('\x1e').filter((p) => p.length > 0)
  page.on('websocket', (ws) => {
    if (!ws.url().includes('/socket.io/')) return
    ws.on('framesent', (f) => traffic.sent.push(...split(String(f.payload))))
    ws.on('framereceived', (f) => traffic.received.push(...split(String(f.payload))))
  })
  page.on('requestfinished', (req) => {
    if (!req.url().includes('/socket.io/')) return
    if (req.method() === 'POST') {
      traffic.sent.push(...split(req.postData() ?? ''))
      return
    }
    void req
      .response()
      .then((res) => res?.text())
      .then((body) => {
        if (body) traffic.received.push(...split(body))
      })
      .catch(() => {})
  })
  return traffic
}
