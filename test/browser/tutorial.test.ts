import type { BrowserContext, Page } from 'playwright-core'
import { io as connect454 } from 'socket.io-client-454'
import { beforeEach, describe, expect, it } from 'vitest'
import { eventually, serveTutorialCdnLocally, texts, tutorialPage } from '../helpers/browser.js'
import { useEmbeddingHarness } from '../helpers/embedding-harness.js'

// The tutorial's two client pages, unchanged except for the server URL (see tutorialPage),
// served from another origin than the hub and run in Chromium against the real hub process.

// Each test gets its own hub: the tutorial page shows a hub-wide user count.
const harness = useEmbeddingHarness({ hubEnv: { LOG_LEVEL: 'debug' } })

// Runs after the harness has started this test's hub: the pages are written for its URL.
beforeEach(() => {
  harness.site.setPage('/index.html', tutorialPage('index', harness.hub.url))
  harness.site.setPage('/simple.html', tutorialPage('simple', harness.hub.url))
})

async function newContext(): Promise<BrowserContext> {
  const context = await harness.newContext()
  await serveTutorialCdnLocally(context)
  return context
}

describe("the tutorial's chat client (public/index.html)", { timeout: 90_000 }, () => {
  /** Opens the chat and answers its `prompt('Entrez votre pseudo:')` with `name`. */
  async function openChat(context: BrowserContext, name: string): Promise<Page> {
    const page = await context.newPage()
    const prompts: string[] = []
    page.on('dialog', (dialog) => {
      prompts.push(dialog.message())
      void dialog.accept(name)
    })
    await page.goto(`${harness.site.url}/index.html`)
    expect(prompts).toEqual(['Entrez votre pseudo:'])
    await page.locator('#messages .system-message', { hasText: 'Connecté au serveur' }).waitFor()
    return page
  }

  const userCount = (page: Page) => page.locator('#userCount').textContent()
  const systemLines = (page: Page) => texts(page.locator('#messages .system-message'))
  const chatLines = (page: Page) => texts(page.locator('#messages .message:not(.system-message)'))

  /** Resolves once the hub has processed the close of the page's socket. */
  async function closeAndWaitForHub(page: Page): Promise<void> {
    const socketId = (await page.evaluate('socket.id')) as string
    expect(socketId).toEqual(expect.any(String))
    await page.close()
    await harness.hub.waitForLog((l) => l.msg === 'socket closed' && l.socketId === socketId)
  }

  it('lets two people chat, shows who joined and how many are online, and who left', async () => {
    const alice = await openChat(await newContext(), 'Alice')
    await eventually(() => userCount(alice)).toBe('1')
    await eventually(() => systemLines(alice)).toContain('Alice a rejoint le chat')

    const bob = await openChat(await newContext(), 'Bob')
    await eventually(() => userCount(bob)).toBe('2')
    await eventually(() => userCount(alice)).toBe('2')
    await eventually(() => systemLines(alice)).toContain('Bob a rejoint le chat')

    await alice.locator('#messageInput').fill('Salut Bob !')
    await alice.locator('#messageInput').press('Enter')
    await eventually(() => chatLines(bob)).toHaveLength(1)
    const [line] = await chatLines(bob)
    // `[${new Date(timestamp).toLocaleTimeString()}] username: message`
    expect(line).toMatch(/^\[[^\]]+\] Alice: Salut Bob !$/)
    expect(line).not.toContain('Invalid Date')
    await eventually(() => chatLines(alice)).toEqual([line])
    expect(await alice.locator('#messageInput').inputValue()).toBe('')

    await bob.locator('#messageInput').fill('Bonjour Alice')
    await bob.locator('button[type="submit"]').click()
    await eventually(() => chatLines(alice)).toHaveLength(2)
    expect((await chatLines(alice))[1]).toMatch(/^\[[^\]]+\] Bob: Bonjour Alice$/)

    await bob.close()
    await eventually(() => systemLines(alice)).toContain('Bob a quitté le chat')
    await eventually(() => userCount(alice)).toBe('1')
  })

  it('counts two tabs under one name as one user, and says user-left only when the last tab closes', async () => {
    const aliceContext = await newContext()
    const alice1 = await openChat(aliceContext, 'Alice')
    const bob = await openChat(await newContext(), 'Bob')
    await eventually(() => userCount(alice1)).toBe('2')
    await eventually(() => userCount(bob)).toBe('2')

    const alice2 = await openChat(aliceContext, 'Alice')
    // Once the second tab receives a room message, its join has been processed: any
    // user-joined it caused would already have reached the other tabs.
    await bob.locator('#messageInput').fill('ping')
    await bob.locator('#messageInput').press('Enter')
    await eventually(() => chatLines(alice2)).toHaveLength(1)
    expect(await userCount(alice1)).toBe('2')
    expect(await userCount(bob)).toBe('2')
    expect((await systemLines(alice1)).filter((l) => l === 'Alice a rejoint le chat')).toHaveLength(1)
    expect(await systemLines(bob)).not.toContain('Alice a rejoint le chat')

    await closeAndWaitForHub(alice2)
    const carol = await openChat(await newContext(), 'Carol')
    await eventually(() => userCount(carol)).toBe('3')
    await eventually(() => userCount(bob)).toBe('3')
    expect(await systemLines(bob)).not.toContain('Alice a quitté le chat')

    await closeAndWaitForHub(alice1)
    await eventually(() => systemLines(bob)).toContain('Alice a quitté le chat')
    await eventually(() => userCount(bob)).toBe('2')
    await eventually(() => userCount(carol)).toBe('2')
  })

  it('shows the current user count in a second tab opened under a name already online', async () => {
    const aliceContext = await newContext()
    const alice1 = await openChat(aliceContext, 'Alice')
    const bob = await openChat(await newContext(), 'Bob')
    await eventually(() => userCount(alice1)).toBe('2')

    const alice2 = await openChat(aliceContext, 'Alice')
    await bob.locator('#messageInput').fill('ping')
    await bob.locator('#messageInput').press('Enter')
    await eventually(() => chatLines(alice2)).toHaveLength(1)
    // "Utilisateurs connectés" is 2 (Alice and Bob) for every tab, including the new one.
    await eventually(() => userCount(alice2)).toBe('2')
  })
})

