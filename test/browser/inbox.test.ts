import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import {
  attributes,
  eventually,
  postNotification,
  texts,
  waitForComponents,
  type SocketTraffic,
} from '../helpers/browser.js'
import { useEmbeddingHarness } from '../helpers/embedding-harness.js'

// <tidings-inbox> in real Chromium, embedded on another origin than the hub, against the real
// hub and its SQLite store. Locators use the component's `part` names (its public DOM contract).

const harness = useEmbeddingHarness()

const part = (page: Page, name: string) => page.locator(`tidings-inbox [part~="${name}"]`)

/** What the badge shows, or null while it is hidden. */
const badge = (page: Page) =>
  part(page, 'badge').evaluate((el) => ((el as HTMLElement).hidden ? null : el.textContent?.trim()))

const bellLabel = (page: Page) => part(page, 'bell').getAttribute('aria-label')

/** The listed notifications as the user sees them. */
const items = (page: Page) =>
  part(page, 'item').evaluateAll((els) =>
    els.map((el) => ({
      title: el.querySelector('[part~="item-title"]')?.textContent?.trim(),
      read: el.getAttribute('data-read'),
      level: el.getAttribute('data-level'),
    })),
  )

/** The `part` of whatever has focus inside the inbox's shadow root. */
const focusedPart = (page: Page) =>
  page.evaluate(() => document.querySelector('tidings-inbox')?.shadowRoot?.activeElement?.getAttribute('part') ?? null)

/** Resolves once the hub has told the page its unread count, i.e. it knows the page's user. */
const identified = (traffic: SocketTraffic) =>
  eventually(() => traffic.received.some((p) => p.includes('"inbox-unread"'))).toBe(true)

async function notify(user: string, title: string, level: 'info' | 'warning' = 'info'): Promise<void> {
  expect((await postNotification(harness.hub, { title, body: `${title} body`, user, level })).status).toBe(202)
}

