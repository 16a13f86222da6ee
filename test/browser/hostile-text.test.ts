import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { escapeHtml, eventually, postNotification } from '../helpers/browser.js'
import { useEmbeddingHarness } from '../helpers/embedding-harness.js'

// Text from users and publishers in every field the components show: markup must stay text,
// `javascript:` must never become a link, and bidi controls must not reorder the component.

const MARKUP = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
const LINK = '<a href="javascript:window.__pwned=3">click</a> javascript:window.__pwned=4'
const BIDI = 'evil\u202Egnp.exe\u2066x\u2069 zero\u200Bwidth\u200D'
// Names are shorter (40 characters at most) and must not contain control characters.
const NAME = '<b>M\u202Eallory\u200B</b>'

// The inbox shows the hostile name's notifications: per-user notifications on, as in the demo.
const harness = useEmbeddingHarness({ hubPerTest: false, hubEnv: { TIDINGS_OPEN_USER_TARGETS: 'true' } })

/** Elements that only user text could have created, anywhere inside the components. */
const injected = (page: Page) =>
  page.evaluate(() => {
    const found: string[] = []
    const walk = (root: ShadowRoot) => {
      for (const el of root.querySelectorAll('img, script, a, b, iframe')) found.push(el.tagName)
      for (const host of root.querySelectorAll('*')) if (host.shadowRoot) walk(host.shadowRoot)
    }
    for (const host of document.querySelectorAll('*')) if (host.shadowRoot) walk(host.shadowRoot)
    return found
  })

const textOf = (page: Page, selector: string) =>
  page.locator(selector).evaluateAll((els) => els.map((el) => el.textContent?.trim()))

const bidiOf = (page: Page, selector: string) =>
  page.locator(selector).evaluateAll((els) => els.map((el) => getComputedStyle(el).unicodeBidi))

describe('hostile text in the components', { timeout: 90_000 }, () => {
  it('shows markup, javascript: links and bidi controls as inert, isolated text', async () => {
    // One page is one person on the hub: every component goes by the same (hostile) name.
    const name = escapeHtml(NAME)
    const { page, errors } = await harness.open(
      `<tidings-chat username="${name}" room="r"></tidings-chat>` +
        `<tidings-toasts duration="0" max="10"></tidings-toasts><tidings-inbox username="${name}"></tidings-inbox>`,
    )
    await eventually(() => page.locator('tidings-chat [part~="status"]').getAttribute('data-state')).toBe('connected')

    for (const text of [MARKUP, LINK, BIDI]) {
      await page.locator('tidings-chat [part~="input"]').fill(text)
      await page.locator('tidings-chat [part~="input"]').press('Enter')
    }
    await eventually(() => textOf(page, 'tidings-chat [part~="message"] [part~="text"]')).toEqual([MARKUP, LINK, BIDI])
    expect(await textOf(page, 'tidings-chat [part~="message"] [part~="author"]')).toEqual([NAME, NAME, NAME])

    for (const [title, body] of [
      [MARKUP, LINK],
      [BIDI, MARKUP],
    ] as const) {
      expect((await postNotification(harness.hub, { title, body })).status).toBe(202)
    }
    await eventually(() => textOf(page, 'tidings-toasts [part~="toast"] [part~="title"]')).toEqual(
      expect.arrayContaining([MARKUP, BIDI]),
    )
    expect(await textOf(page, 'tidings-toasts [part~="toast"] [part~="body"]')).toEqual(expect.arrayContaining([LINK, MARKUP]))

    await page.locator('tidings-inbox [part~="bell"]').click()
    await eventually(() => textOf(page, 'tidings-inbox [part~="item-title"]')).toEqual([BIDI, MARKUP])

    expect(await injected(page)).toEqual([])
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined()
    for (const selector of [
      'tidings-chat [part~="author"]',
      'tidings-chat [part~="text"]',
      'tidings-toasts [part~="title"]',
      'tidings-inbox [part~="item-title"]',
    ]) {
      expect(new Set(await bidiOf(page, selector))).toEqual(new Set(['isolate']))
    }
    expect(errors).toEqual([])
  })
})
