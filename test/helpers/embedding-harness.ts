import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest'
import {
  closeContexts,
  componentPage,
  sharedBrowser,
  startPageServer,
  waitForComponents,
  watchSocketTraffic,
  type PageServer,
  type SocketTraffic,
} from './browser.js'
import { startHub, type HubProcess } from './hub-process.js'

export interface EmbeddingHarnessOptions {
  /**
   * A fresh hub for every test (the default), for tests that count hub-wide state such as
   * online users; `false` shares one hub across the file.
   */
  hubPerTest?: boolean
  /** Environment for the hub, e.g. `{ TIDINGS_JWT_SECRET: '…' }`. */
  hubEnv?: Record<string, string>
}

export interface OpenOptions {
  /** The browser profile to open the page in; a new one (a new person) unless given. */
  context?: BrowserContext
}

export interface EmbeddedPage {
  page: Page
  /** Path of the page on the third-party site, for navigating back to it. */
  path: string
  traffic: SocketTraffic
  /** Every request the page made to a Socket.IO endpoint, wherever it was sent. */
  socketRequests: string[]
  /** Uncaught exceptions on this page (the harness also fails the test on any). */
  errors: string[]
}

export interface EmbeddingHarness {
  readonly browser: Browser
  /** The third-party site (another origin than the hub) that embeds the components. */
  readonly site: PageServer
  /** The current hub: read it inside tests only, and again after `startHub`. */
  readonly hub: HubProcess
  /**
   * Starts a hub with `env` (over the harness's `hubEnv`) and makes it the current one, e.g. to bring a stopped hub back on
   * its port and database. A previous hub still running is stopped first. With one hub per
   * file, the new hub also serves the file's later tests.
   */
  startHub(env?: Record<string, string>): Promise<HubProcess>
  /** A browser context closed after the test. */
  newContext(): Promise<BrowserContext>
  /**
   * Serves `body` embedded in a third-party page (see `componentPage`), opens it and waits for
   * the components to be defined.
   */
  open(body: string, options?: OpenOptions): Promise<EmbeddedPage>
}

/**
 * Chromium (the worker's, see `sharedBrowser`), a third-party site and a real hub for the tests
 * of the enclosing file or `describe`, with the vitest hooks that start and stop them (and close
 * the file's contexts in the shared Chromium). After each test it closes every
 * browser context opened through the harness and fails the test if any of its pages threw an
 * uncaught exception.
 *
 * @example
 * const harness = useEmbeddingHarness({ hubEnv: { TIDINGS_GUESTS: 'read' } })
 * it('…', async () => {
 *   const { page, traffic } = await harness.open('<tidings-chat username="alice"></tidings-chat>')
 *   await postNotification(harness.hub, { title: 'Hello' })
 * })
 */
export function useEmbeddingHarness({
  hubPerTest = true,
  hubEnv = {},
}: EmbeddingHarnessOptions = {}): EmbeddingHarness {
  let browser: Browser | undefined
  let site: PageServer | undefined
  let hub: HubProcess | undefined
  const contexts: BrowserContext[] = []
  /** Uncaught exceptions from any page of the current test, prefixed with the page's path. */
  let pageErrors: string[] = []
  let pageCounter = 0

  const replaceHub = async (env: Record<string, string>) => {
    await hub?.stop()
    hub = await startHub(env)
    return hub
  }

  beforeAll(async () => {
    const sharedHub = hubPerTest ? undefined : replaceHub(hubEnv)
    ;[browser, site] = await Promise.all([sharedBrowser(), startPageServer(), sharedHub])
  })
  afterAll(async () => {
    await Promise.all([closeContexts(browser), site?.close(), hubPerTest ? undefined : hub?.stop()])
  })
  beforeEach(async () => {
    pageErrors = []
    if (hubPerTest) await replaceHub(hubEnv)
  })
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()))
    if (hubPerTest) await hub?.stop()
    expect(pageErrors).toEqual([])
  })

  /** Fails clearly when a test file reads the harness outside a test. */
  const ready = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new Error(`useEmbeddingHarness: ${name} is only available inside tests`)
    return value
  }

  const newContext = async () => {
    const context = await ready(browser, 'browser').newContext()
    contexts.push(context)
    return context
  }

  const open = async (body: string, { context }: OpenOptions = {}): Promise<EmbeddedPage> => {
    const path = `/page-${++pageCounter}.html`
    const server = ready(site, 'site')
    server.setPage(path, componentPage(ready(hub, 'hub').url, body))
    const page = await (context ?? (await newContext())).newPage()
    const errors: string[] = []
    page.on('pageerror', (err) => {
      errors.push(err.message)
      pageErrors.push(`${path}: ${err.message}`)
    })
    const traffic = watchSocketTraffic(page)
    const socketRequests: string[] = []
    page.on('request', (req) => {
      if (req.url().includes('/socket.io/')) socketRequests.push(req.url())
    })
    page.on('websocket', (ws) => {
      if (ws.url().includes('/socket.io/')) socketRequests.push(ws.url())
    })
    await page.goto(`${server.url}${path}`)
    await waitForComponents(page)
    return { page, path, traffic, socketRequests, errors }
  }

  return {
    get browser() {
      return ready(browser, 'browser')
    },
    get site() {
      return ready(site, 'site')
    },
    get hub() {
      return ready(hub, 'hub')
    },
    startHub: (env = {}) => replaceHub({ ...hubEnv, ...env }),
    newContext,
    open,
  }
}