describe('<tidings-inbox>', { timeout: 120_000 }, () => {
  it('counts, lists and marks read the notifications of its user, in step across tabs, reloads and hub restarts', async () => {
    const body = '<tidings-inbox username="erin"></tidings-inbox>'
    const first = await harness.open(body)
    // A second tab of the same person: same browser profile.
    const second = await harness.open(body, { context: first.page.context() })
    await identified(first.traffic)
    await identified(second.traffic)
    expect(await badge(first.page)).toBeNull()
    expect(await part(first.page, 'bell').getAttribute('aria-haspopup')).toBe('dialog')
    expect(await part(first.page, 'bell').getAttribute('aria-expanded')).toBe('false')

    await notify('erin', 'One')
    await notify('erin', 'Two', 'warning')
    await notify('erin', 'Three')
    await notify('frank', 'Not for Erin')
    for (const { page } of [first, second]) await eventually(() => badge(page)).toBe('3')
    expect(await bellLabel(first.page)).toContain('3')

    // Opening moves focus into the panel, on the newest notification.
    await part(first.page, 'bell').click()
    await part(first.page, 'panel').waitFor()
    expect(await part(first.page, 'panel').getAttribute('role')).toBe('dialog')
    expect(await part(first.page, 'bell').getAttribute('aria-expanded')).toBe('true')
    await eventually(() => items(first.page)).toEqual([
      { title: 'Three', read: 'false', level: 'info' },
      { title: 'Two', read: 'false', level: 'warning' },
      { title: 'One', read: 'false', level: 'info' },
    ])
    await eventually(() => focusedPart(first.page)).toBe('item')
    expect(await texts(part(first.page, 'item-body'))).toEqual(['Three body', 'Two body', 'One body'])
    const times = await texts(part(first.page, 'item-time'))
    expect(times.every((t) => t.trim().length > 0)).toBe(true)

    // Clicking one marks it read, here and in the other tab.
    const readEvents = first.page.evaluate(
      () =>
        new Promise<unknown>((resolve) =>
          document.addEventListener('tidings-notification-read', (e) => resolve((e as CustomEvent).detail), {
            once: true,
          }),
        ),
    )
    await part(first.page, 'item').filter({ hasText: 'Two' }).click()
    expect(await readEvents).toEqual({ id: expect.stringMatching(/^\d{16}$/) })
    await eventually(() => items(first.page).then((list) => list.map((i) => i.read))).toEqual(['false', 'true', 'false'])
    for (const { page } of [first, second]) await eventually(() => badge(page)).toBe('2')

    // Keyboard: arrows move between items, Escape closes and gives focus back to the bell.
    await part(first.page, 'item').first().focus()
    await first.page.keyboard.press('ArrowDown')
    expect(await part(first.page, 'item').nth(1).evaluate((el) => el.matches(':focus'))).toBe(true)
    await first.page.keyboard.press('ArrowUp')
    expect(await part(first.page, 'item').first().evaluate((el) => el.matches(':focus'))).toBe(true)
    await first.page.keyboard.press('Escape')
    await part(first.page, 'panel').waitFor({ state: 'hidden' })
    expect(await focusedPart(first.page)).toBe('bell')
    expect(await part(first.page, 'bell').getAttribute('aria-expanded')).toBe('false')

    // Enter on the bell opens the panel; "mark all as read" clears the badge in both tabs.
    await first.page.keyboard.press('Enter')
    await part(first.page, 'panel').waitFor()
    await part(first.page, 'mark-all').click()
    for (const { page } of [first, second]) await eventually(() => badge(page)).toBeNull()
    await eventually(() => items(first.page).then((list) => list.map((i) => i.read))).toEqual(['true', 'true', 'true'])
    expect(await bellLabel(second.page)).toContain('0')

    // Read state is the hub's: a reload shows it as it was left.
    await first.page.reload()
    await waitForComponents(first.page)
    await part(first.page, 'bell').click()
    await eventually(() => items(first.page)).toHaveLength(3)
    expect((await items(first.page)).map((i) => i.read)).toEqual(['true', 'true', 'true'])
    expect(await badge(first.page)).toBeNull()

    // A live notification is prepended and counted.
    await notify('erin', 'Four')
    for (const { page } of [first, second]) await eventually(() => badge(page)).toBe('1')
    await eventually(() => items(first.page).then((list) => list[0])).toEqual({
      title: 'Four',
      read: 'false',
      level: 'info',
    })

    // A hub restart on the same port and database: the inbox is as it was.
    const port = harness.hub.port
    await harness.hub.stop()
    await eventually(() => attributes(part(second.page, 'status'), 'data-state')).toEqual(['reconnecting'])
    await harness.startHub({ PORT: String(port), TIDINGS_DB: harness.hub.dbPath })
    await eventually(() => attributes(part(second.page, 'status'), 'data-state'), 20_000).toEqual(['connected'])
    await eventually(() => badge(second.page)).toBe('1')
    await part(second.page, 'bell').click()
    await eventually(() => items(second.page)).toEqual([
      { title: 'Four', read: 'false', level: 'info' },
      { title: 'Three', read: 'true', level: 'info' },
      { title: 'Two', read: 'true', level: 'warning' },
      { title: 'One', read: 'true', level: 'info' },
    ])
    await part(second.page, 'item').first().click()
    for (const { page } of [first, second]) await eventually(() => badge(page), 20_000).toBeNull()
  })

  it('shows an empty state, pages with "load more", and asks for a name when it has none', async () => {
    const named = await harness.open('<tidings-inbox username="gina" lang="fr"></tidings-inbox>')
    await identified(named.traffic)
    await part(named.page, 'bell').click()
    await part(named.page, 'empty').waitFor()
    expect(await part(named.page, 'mark-all').isDisabled()).toBe(true)
    expect(await part(named.page, 'bell').getAttribute('aria-label')).toMatch(/non lue/)

    for (let i = 1; i <= 23; i++) await notify('gina', `Note ${i}`)
    await eventually(() => badge(named.page)).toBe('23')
    // Live ones are all listed as they arrive.
    await eventually(() => items(named.page)).toHaveLength(23)
    // French relative times, newest first.
    expect((await texts(part(named.page, 'item-time')))[0]).toMatch(/maintenant|il y a/)
    expect((await items(named.page))[0]!.title).toBe('Note 23')
    // Reopened fresh from the hub: the first page, then the rest on demand.
    await named.page.reload()
    await waitForComponents(named.page)
    await part(named.page, 'bell').click()
    await eventually(() => items(named.page)).toHaveLength(20)
    await part(named.page, 'more').click()
    await eventually(() => items(named.page).then((list) => list.map((i) => i.title))).toEqual(
      Array.from({ length: 23 }, (_, i) => `Note ${23 - i}`),
    )
    await part(named.page, 'more').waitFor({ state: 'hidden' })

    const anonymous = await harness.open('<tidings-inbox></tidings-inbox>')
    await part(anonymous.page, 'bell').click()
    await part(anonymous.page, 'hint').waitFor()
    expect(await part(anonymous.page, 'item').count()).toBe(0)
    // Clicking elsewhere closes the panel.
    await anonymous.page.mouse.click(5, 300)
    await part(anonymous.page, 'panel').waitFor({ state: 'hidden' })
  })
})
