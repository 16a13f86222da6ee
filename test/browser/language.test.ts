import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { eventually } from '../helpers/browser.js'
import { useEmbeddingHarness } from '../helpers/embedding-harness.js'

// Components take their language from the nearest `lang` above them, and follow it when the
// page changes it after load (a language switch, a framework re-rendering a parent).

const harness = useEmbeddingHarness({ hubPerTest: false })

const joinButton = (page: Page) => page.locator('tidings-chat [part~="name-button"]').textContent()
const bellLabel = (page: Page) => page.locator('tidings-inbox [part~="bell"]').getAttribute('aria-label')

describe('language', { timeout: 60_000 }, () => {
  it('follows lang changes on <html> and on any parent after load', async () => {
    const { page } = await harness.open(
      '<main><div id="wrap"><tidings-chat></tidings-chat><tidings-inbox username="lou"></tidings-inbox></div></main>',
    )
    await eventually(() => joinButton(page)).toBe('Join')

    await page.evaluate(() => (document.documentElement.lang = 'fr'))
    await eventually(() => joinButton(page)).toBe('Rejoindre')
    await eventually(() => bellLabel(page)).toBe('Notifications, 0 non lue')

    await page.evaluate(() => document.getElementById('wrap')!.setAttribute('lang', 'en-GB'))
    await eventually(() => joinButton(page)).toBe('Join')
    await page.evaluate(() => document.getElementById('wrap')!.removeAttribute('lang'))
    await eventually(() => joinButton(page)).toBe('Rejoindre')
  })

  it("switches the demo page's own text and its components together", async () => {
    const context = await harness.newContext()
    const page = await context.newPage()
    await page.goto(`${harness.hub.url}/`)
    await eventually(() => joinButton(page)).toBe('Join')
    expect(await page.locator('#chat-title').textContent()).toBe('Chat')

    await page.locator('#lang').selectOption('fr')
    await eventually(() => joinButton(page)).toBe('Rejoindre')
    expect(await page.locator('#chat-title').textContent()).toBe('Discussion')
    expect(await page.locator('#notify button[type="submit"]').textContent()).toBe('Envoyer')
    // The components carry no lang of their own: they inherit the page's.
    expect(await page.locator('tidings-chat').getAttribute('lang')).toBeNull()
  })
})
