import { io } from 'socket.io-client'
import { afterEach, describe, expect, it } from 'vitest'
import type { Notification } from '../../shared/index.js'
import { closeAllClients, connectClient, nextEvent, postNotify, request } from '../helpers/clients.js'
import { startHub, type HubProcess } from '../helpers/hub-process.js'
import { useHub } from '../helpers/use-hub.js'

// Open mode: names are self-declared, so whoever claims "alice" is alice as far as the hub knows.
describe('open mode, by default', () => {
  const hub = useHub()

  it('says at start that per-user notifications are off and how to turn them on', async () => {
    const line = await hub.waitForLog((l) => typeof l.msg === 'string' && l.msg.startsWith('open mode'))
    expect(line.level).toBe(40)
    expect(line.msg).toContain('per-user notifications and inboxes are off (TIDINGS_OPEN_USER_TARGETS=true turns them on)')
  })

  it('refuses a notification to a user with its own code, naming the setting', async () => {
    const res = await postNotify(hub.url, hub.apiKey, { title: 'Your export is ready', user: 'alice' })
    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe('user_targets_disabled')
    expect(res.body.error.message).toContain('TIDINGS_OPEN_USER_TARGETS=true')
    expect(res.body.error.details).toEqual([{ path: 'user', message: expect.stringContaining('TIDINGS_OPEN_USER_TARGETS') }])
    // Everyone and topics still work.
    expect((await postNotify(hub.url, hub.apiKey, { title: 'Deploy finished' })).status).toBe(202)
  })

  it('answers inbox events with the same clear error, whatever name the connection claims', async () => {
    const claimant = await connectClient(hub.url, { auth: { username: 'alice' } })
    for (const [event, ...args] of [['inbox', {}], ['inbox-read-all'], ['follow', 'deploys'], ['unfollow', 'deploys']] as const) {
      const answer = await request(claimant, event, ...args)
      expect(answer, event).toMatchObject({ ok: false, error: { code: 'user_targets_disabled' } })
      expect(answer.error.message, event).toContain('TIDINGS_OPEN_USER_TARGETS=true')
    }
    // Chat under the claimed name is unaffected.
    expect(await request(claimant, 'join', 'alice', 'lobby')).toMatchObject({ ok: true, username: 'alice' })
  })
})

describe('open mode with TIDINGS_OPEN_USER_TARGETS=true', () => {
  const hub = useHub({ TIDINGS_OPEN_USER_TARGETS: 'true' })

  it('warns at start that names are unverified', async () => {
    const line = await hub.waitForLog((l) => typeof l.msg === 'string' && l.msg.startsWith('open mode'))
    expect(line).toMatchObject({ level: 40, openUserTargets: true })
    expect(line.msg).toContain('names are unverified')
  })

  it('delivers to the claimed name and keeps its inbox', async () => {
    const alice = await connectClient(hub.url, { auth: { username: 'alice' } })
    const delivered = nextEvent(alice, 'notification')
    const res = await postNotify(hub.url, hub.apiKey, { title: 'Your export is ready', user: 'alice' })
    expect(res.status).toBe(202)
    expect(await delivered).toMatchObject({ id: res.body.id, user: 'alice' })
    const inbox = await request(alice, 'inbox', {})
    expect(inbox).toMatchObject({ ok: true, unread: 1 })
  })
})

describe('open mode after user targets were turned off', () => {
  const hubs: HubProcess[] = []
  afterEach(async () => {
    closeAllClients()
    await Promise.all(hubs.splice(0).map((hub) => hub.stop()))
  })

  it("replays none of a name's stored notifications to whoever claims it with a cursor", async () => {
    const trusted = await startHub({ TIDINGS_OPEN_USER_TARGETS: 'true' })
    hubs.push(trusted)
    // Any id the hub has sent is a cursor: resume after this one.
    const before = await postNotify(trusted.url, trusted.apiKey, { title: 'Before' })
    const cursor = before.body.id as string
    expect((await postNotify(trusted.url, trusted.apiKey, { title: 'For alice only', user: 'alice' })).status).toBe(202)
    expect((await postNotify(trusted.url, trusted.apiKey, { title: 'For everyone' })).status).toBe(202)
    await trusted.stop()

    const open = await startHub({ TIDINGS_DB: trusted.dbPath })
    hubs.push(open)
    // Listening before connecting: the catch-up starts as soon as the connection is accepted.
    const claimant = io(open.url, { auth: { username: 'alice', since: cursor }, transports: ['websocket'], autoConnect: false })
    const received: Notification[] = []
    claimant.on('notification', (n: Notification) => received.push(n))
    const live = new Promise<void>((resolve) => claimant.on('notification', (n: Notification) => n.title === 'live' && resolve()))
    await new Promise<void>((resolve) => claimant.connect().once('connect', () => resolve()))
    expect((await postNotify(open.url, open.apiKey, { title: 'live' })).status).toBe(202)
    await live
    claimant.disconnect()
    // Live events come after the catch-up: by now everything it would replay has arrived.
    expect(received.map((n) => n.title)).toEqual(['For everyone', 'live'])
  })
})
