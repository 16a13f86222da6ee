import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { NotificationLevel } from '../../shared/index.js'
import {
  attributes,
  escapeHtml,
  eventually,
  postNotification,
  texts,
  type SocketTraffic,
} from '../helpers/browser.js'
import { useEmbeddingHarness } from '../helpers/embedding-harness.js'

// The embeddable components in real Chromium, on a page served from another origin than the
// hub (http://localhost:<port> vs http://127.0.0.1:<port>) that loads only the hub's module
// script. Locators use the components' `part` names, which are their public DOM contract;
// Playwright's CSS engine pierces their open shadow roots.

// A hub per test: user counts are hub-wide.
// Per-user notifications in open mode, as the demo has them (TIDINGS_OPEN_USER_TARGETS).
const harness = useEmbeddingHarness({ hubEnv: { TIDINGS_OPEN_USER_TARGETS: 'true' } })

const part = (page: Page, host: string, name: string) => page.locator(`${host} [part~="${name}"]`)
const chatState = (page: Page) => attributes(part(page, 'tidings-chat', 'status'), 'data-state')
const userCount = (page: Page) => texts(part(page, 'tidings-user-count', 'count')).then((t) => t.map((s) => s.trim()))

interface ShownMessage {
  author: string | undefined
  text: string | undefined
  datetime: string | null | undefined
}

/** The chat log's messages as the user sees them. */
const messages = (page: Page): Promise<ShownMessage[]> =>
  part(page, 'tidings-chat', 'message').evaluateAll((els) =>
    els.map((el) => {
      const q = (name: string) => el.querySelector(`[part~="${name}"]`)
      const time = q('time')
      const timeElement = time?.tagName === 'TIME' ? time : time?.querySelector('time')
      return {
        author: q('author')?.textContent?.trim(),
        text: q('text')?.textContent?.trim(),
        datetime: timeElement?.getAttribute('datetime'),
      }
    }),
  )

const systemMessages = (page: Page) => texts(part(page, 'tidings-chat', 'system-message'))

/** The toasts shown by the matching `<tidings-toasts>` elements, and which live region holds each. */
const toasts = (page: Page, host = 'tidings-toasts') =>
  part(page, host, 'toast').evaluateAll((els) =>
    els.map((el) => ({
      level: el.getAttribute('data-level'),
      title: el.querySelector('[part~="title"]')?.textContent?.trim(),
      body: el.querySelector('[part~="body"]')?.textContent?.trim(),
      region: el.closest('[part~="alert-region"]')
        ? 'alert-region'
        : el.closest('[part~="region"]')
          ? 'region'
          : null,
    })),
  )

/** Types `text` into the chat's composer and presses Enter. */
async function sendWithEnter(page: Page, text: string): Promise<void> {
  const input = part(page, 'tidings-chat', 'input')
  await input.fill(text)
  await input.press('Enter')
}

/** Waits until the page has sent a Socket.IO packet matching `pattern` to the hub. */
const hasSent = (traffic: SocketTraffic, pattern: RegExp) => eventually(() => traffic.sent.some((p) => pattern.test(p)))

describe('embedding', { timeout: 90_000 }, () => {
  it('needs only the module script: the components connect to the hub the script came from', async () => {
    const { page, socketRequests } = await harness.open(`
      <tidings-user-count></tidings-user-count>
      <tidings-chat username="alice"></tidings-chat>
      <tidings-toasts></tidings-toasts>`)

    await eventually(() => chatState(page)).toEqual(['connected'])
    await eventually(() => userCount(page)).toEqual(['1'])
    expect(socketRequests.length).toBeGreaterThan(0)
    const hubOrigin = new URL(harness.hub.url)
    for (const url of socketRequests) {
      const target = new URL(url)
      expect(`${target.hostname}:${target.port}`).toBe(`${hubOrigin.hostname}:${hubOrigin.port}`)
    }
    // The live regions are there before any toast, so screen readers announce later ones.
    expect(await attributes(part(page, 'tidings-toasts', 'region'), 'role')).toEqual(['status'])
    expect(await attributes(part(page, 'tidings-toasts', 'alert-region'), 'role')).toEqual(['alert'])
  })
})

