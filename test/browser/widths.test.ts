import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { closeContexts, componentPage, eventually, sharedBrowser, postNotification, startPageServer, waitForComponents, type PageServer } from '../helpers/browser.js'
import { startHub, type HubProcess } from '../helpers/hub-process.js'

// The demo's inbox is per user: open-mode user targets on, as `npm start` has them.
const DEMO_ENV = { TIDINGS_OPEN_USER_TARGETS: 'true' }

// The demo and every component at a small phone's width, a common phone's and a desktop's:
// nothing wider than the screen, every button on it, long texts clamped and readable in full.
// Screenshots of each are kept in test-artifacts/widths (git-ignored) for a look by eye.

const artifacts = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-artifacts', 'widths')
const WIDTHS = [320, 390, 1280]
const LONG_TITLE = 'Nightly build of the customer-facing reporting service failed on the integration stage again'
const LONG_BODY = `${'The deployment pipeline stopped because a migration timed out. '.repeat(6)}https://ci.example.com/${'x'.repeat(120)}`

let browser: Browser
let hub: HubProcess
let site: PageServer
beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true })
  ;[browser, hub, site] = await Promise.all([sharedBrowser(), startHub(DEMO_ENV), startPageServer()])
  for (const [title, level] of [
    [LONG_TITLE, 'error'],
    ['Deploy finished', 'success'],
  ] as const) {
    expect((await postNotification(hub, { title, body: LONG_BODY, level })).status).toBe(202)
  }
})
afterAll(async () => {
  await Promise.all([closeContexts(browser), hub?.stop(), site?.close()])
})
let page: Page | undefined
afterEach(async () => {
  await page?.context().close()
})

const part = (host: string, name: string) => page!.locator(`${host} [part~="${name}"]`)

/** The document's horizontal overflow, and every visible button or panel that sticks out of the viewport. */
const overflow = () =>
  page!.evaluate(() => {
    const outside: string[] = []
    const visit = (root: Document | ShadowRoot, host: string) => {
      for (const el of root.querySelectorAll('button, input, select, textarea, [part~="panel"], [part~="toast"]')) {
        const box = el.getBoundingClientRect()
        if (box.width === 0 || box.height === 0) continue
        if (box.left < -0.5 || box.right > innerWidth + 0.5) {
          outside.push(`${host} ${el.getAttribute('part') ?? el.localName}: ${Math.round(box.left)}–${Math.round(box.right)}`)
        }
      }
      for (const el of root.querySelectorAll('*')) if (el.shadowRoot) visit(el.shadowRoot, el.localName)
    }
    visit(document, 'page')
    const { scrollWidth, clientWidth } = document.documentElement
    return { scrollWidth, clientWidth, outside }
  })

async function open(url: string, width: number): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 800 } })
  page = await context.newPage()
  await page.goto(url)
  await waitForComponents(page)
  await eventually(() => part('tidings-chat', 'status').getAttribute('data-state')).toBe('connected')
  return page
}

/** Joins the chat, brings up toasts and opens the inbox: the widest the page gets. */
async function fillUp(name: string): Promise<void> {
  await part('tidings-chat', 'name-input').fill(name)
  await part('tidings-chat', 'name-input').press('Enter')
  await part('tidings-chat', 'input').fill(LONG_BODY)
  await part('tidings-chat', 'input').press('Enter')
  await eventually(() => part('tidings-chat', 'message').count()).toBeGreaterThan(0)
  const stacks = page!.locator('tidings-toasts:not([topic])')
  expect((await postNotification(hub, { title: LONG_TITLE, body: LONG_BODY, level: 'warning' })).status).toBe(202)
  await eventually(() => stacks.locator('[part~="toast"]').count()).toBeGreaterThan(0)
  await part('tidings-inbox', 'bell').click()
  await eventually(() => part('tidings-inbox', 'item').count()).toBeGreaterThan(1)
}

describe.each(WIDTHS)('at %i px', { timeout: 90_000 }, (width) => {
  it('the demo has no horizontal overflow and every control on screen', async () => {
    await open(`${hub.url}/`, width)
    expect(await overflow()).toEqual({ scrollWidth: width, clientWidth: width, outside: [] })
    await page!.screenshot({ path: join(artifacts, `demo-${width}-initial.png`), fullPage: true })
    await fillUp(`demo${width}`)
    expect(await overflow()).toEqual({ scrollWidth: width, clientWidth: width, outside: [] })
    await page!.screenshot({ path: join(artifacts, `demo-${width}-busy.png`), fullPage: true })
  })

  it('a page holding every component has no horizontal overflow', async () => {
    site.setPage(
      `/widths-${width}.html`,
      componentPage(
        hub.url,
        `<main><tidings-user-count></tidings-user-count> <tidings-inbox></tidings-inbox>
         <tidings-chat room="widths"></tidings-chat><tidings-toasts duration="0"></tidings-toasts></main>`,
      ),
    )
    await open(`${site.url}/widths-${width}.html`, width)
    await fillUp(`page${width}`)
    expect(await overflow()).toEqual({ scrollWidth: width, clientWidth: width, outside: [] })
    await page!.screenshot({ path: join(artifacts, `components-${width}.png`), fullPage: true })
  })
})

describe('long texts', { timeout: 90_000 }, () => {
  it('are clamped in toasts and in the inbox, and shown in full on focus', async () => {
    site.setPage(
      '/clamp.html',
      componentPage(hub.url, '<main><tidings-inbox username="clara"></tidings-inbox><tidings-chat></tidings-chat><tidings-toasts duration="0"></tidings-toasts></main>'),
    )
    await open(`${site.url}/clamp.html`, 390)
    expect((await postNotification(hub, { title: LONG_TITLE, body: LONG_BODY })).status).toBe(202)
    const body = part('tidings-toasts', 'body').first()
    await body.waitFor()
    const clipped = (locator: typeof body) => locator.evaluate((el) => el.scrollHeight - el.clientHeight > 1)
    expect(await clipped(body)).toBe(true)
    expect(await clipped(part('tidings-toasts', 'title').first())).toBe(true)
    await part('tidings-toasts', 'close-button').first().focus()
    expect(await clipped(body)).toBe(false)

    await part('tidings-inbox', 'bell').click()
    const item = part('tidings-inbox', 'item').first()
    await item.waitFor()
    const itemBody = item.locator('[part~="item-body"]')
    // The panel focuses its first item on opening: that one is shown in full; the next is clamped.
    expect(await clipped(itemBody)).toBe(false)
    const second = part('tidings-inbox', 'item').nth(1).locator('[part~="item-body"]')
    expect(await clipped(second)).toBe(true)
    await page!.keyboard.press('ArrowDown')
    expect(await clipped(second)).toBe(false)
  })
})
