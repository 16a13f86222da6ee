import { SignJWT } from 'jose'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { escapeHtml, eventually, postNotification, texts } from '../helpers/browser.js'
import { useEmbeddingHarness } from '../helpers/embedding-harness.js'

// The components against a hub in signed mode: names come from tokens, a refused token shows,
// and a token provider is asked for fresh tokens.

const SECRET = 'browser-test-secret-of-at-least-32-characters'

const token = (sub: string, name: string, expiresIn = 600) =>
  new SignJWT({ name })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setExpirationTime(Math.floor(Date.now() / 1000) + expiresIn)
    .sign(new TextEncoder().encode(SECRET))

const harness = useEmbeddingHarness({
  hubPerTest: false,
  hubEnv: { TIDINGS_JWT_SECRET: SECRET, TIDINGS_GUESTS: 'read' },
})

const status = (page: Page, tag: string) => page.locator(`${tag} [part~="status"]`).first()

describe('components with signed identities', { timeout: 90_000 }, () => {
  it('chat under the name in the token, and the inbox of the token’s user', async () => {
    const alice = await token('u-alice', 'Alice Martin')
    const { page } = await harness.open(
      `<tidings-chat token="${escapeHtml(alice)}" room="team"></tidings-chat>` +
        `<tidings-inbox token="${escapeHtml(alice)}"></tidings-inbox>`,
    )
    await eventually(() => status(page, 'tidings-chat').getAttribute('data-state')).toBe('connected')
    expect(await page.locator('tidings-chat [part~="name-form"]').count()).toBe(0)

    await page.locator('tidings-chat [part~="input"]').fill('hello from a verified user')
    await page.locator('tidings-chat [part~="input"]').press('Enter')
    await eventually(() => texts(page.locator('tidings-chat [part~="message"] [part~="author"]'))).toEqual(['Alice Martin'])

    expect((await postNotification(harness.hub, { title: 'For Alice', user: 'u-alice' })).status).toBe(202)
    expect((await postNotification(harness.hub, { title: 'For someone else', user: 'u-bob' })).status).toBe(202)
    await eventually(() =>
      page.locator('tidings-inbox [part~="badge"]').evaluate((el) => ((el as HTMLElement).hidden ? null : el.textContent?.trim())),
    ).toBe('1')
  })

  it('shows a refused token instead of retrying forever when there is no provider', async () => {
    const expired = await token('u-carol', 'Carol', -120)
    const { page } = await harness.open(`<tidings-chat token="${escapeHtml(expired)}"></tidings-chat>`)
    await eventually(() => status(page, 'tidings-chat').getAttribute('data-state')).toBe('unauthorized')
  })

  it('asks the token provider for a token, and for a fresh one before it expires', async () => {
    let issued = 0
    const { page, traffic } = await harness.open('<tidings-chat room="team"></tidings-chat>')
    await page.exposeFunction('issueToken', async () => {
      issued++
      // The first token is about to expire: the component must ask again and refresh in place.
      return token('u-dan', 'Dan', issued === 1 ? 40 : 600)
    })
    await page.evaluate(() => {
      const chat = document.querySelector('tidings-chat') as HTMLElement & { tokenProvider?: () => Promise<string> }
      chat.tokenProvider = () => (window as unknown as { issueToken: () => Promise<string> }).issueToken()
    })
    await eventually(() => status(page, 'tidings-chat').getAttribute('data-state')).toBe('connected')
    await eventually(() => traffic.sent.some((p) => p.includes('"refresh-token"')), 30_000).toBe(true)
    expect(issued).toBeGreaterThanOrEqual(2)
    expect(await status(page, 'tidings-chat').getAttribute('data-state')).toBe('connected')
  })
})
