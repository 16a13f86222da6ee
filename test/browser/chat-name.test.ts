import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { eventually, texts } from '../helpers/browser.js'
import { useEmbeddingHarness } from '../helpers/embedding-harness.js'

// The name chosen in the chat's name form, kept for the tab's session, per hub.

const harness = useEmbeddingHarness()

const part = (page: Page, host: string, name: string) => page.locator(`${host} [part~="${name}"]`)

describe('the chosen name', { timeout: 90_000 }, () => {
  it('is kept across a reload of the tab, and a viewer who has not joined sees who is online', async () => {
    const body = '<main><tidings-user-count></tidings-user-count><tidings-chat></tidings-chat></main>'
    const { page } = await harness.open(body)
    await part(page, 'tidings-chat', 'name-input').fill('fern')
    await part(page, 'tidings-chat', 'name-input').press('Enter')
    await part(page, 'tidings-chat', 'input').fill('before the reload')
    await part(page, 'tidings-chat', 'input').press('Enter')
    await eventually(() => part(page, 'tidings-chat', 'message').count()).toBe(1)

    await page.reload()
    // Straight to the composer, under the same name: the name form is never shown.
    await part(page, 'tidings-chat', 'input').waitFor()
    expect(await part(page, 'tidings-chat', 'name-form').count()).toBe(0)
    await eventually(() => part(page, 'tidings-chat', 'status').getAttribute('data-state')).toBe('connected')
    await part(page, 'tidings-chat', 'input').fill('after the reload')
    await part(page, 'tidings-chat', 'input').press('Enter')
    await eventually(() => texts(part(page, 'tidings-chat', 'author'))).toEqual(['fern', 'fern'])

    // Another person (another browser profile) is asked for a name, and sees fern online.
    const { page: viewer } = await harness.open(body)
    await part(viewer, 'tidings-chat', 'name-form').waitFor()
    await eventually(() => part(viewer, 'tidings-user-count', 'count').textContent()).toBe('1')
  })
})
