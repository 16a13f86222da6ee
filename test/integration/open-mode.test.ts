import { describe, expect, it } from 'vitest'
import { connectClient, nextEvent, postNotify, request } from '../helpers/clients.js'
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
