import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { attributes, eventually, postNotification, texts, waitForComponents } from '../helpers/browser.js'
import { useEmbeddingHarness, type EmbeddedPage } from '../helpers/embedding-harness.js'

// What the hub keeps for clients that were away: a room's history for a page that just joined,
// and the notifications a page missed while disconnected (hub restart, reload). Real hub, real
// Chromium, page on another origin.

const harness = useEmbeddingHarness()

// Records every `tidings-notification` event's title, from the first script on, across reloads.
const RECORD_NOTIFICATIONS = `
  window.__titles = []
  document.addEventListener('tidings-notification', (e) => window.__titles.push(e.detail.title))
`

/** Opens `body` for a new person, recording the page's notification events from its first script on. */
async function openEmbedded(body: string): Promise<EmbeddedPage> {
  const context = await harness.newContext()
  await context.addInitScript(RECORD_NOTIFICATIONS)
  return harness.open(body, { context })
}

const chatPart = (page: Page, name: string) => page.locator(`tidings-chat [part~="${name}"]`)

/** The chat log in order: message texts, with `|` where the history divider is. */
const chatLog = (page: Page) =>
  chatPart(page, 'log').evaluate((log) =>
    [...log.children].map((el) =>
      el.getAttribute('part') === 'history-divider'
        ? '|'
        : el.getAttribute('part') === 'message'
          ? `${el.querySelector('[part~="text"]')?.textContent?.trim()}${el.hasAttribute('data-history') ? ' (earlier)' : ''}`
          : null,
    ),
  ).then((entries) => entries.filter((e): e is string => e !== null))

async function send(page: Page, text: string): Promise<void> {
  const input = chatPart(page, 'input')
  await input.fill(text)
  await input.press('Enter')
}

const toastTitles = (page: Page) => texts(page.locator('tidings-toasts [part~="title"]')).then((t) => t.map((s) => s.trim()))
const recordedTitles = (page: Page) => page.evaluate(() => (window as unknown as { __titles: string[] }).__titles)
const toastState = (page: Page) => attributes(page.locator('tidings-toasts [part~="status"]'), 'data-state')

describe('chat history', { timeout: 90_000 }, () => {
  it('shows a freshly loaded page the room so far, in order, once each, above a divider', async () => {
    const alice = await openEmbedded('<tidings-chat username="alice" room="lobby"></tidings-chat>')
    await eventually(() => attributes(chatPart(alice.page, 'status'), 'data-state')).toEqual(['connected'])
    for (const text of ['first', 'second', 'third']) {
      await send(alice.page, text)
      await eventually(() => chatLog(alice.page).then((log) => log.some((l) => l.startsWith(text)))).toBe(true)
    }

    const bob = await openEmbedded('<tidings-chat username="bob" room="lobby"></tidings-chat>')
    await eventually(() => chatLog(bob.page)).toEqual(['first (earlier)', 'second (earlier)', 'third (earlier)', '|'])
    expect(await chatPart(bob.page, 'history-divider').getAttribute('role')).toBe('separator')
    expect((await texts(chatPart(bob.page, 'history-divider'))).join('').trim()).toBe('Earlier messages')

    await send(alice.page, 'fourth')
    await eventually(() => chatLog(bob.page)).toEqual([
      'first (earlier)',
      'second (earlier)',
      'third (earlier)',
      '|',
      'fourth',
    ])

    // A reconnect brings the history again: nothing is shown twice.
    const port = harness.hub.port
    await harness.hub.stop()
    await eventually(() => attributes(chatPart(bob.page, 'status'), 'data-state')).toEqual(['reconnecting'])
    await harness.startHub({ PORT: String(port), TIDINGS_DB: harness.hub.dbPath })
    await eventually(() => attributes(chatPart(bob.page, 'status'), 'data-state'), 20_000).toEqual(['connected'])
    await eventually(() => attributes(chatPart(alice.page, 'status'), 'data-state'), 20_000).toEqual(['connected'])
    await send(alice.page, 'fifth')
    await eventually(() => chatLog(bob.page)).toEqual([
      'first (earlier)',
      'second (earlier)',
      'third (earlier)',
      '|',
      'fourth',
      'fifth',
    ])
  })

  it('labels the divider in French', async () => {
    const alice = await openEmbedded('<tidings-chat username="alice" room="salon"></tidings-chat>')
    await eventually(() => attributes(chatPart(alice.page, 'status'), 'data-state')).toEqual(['connected'])
    await send(alice.page, 'bonjour')
    await eventually(() => chatLog(alice.page)).toEqual(['bonjour'])
    const bob = await openEmbedded('<tidings-chat username="bob" room="salon" lang="fr"></tidings-chat>')
    await eventually(() => chatLog(bob.page)).toEqual(['bonjour (earlier)', '|'])
    expect((await texts(chatPart(bob.page, 'history-divider'))).join('').trim()).toBe('Messages précédents')
  })
})

describe('notification catch-up', { timeout: 120_000 }, () => {
  it('shows what was published while the page was disconnected, each notification once', async () => {
    const { page, traffic, path } = await openEmbedded(
      '<tidings-toasts username="carol" duration="0" max="20"></tidings-toasts>',
    )
    await eventually(() => traffic.received.some((p) => p.includes('"user-joined"') && p.includes('"carol"'))).toBe(true)
    expect((await postNotification(harness.hub, { title: 'Before', user: 'carol' })).status).toBe(202)
    await eventually(() => toastTitles(page)).toEqual(['Before'])

    // The hub goes away and comes back with the same database; publish at once, before the
    // page (backing off between attempts) is likely to be connected again.
    const port = harness.hub.port
    await harness.hub.stop()
    await eventually(() => toastState(page)).toEqual(['reconnecting'])
    await harness.startHub({ PORT: String(port), TIDINGS_DB: harness.hub.dbPath })
    expect((await postNotification(harness.hub, { title: 'While away (user)', user: 'carol' })).status).toBe(202)
    expect((await postNotification(harness.hub, { title: 'While away (everyone)' })).status).toBe(202)
    expect((await postNotification(harness.hub, { title: 'For someone else', user: 'dan' })).status).toBe(202)
    await eventually(() => toastTitles(page), 20_000).toEqual(['Before', 'While away (user)', 'While away (everyone)'])
    // The reconnect asked the hub for what came after the last notification seen.
    expect(traffic.sent.some((p) => p.startsWith('40') && /"since":"\d{16}"/.test(p))).toBe(true)

    expect((await postNotification(harness.hub, { title: 'Live again', user: 'carol' })).status).toBe(202)
    await eventually(() => toastTitles(page)).toHaveLength(4)
    expect(await recordedTitles(page)).toEqual(['Before', 'While away (user)', 'While away (everyone)', 'Live again'])

    // Leaving the page and coming back in the same tab: what was published meanwhile arrives.
    await page.goto('about:blank')
    expect(
      (await postNotification(harness.hub, { title: 'While the tab was elsewhere', user: 'carol' })).status,
    ).toBe(202)
    await page.goto(`${harness.site.url}${path}`)
    await waitForComponents(page)
    await eventually(() => toastTitles(page)).toEqual(['While the tab was elsewhere'])
    expect((await postNotification(harness.hub, { title: 'After coming back' })).status).toBe(202)
    await eventually(() => recordedTitles(page)).toEqual(['While the tab was elsewhere', 'After coming back'])
    expect(await toastTitles(page)).toEqual(['While the tab was elsewhere', 'After coming back'])
  })
})
