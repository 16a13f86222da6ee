import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations } from '../helpers/axe.js'
import { closeContexts, eventually, sharedBrowser, postNotification, waitForComponents } from '../helpers/browser.js'
import { closeAllClients, connectClient } from '../helpers/clients.js'
import { startHub, type HubProcess } from '../helpers/hub-process.js'

// The demo's inbox is per user: open-mode user targets on, as `npm start` has them.
const DEMO_ENV = { TIDINGS_OPEN_USER_TARGETS: 'true' }

// axe-core over the demo page, which holds every component, in each state a user meets: on
// arrival, after joining a room with history, with toasts on screen, with the inbox open and
// while reconnecting; in English and French, on a phone and on a desktop.

let browser: Browser
let hub: HubProcess | undefined
beforeAll(async () => {
  browser = await sharedBrowser()
})
afterAll(async () => {
  await closeContexts(browser)
})
afterEach(async () => {
  closeAllClients()
  await hub?.stop()
  hub = undefined
})

const part = (page: Page, host: string, name: string) => page.locator(`${host} [part~="${name}"]`)
const state = (page: Page, host: string) => part(page, host, 'status').first().getAttribute('data-state')

/** Three messages in `room` before the page comes, so that it shows history. */
async function seedHistory(url: string, room = 'general'): Promise<void> {
  const carol = await connectClient(url, { auth: { username: 'carol' } })
  await carol.emitWithAck('join', 'carol', room)
  for (const text of ['First message', 'Second message', 'A third, rather longer message to wrap']) {
    await carol.emitWithAck('chat-message', text, room)
  }
  carol.disconnect()
}

async function openDemo(lang: 'en' | 'fr', width: number): Promise<Page> {
  // axe is injected inline, which the hub's Content-Security-Policy refuses.
  const context = await browser.newContext({
    viewport: { width, height: 800 },
    bypassCSP: true,
    locale: lang === 'fr' ? 'fr-FR' : 'en-US',
  })
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (err) => errors.push(err.message))
  await page.goto(`${hub!.url}/`)
  await waitForComponents(page)
  expect(errors).toEqual([])
  return page
}

describe.each(['en', 'fr'] as const)('the demo in %s', (lang) => {
  it.each([390, 1280])('has no axe violations at %i px in any state', { timeout: 120_000 }, async (width) => {
    hub = await startHub(DEMO_ENV)
    await seedHistory(hub.url)
    const page = await openDemo(lang, width)
    expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang)

    await eventually(() => state(page, 'tidings-chat')).toBe('connected')
    // A visitor who has not joined already sees the room's recent history.
    await eventually(() => part(page, 'tidings-chat', 'message').count()).toBe(3)
    expect(await axeViolations(page), 'initial').toEqual([])

    await part(page, 'tidings-chat', 'name-input').fill('dana')
    await part(page, 'tidings-chat', 'name-input').press('Enter')
    await eventually(() => part(page, 'tidings-chat', 'message').count()).toBe(3)
    expect(await axeViolations(page), 'after joining, with history').toEqual([])

    const long = 'A title long enough to be clamped on a phone, '.repeat(4)
    await postNotification(hub, { title: 'Deploy finished', body: 'Version 1.4.2 is live.', level: 'success' })
    await postNotification(hub, { title: long, body: 'Body '.repeat(80), level: 'error' })
    await postNotification(hub, { title: 'Build #42', level: 'warning', topic: 'deploys' })
    await eventually(() => page.locator('tidings-toasts [part~="toast"]').count()).toBe(3)
    expect(await axeViolations(page), 'toasts visible').toEqual([])

    await part(page, 'tidings-inbox', 'bell').click()
    await eventually(() => part(page, 'tidings-inbox', 'item').count()).toBe(2)
    expect(await axeViolations(page), 'inbox open').toEqual([])
    await page.keyboard.press('Escape')

    await hub.stop()
    await eventually(() => state(page, 'tidings-chat')).toBe('reconnecting')
    expect(await axeViolations(page), 'reconnecting').toEqual([])
    await page.context().close()
  })
})

describe('screen reader announcements', () => {
  it('says a connection change once per page, in one polite region, and keeps history quiet', { timeout: 90_000 }, async () => {
    hub = await startHub(DEMO_ENV)
    await seedHistory(hub.url, 'history')
    const page = await openDemo('en', 1280)
    await eventually(() => state(page, 'tidings-chat')).toBe('connected')

    // No component's own status is a live region; one region for the page is, empty on arrival.
    const liveRegions = () =>
      page.evaluate(() => {
        const found: { role: string | null; live: string | null; text: string }[] = []
        const visit = (root: Document | ShadowRoot) => {
          for (const el of root.querySelectorAll('*')) {
            const role = el.getAttribute('role')
            const live = el.getAttribute('aria-live')
            if (role === 'status' || live === 'polite') found.push({ role, live, text: el.textContent?.trim() ?? '' })
            if (el.shadowRoot) visit(el.shadowRoot)
          }
        }
        visit(document)
        return found
      })
    const before = await liveRegions()
    // The toast stacks' regions (two stacks) and the page's announcer.
    expect(before.filter((r) => r.role === 'status').map((r) => r.text)).toEqual(['', '', ''])

    // What the log's live setting was whenever messages were added to it.
    await page.evaluate(() => {
      const chat = document.querySelector('tidings-chat')!
      const log = chat.shadowRoot!.querySelector('[part~="log"]')!
      const seen: string[] = []
      ;(window as unknown as { __logLive: string[] }).__logLive = seen
      new MutationObserver((records) => {
        if (records.some((r) => [...r.addedNodes].some((n) => n instanceof Element && n.matches('[part~="message"]')))) {
          seen.push(log.getAttribute('aria-live') ?? 'none')
        }
      }).observe(log, { childList: true })
    })
    // Moving to a room with history: it is shown at once, not read out message by message.
    await page.locator('tidings-chat').evaluate((chat) => chat.setAttribute('room', 'history'))
    await eventually(() => part(page, 'tidings-chat', 'message').count()).toBe(3)
    await eventually(() => part(page, 'tidings-chat', 'log').getAttribute('aria-live')).toBe('polite')
    expect(await page.evaluate(() => (window as unknown as { __logLive: string[] }).__logLive)).toEqual(['off'])

    await hub.stop()
    await eventually(() => state(page, 'tidings-chat')).toBe('reconnecting')
    await eventually(() => liveRegions().then((r) => r.filter((x) => x.text.includes('Reconnecting')).length)).toBe(1)
    await page.context().close()
  })
})
