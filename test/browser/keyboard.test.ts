import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { eventually, postNotification } from '../helpers/browser.js'
import { useEmbeddingHarness } from '../helpers/embedding-harness.js'

// Keyboard-only journeys through every component, asserting after each step where the focus
// is: never dropped to <body>, always somewhere the user can go on from.

// The demo's inbox is per user: open-mode user targets on, as `npm start` has them.
const harness = useEmbeddingHarness({ hubEnv: { TIDINGS_OPEN_USER_TARGETS: 'true' } })

const PAGE = `
  <main>
    <button id="before">Before</button>
    <tidings-inbox></tidings-inbox>
    <tidings-chat></tidings-chat>
    <button id="after">After</button>
    <tidings-toasts duration="0"></tidings-toasts>
  </main>`

/**
 * Where the focus is, as `host part` (e.g. `tidings-chat input`), following it into shadow
 * roots; `#id` for the page's own elements and `body` when it is lost.
 */
const focused = (page: Page): Promise<string> =>
  page.evaluate(() => {
    let active = document.activeElement
    let host: Element | null = null
    while (active?.shadowRoot?.activeElement) {
      host = active
      active = active.shadowRoot.activeElement
    }
    if (!active || active === document.body) return 'body'
    if (host) return `${host.localName} ${active.getAttribute('part') ?? active.localName}`
    return active.id ? `#${active.id}` : active.localName
  })

/** Presses Tab (or Shift+Tab) until `target` has the focus; fails after 25 presses. */
async function tabTo(page: Page, target: string, key: 'Tab' | 'Shift+Tab' = 'Tab'): Promise<void> {
  const path: string[] = []
  for (let i = 0; i < 25; i++) {
    await page.keyboard.press(key)
    const now = await focused(page)
    path.push(now)
    if (now === target) return
  }
  throw new Error(`${target} never got the focus; it went through ${path.join(' → ')}`)
}

const part = (page: Page, host: string, name: string) => page.locator(`${host} [part~="${name}"]`)

describe('keyboard only', { timeout: 120_000 }, () => {
  it('joins, sends, reads the inbox and closes it, and dismisses toasts, the focus landing somewhere sensible each time', async () => {
    const { page } = await harness.open(PAGE)
    await eventually(() => part(page, 'tidings-chat', 'status').getAttribute('data-state')).toBe('connected')
    await page.locator('#before').focus()

    // Join: a name of spaces is answered, and the focus stays in the field.
    await tabTo(page, 'tidings-chat name-input')
    await page.keyboard.type('   ')
    await page.keyboard.press('Enter')
    await eventually(() => part(page, 'tidings-chat', 'name-error').textContent()).not.toBe('')
    expect(await focused(page)).toBe('tidings-chat name-input')
    await part(page, 'tidings-chat', 'name-input').fill('')
    await page.keyboard.type('erin')
    await page.keyboard.press('Enter')
    // The name form is replaced by the composer, which takes the focus.
    await eventually(() => focused(page)).toBe('tidings-chat input')

    // Send: the focus stays in the composer for the next message.
    await page.keyboard.type('hello')
    await page.keyboard.press('Enter')
    await eventually(() => part(page, 'tidings-chat', 'message').count()).toBe(1)
    expect(await focused(page)).toBe('tidings-chat input')

    for (const title of ['First', 'Second', 'Third']) {
      expect((await postNotification(harness.hub, { title })).status).toBe(202)
    }
    await eventually(() => part(page, 'tidings-toasts', 'toast').count()).toBe(3)

    // Open the inbox from its bell: the newest item has the focus.
    await tabTo(page, 'tidings-inbox bell', 'Shift+Tab')
    await page.keyboard.press('Enter')
    await eventually(() => part(page, 'tidings-inbox', 'item').count()).toBe(3)
    await eventually(() => focused(page)).toBe('tidings-inbox item')
    // Mark one read: it stays focused.
    await page.keyboard.press('Enter')
    await eventually(() => part(page, 'tidings-inbox', 'item').first().getAttribute('data-read')).toBe('true')
    expect(await focused(page)).toBe('tidings-inbox item')
    // Mark all read: the button disables itself, and the focus goes to the panel.
    await tabTo(page, 'tidings-inbox mark-all', 'Shift+Tab')
    await page.keyboard.press('Enter')
    await eventually(() => part(page, 'tidings-inbox', 'mark-all').isDisabled()).toBe(true)
    expect(await focused(page)).toBe('tidings-inbox panel')
    // Escape still closes the panel and gives the focus back to the bell.
    await page.keyboard.press('Escape')
    await eventually(() => part(page, 'tidings-inbox', 'panel').isHidden()).toBe(true)
    expect(await focused(page)).toBe('tidings-inbox bell')
    // Escape on the bell closes an open panel too.
    await page.keyboard.press('Enter')
    await eventually(() => focused(page)).toBe('tidings-inbox item')
    await tabTo(page, 'tidings-inbox bell', 'Shift+Tab')
    expect(await part(page, 'tidings-inbox', 'panel').isVisible()).toBe(true)
    await page.keyboard.press('Escape')
    await eventually(() => part(page, 'tidings-inbox', 'panel').isHidden()).toBe(true)
    expect(await focused(page)).toBe('tidings-inbox bell')

    // Leaving the panel with Tab closes it.
    await page.keyboard.press('Enter')
    await eventually(() => focused(page)).toBe('tidings-inbox item')
    await tabTo(page, 'tidings-chat log')
    expect(await part(page, 'tidings-inbox', 'panel').isHidden()).toBe(true)

    // Toasts: Escape dismisses the focused one and the focus moves to the next toast's button;
    // the last one's × sends the focus back to where it came from.
    await tabTo(page, '#after')
    await tabTo(page, 'tidings-toasts close-button')
    expect(await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.getAttribute('aria-label'))).toBe(
      'Close: First',
    )
    await page.keyboard.press('Escape')
    await eventually(() => part(page, 'tidings-toasts', 'toast').count()).toBe(2)
    expect(await focused(page)).toBe('tidings-toasts close-button')
    await page.keyboard.press('Enter')
    await eventually(() => part(page, 'tidings-toasts', 'toast').count()).toBe(1)
    expect(await focused(page)).toBe('tidings-toasts close-button')
    await page.keyboard.press('Enter')
    await eventually(() => part(page, 'tidings-toasts', 'toast').count()).toBe(0)
    expect(await focused(page)).toBe('#after')
  })
})