describe('embedding on a hub that lists its allowed origins', { timeout: 90_000 }, () => {
  it('works from a listed origin', async () => {
    await harness.startHub({ TIDINGS_ORIGINS: harness.site.url })
    const { page } = await harness.open(
      '<tidings-user-count></tidings-user-count><tidings-chat username="alice"></tidings-chat>',
    )
    await eventually(() => chatState(page)).toEqual(['connected'])
    await eventually(() => userCount(page)).toEqual(['1'])
  })
})

describe('<tidings-chat> and <tidings-user-count>', { timeout: 90_000 }, () => {
  it('lets two people name themselves in the component and chat, with the user count following', async () => {
    const body = '<tidings-user-count></tidings-user-count><tidings-chat></tidings-chat>'
    const { page: alice } = await harness.open(body)
    await eventually(() => chatState(alice)).toEqual(['connected'])
    await eventually(() => userCount(alice)).toEqual(['0'])
    expect((await texts(part(alice, 'tidings-user-count', 'label'))).join('').trim()).not.toBe('')

    // No username attribute: the component asks for a name.
    await part(alice, 'tidings-chat', 'name-form').waitFor()
    await part(alice, 'tidings-chat', 'name-input').fill('Alice')
    await part(alice, 'tidings-chat', 'name-button').click()
    await part(alice, 'tidings-chat', 'name-form').waitFor({ state: 'hidden' })
    await eventually(() => userCount(alice)).toEqual(['1'])

    const { page: bob } = await harness.open(body)
    await part(bob, 'tidings-chat', 'name-input').fill('Bob')
    await part(bob, 'tidings-chat', 'name-input').press('Enter')
    await part(bob, 'tidings-chat', 'name-form').waitFor({ state: 'hidden' })
    await eventually(() => userCount(bob)).toEqual(['2'])
    await eventually(() => userCount(alice)).toEqual(['2'])
    await eventually(() => systemMessages(alice).then((lines) => lines.filter((l) => l.includes('Bob')))).toHaveLength(
      1,
    )

    const input = part(alice, 'tidings-chat', 'input')
    expect(await input.getAttribute('maxlength')).toBe('2000')
    expect(await part(alice, 'tidings-chat', 'composer').evaluate((el) => el.tagName)).toBe('FORM')
    expect(await part(alice, 'tidings-chat', 'log').getAttribute('role')).toBe('log')
    await input.fill('Salut Bob')
    await eventually(() => texts(part(alice, 'tidings-chat', 'counter'))).toEqual([expect.stringMatching(/\b1991\b/)])
    const before = Date.now()
    await input.press('Enter')
    await eventually(() => messages(bob)).toHaveLength(1)
    const [received] = await messages(bob)
    expect(received).toMatchObject({ author: 'Alice', text: 'Salut Bob' })
    expect(received!.datetime).toEqual(expect.any(String))
    const sentAt = Date.parse(received!.datetime!)
    expect(sentAt).toBeGreaterThanOrEqual(before - 5_000)
    expect(sentAt).toBeLessThanOrEqual(Date.now() + 5_000)
    await eventually(() => messages(alice)).toEqual([received])
    expect(await input.inputValue()).toBe('')
    await eventually(() => texts(part(alice, 'tidings-chat', 'counter'))).toEqual([expect.stringMatching(/\b2000\b/)])

    await part(bob, 'tidings-chat', 'input').fill('Bonjour Alice')
    await part(bob, 'tidings-chat', 'send-button').click()
    await eventually(() => messages(alice).then((m) => m.map(({ author, text }) => ({ author, text })))).toEqual([
      { author: 'Alice', text: 'Salut Bob' },
      { author: 'Bob', text: 'Bonjour Alice' },
    ])

    await bob.close()
    await eventually(() => userCount(alice)).toEqual(['1'])
    await eventually(() => systemMessages(alice).then((lines) => lines.filter((l) => l.includes('Bob')))).toHaveLength(
      2,
    )
  })

  it('shows markup typed into the chat as text and never runs it', async () => {
    const attacker = '<u>Mallory</u>'
    const payloads = ['<img src=x onerror="window.__pwned=1">', '<b>bold</b>']
    const { page: mallory } = await harness.open(`<tidings-chat username="${escapeHtml(attacker)}"></tidings-chat>`)
    const { page: victim } = await harness.open('<tidings-chat username="victim"></tidings-chat>')
    await eventually(() => chatState(mallory)).toEqual(['connected'])
    await eventually(() => chatState(victim)).toEqual(['connected'])
    // Both are in the room once the victim is told that Mallory is (or was already) there, or
    // Mallory is told about the victim.
    await eventually(async () => [...(await systemMessages(mallory)), ...(await systemMessages(victim))].join('\n'))
      .toContain('victim')

    for (const payload of payloads) await sendWithEnter(mallory, payload)

    for (const page of [victim, mallory]) {
      await eventually(() => messages(page)).toHaveLength(2)
      const shown = await messages(page)
      expect(shown.map((m) => m.text)).toEqual(payloads)
      expect(shown.map((m) => m.author)).toEqual([attacker, attacker])
      const log = part(page, 'tidings-chat', 'log')
      expect(await log.getAttribute('role')).toBe('log')
      expect(await log.locator('img').count()).toBe(0)
      expect(await log.locator('b').count()).toBe(0)
      expect(await log.locator('u').count()).toBe(0)
      expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined()
    }
  })
})