describe("the tutorial's first client (Client HTML)", { timeout: 90_000 }, () => {
  it('logs the connection and the welcome greeting to the console', async () => {
    // What the hub greets every connection with, as a 4.5.4 client in Node receives it.
    const probe = connect454(harness.hub.url, { transports: ['websocket'], forceNew: true })
    let greeting: string
    try {
      greeting = await new Promise<string>((resolve) => probe.once('welcome', resolve))
    } finally {
      probe.disconnect()
    }
    expect(greeting.length).toBeGreaterThan(0)

    const page = await (await newContext()).newPage()
    const logged: string[] = []
    page.on('console', (msg) => {
      if (msg.type() === 'log') logged.push(msg.text())
    })
    await page.goto(`${harness.site.url}/simple.html`)
    await eventually(() => logged).toContain(greeting)
    const connected = logged.find((l) => l.startsWith("Connecté au serveur avec l'ID:"))
    expect(connected).toMatch(/^Connecté au serveur avec l'ID: \S+$/)
  })

  it('echoes a message to every connected page, the sender included', async () => {
    const context = await newContext()
    const [a, b] = [await context.newPage(), await context.newPage()]
    const welcomed = (page: Page) =>
      new Promise<void>((resolve) =>
        page.on('console', (msg) => {
          if (msg.text().startsWith("Connecté au serveur avec l'ID:")) resolve()
        }),
      )
    const ready = [welcomed(a), welcomed(b)]
    await Promise.all([a.goto(`${harness.site.url}/simple.html`), b.goto(`${harness.site.url}/simple.html`)])
    await Promise.all(ready)

    await a.locator('#messageInput').fill('Bonjour à tous')
    await a.locator('#sendButton').click()
    await eventually(() => texts(b.locator('#messages p'))).toEqual(['Bonjour à tous'])
    await eventually(() => texts(a.locator('#messages p'))).toEqual(['Bonjour à tous'])
    expect(await a.locator('#messageInput').inputValue()).toBe('')

    await b.locator('#messageInput').fill('<b>pas du HTML</b>')
    await b.locator('#sendButton').click()
    await eventually(() => texts(a.locator('#messages p'))).toEqual(['Bonjour à tous', '<b>pas du HTML</b>'])
  })
})
