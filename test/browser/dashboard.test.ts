import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeAllClients, connectClient, postNotify, request } from '../helpers/clients.js'
import { closeContexts, eventually, sharedBrowser } from '../helpers/browser.js'
import { spawnHub, TEST_API_KEY, type SpawnedHub } from '../helpers/hub-process.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
// Git-ignored: a test run leaves the tree clean. The README's picture, docs/dashboard.png, is
// refreshed by copying this one over it.
const SCREENSHOT = join(root, 'test-artifacts', 'dashboard.png')

const figure = (page: Page, metric: string) => page.locator(`tidings-dashboard [data-metric="${metric}"]`)
const figureText = async (page: Page, metric: string) => ((await figure(page, metric).textContent()) ?? '').trim()
const chartPixels = (page: Page, chart: string) =>
  page.locator(`tidings-dashboard [data-chart="${chart}"] canvas`).evaluate((canvas) => (canvas as HTMLCanvasElement).toDataURL())

describe('<tidings-dashboard> at /dashboard', () => {
  let hub: SpawnedHub
  let browser: Browser
  beforeAll(async () => {
    // Embedding is limited to another site: the dashboard, served by the hub, still connects.
    ;[hub, browser] = await Promise.all([spawnHub({ TIDINGS_ORIGINS: 'https://app.example.com' }), sharedBrowser()])
  })
  afterAll(async () => {
    closeAllClients()
    await closeContexts(browser)
    hub?.child.kill('SIGTERM')
    await hub?.exited
  })

  it('refuses a wrong key: an error, and no figures', async () => {
    const page = await browser.newPage()
    await page.goto(`${hub.url}/dashboard`)
    const key = page.getByLabel('API key')
    await key.fill('not-a-valid-key-000000')
    await key.press('Enter')
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('This key is not valid.')
    expect(await page.locator('tidings-dashboard [data-metric]').count()).toBe(0)
    expect(await page.evaluate(() => sessionStorage.getItem('tidings-dashboard-key'))).toBeNull()
    await page.close()
  })

  it('shows connections rising, a chart that moves while publishing, and is saved for the README', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } })
    await page.goto(`${hub.url}/dashboard`)
    await page.getByLabel('API key').fill(TEST_API_KEY)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await eventually(() => figureText(page, 'connections')).toBe('0')

    // Each new client shows up on the dashboard before the next one connects.
    const names = ['ada', 'grace', 'linus', 'margaret', 'ken']
    for (const [i, name] of names.entries()) {
      const socket = await connectClient(hub.url, { auth: { username: name, topics: i % 2 ? ['deploys'] : ['ci'] } })
      await request(socket, 'join', name, i < 3 ? 'support' : 'general')
      await eventually(() => figureText(page, 'connections')).toBe(String(i + 1))
    }
    await eventually(() => figureText(page, 'users')).toBe('5')

    // Publish until the rate figure and the traffic chart have both moved.
    const before = await chartPixels(page, 'traffic')
    let publishing = true
    let sent = 0
    const publisher = (async () => {
      while (publishing) {
        const level = (['info', 'success', 'warning', 'error'] as const)[sent % 4]
        await postNotify(hub.url, TEST_API_KEY, { title: `Build #${100 + sent} finished`, level, topic: sent % 2 ? 'deploys' : 'ci' })
        sent++
      }
    })()
    try {
      await eventually(async () => Number((await figureText(page, 'published-per-second')).replace(',', '.')), 20_000).toBeGreaterThan(0)
      await eventually(() => chartPixels(page, 'traffic'), 20_000).not.toBe(before)
      await eventually(() => page.locator('tidings-dashboard [data-feed] li').count()).toBeGreaterThan(3)
    } finally {
      publishing = false
      await publisher
    }
    expect(await page.locator('tidings-dashboard [data-busiest="rooms"] td').first().textContent()).toBe('support')

    // Publishing from the dashboard, keyboard only: type a title, Enter.
    const title = page.getByLabel('Title')
    await title.fill('Release 2.4 is live')
    await title.press('Enter')
    await eventually(() => page.locator('tidings-dashboard [data-published="true"]').count()).toBe(1)
    await eventually(() => page.locator('tidings-dashboard [data-feed] li').first().textContent()).toContain('Release 2.4 is live')

    mkdirSync(dirname(SCREENSHOT), { recursive: true })
    await page.screenshot({ path: SCREENSHOT, fullPage: true })
    await page.close()
    // Five connections, a publishing burst and a few seconds of figures: a budget, not a timing.
  }, 60_000)

  it('speaks French, and fits a phone screen', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 740 }, locale: 'fr-FR' })
    await page.goto(`${hub.url}/dashboard`)
    await page.getByLabel('Clé d’API').fill(TEST_API_KEY)
    await page.getByLabel('Clé d’API').press('Enter')
    await eventually(() => page.locator('tidings-dashboard [data-metric="connections"]').count()).toBe(1)
    expect(await page.getByRole('heading', { name: 'Chiffres en direct' }).count()).toBe(1)
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    await page.close()
  })
})