describe('<tidings-chat> refused by the hub', { timeout: 90_000 }, () => {
  it('shows the refusal in its error part', async () => {
    // 41 characters: one more than the hub accepts for a display name.
    const { page } = await harness.open(`<tidings-chat username="${'n'.repeat(41)}"></tidings-chat>`)
    await eventually(() => chatState(page)).toEqual(['connected'])
    await eventually(() => texts(part(page, 'tidings-chat', 'error')).then((t) => t.join('').trim())).not.toBe('')
  })
})

describe('<tidings-toasts>', { timeout: 90_000 }, () => {
  it('shows a toast per notification, by level, and closes one with its close button', async () => {
    const { page, traffic } = await harness.open('<tidings-toasts max="10" duration="60000"></tidings-toasts>')
    expect(await attributes(part(page, 'tidings-toasts', 'region'), 'role')).toEqual(['status'])
    expect(await attributes(part(page, 'tidings-toasts', 'alert-region'), 'role')).toEqual(['alert'])
    expect(await toasts(page)).toEqual([])
    // Connected once the hub's greeting has arrived: from then on, broadcasts reach the page.
    await eventually(() => traffic.received.some((p) => p.includes('"welcome"'))).toBe(true)

    const levels: NotificationLevel[] = ['info', 'success', 'warning', 'error']
    for (const level of levels) {
      const res = await postNotification(harness.hub, { title: `A ${level} title`, body: `The ${level} body`, level })
      expect(res.status).toBe(202)
    }
    await eventually(() => toasts(page)).toHaveLength(4)
    const shown = await toasts(page)
    for (const level of levels) {
      expect(shown).toContainEqual({
        level,
        title: `A ${level} title`,
        body: `The ${level} body`,
        region: level === 'error' ? 'alert-region' : 'region',
      })
    }

    await part(page, 'tidings-toasts', 'toast')
      .filter({ hasText: 'A success title' })
      .locator('[part~="close-button"]')
      .click()
    await eventually(() => toasts(page).then((t) => t.map((x) => x.level).sort())).toEqual(['error', 'info', 'warning'])

    await part(page, 'tidings-toasts', 'toast')
      .filter({ hasText: 'A error title' })
      .locator('[part~="close-button"]')
      .click()
    await eventually(() => toasts(page).then((t) => t.map((x) => x.level).sort())).toEqual(['info', 'warning'])
  })

  it('shows only the notifications of its topic when it has one', async () => {
    const { page, traffic } = await harness.open(`
      <tidings-toasts id="deploys" topic="deploys" duration="60000"></tidings-toasts>
      <tidings-toasts id="billing" topic="billing" duration="60000"></tidings-toasts>`)
    await hasSent(traffic, /\["subscribe","deploys"/).toBe(true)
    await hasSent(traffic, /\["subscribe","billing"/).toBe(true)

    expect((await postNotification(harness.hub, { title: 'Invoice overdue', topic: 'billing' })).status).toBe(202)
    expect(
      (await postNotification(harness.hub, { title: 'Deploy started', topic: 'deploys', level: 'warning' })).status,
    ).toBe(202)
    // A topic nobody on the page follows: never shown.
    expect((await postNotification(harness.hub, { title: 'Someone else', topic: 'elsewhere' })).status).toBe(202)

    await eventually(() => toasts(page, '#billing')).toHaveLength(1)
    await eventually(() => toasts(page, '#deploys')).toHaveLength(1)
    expect((await toasts(page, '#billing'))[0]).toMatchObject({ title: 'Invoice overdue', level: 'info' })
    expect((await toasts(page, '#deploys'))[0]).toMatchObject({ title: 'Deploy started', level: 'warning' })
    // Both notifications were delivered to the page; each element kept only its own topic.
    expect((await toasts(page)).map((t) => t.title).sort()).toEqual(['Deploy started', 'Invoice overdue'])
  })
})

describe('<tidings-toasts username>', { timeout: 90_000 }, () => {
  it('shows the notifications addressed to its user and not those addressed to someone else', async () => {
    const carol = await harness.open('<tidings-toasts username="carol" duration="60000"></tidings-toasts>')
    const dave = await harness.open('<tidings-toasts username="dave" duration="60000"></tidings-toasts>')
    // The hub tells every connection when a user comes online, after putting that user's
    // connection where user-addressed notifications are delivered.
    const online = (traffic: SocketTraffic, name: string) =>
      eventually(() => traffic.received.some((p) => p.includes('"user-joined"') && p.includes(`"${name}"`)))
    await online(carol.traffic, 'carol').toBe(true)
    await online(dave.traffic, 'dave').toBe(true)

    expect((await postNotification(harness.hub, { title: 'For Dave', user: 'dave' })).status).toBe(202)
    expect((await postNotification(harness.hub, { title: 'For Carol', user: 'carol', level: 'success' })).status).toBe(
      202,
    )

    await eventually(() => toasts(carol.page)).toHaveLength(1)
    await eventually(() => toasts(dave.page)).toHaveLength(1)
    expect((await toasts(carol.page))[0]).toMatchObject({ title: 'For Carol', level: 'success' })
    expect((await toasts(dave.page))[0]).toMatchObject({ title: 'For Dave', level: 'info' })
  })
})

describe('a hub restart', { timeout: 90_000 }, () => {
  it('shows reconnecting while the hub is down, then reconnects and re-joins the room without a reload', async () => {
    const body = (name: string) => `<tidings-chat username="${name}" room="ops"></tidings-chat>`
    const alice = await harness.open(body('alice'))
    const bob = await harness.open(body('bob'))
    for (const { page } of [alice, bob]) await eventually(() => chatState(page)).toEqual(['connected'])

    await sendWithEnter(alice.page, 'before the restart')
    await eventually(() => messages(bob.page).then((m) => m.map((x) => x.text))).toEqual(['before the restart'])

    const port = harness.hub.port
    const joinsBefore = [alice, bob].map(({ traffic }) => traffic.sent.filter((p) => /\["join",/.test(p)).length)
    await harness.hub.stop()
    for (const { page } of [alice, bob]) await eventually(() => chatState(page)).toEqual(['reconnecting'])

    await harness.startHub({ PORT: String(port) })
    for (const { page } of [alice, bob]) await eventually(() => chatState(page), 20_000).toEqual(['connected'])
    // Each page enters the room again by itself (the new hub process knows nobody).
    for (const [i, { traffic }] of [alice, bob].entries()) {
      await eventually(() => traffic.sent.filter((p) => /\["join",/.test(p)).length).toBeGreaterThan(joinsBefore[i]!)
    }

    await sendWithEnter(alice.page, 'after the restart')
    await eventually(() => messages(bob.page).then((m) => m.map((x) => x.text))).toEqual([
      'before the restart',
      'after the restart',
    ])
    expect(await part(bob.page, 'tidings-chat', 'message').last().locator('[part~="author"]').textContent()).toContain(
      'alice',
    )
    expect((await texts(part(alice.page, 'tidings-chat', 'error'))).join('').trim()).toBe('')
  })
})
