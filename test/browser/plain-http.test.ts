import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeContexts, sharedBrowser, waitForComponents } from '../helpers/browser.js'
import { startHub, type HubProcess } from '../helpers/hub-process.js'

// Someone trying the hub on a LAN address, a VM or a container opens http://<address>:3000/.
// Browsers treat localhost and 127.0.0.1 as secure, so the page is loaded through another
// loopback address (127.0.0.2), which Chromium handles like any plain-HTTP network address.
describe('the demo over plain HTTP on a network address', () => {
  let hub: HubProcess
  let browser: Browser

  beforeAll(async () => {
    ;[hub, browser] = await Promise.all([startHub({ HOST: '0.0.0.0' }), sharedBrowser()])
  })
  afterAll(async () => {
    await Promise.all([hub?.stop(), closeContexts(browser)])
  })

  it('renders, with every request over http and no HSTS or upgrade policy', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    const requested: string[] = []
    const failed: string[] = []
    page.on('request', (req) => requested.push(req.url()))
    page.on('requestfailed', (req) => failed.push(req.url()))
    const origin = `http://127.0.0.2:${hub.port}`

    const response = await page.goto(`${origin}/`)
    const headers = response!.headers()
    expect(headers['strict-transport-security']).toBeUndefined()
    expect(headers['content-security-policy']).not.toMatch(/upgrade-insecure-requests/)
    // The rest of helmet's protection stays.
    expect(headers['content-security-policy']).toMatch(/default-src 'self'/)
    expect(headers['x-content-type-options']).toBe('nosniff')

    await waitForComponents(page)
    // The page's own stylesheet applied and the components rendered their shadow content.
    await expect.poll(() => page.evaluate(() => getComputedStyle(document.body).display)).toBe('flex')
    await page.locator('tidings-chat [part~="name-input"]').waitFor()

    expect(requested.filter((url) => !url.startsWith('http:') && !url.startsWith('data:'))).toEqual([])
    expect(failed).toEqual([])
    expect(requested).toContain(`${origin}/tidings.js`)
    await context.close()
  })
})
