import { describe, expect, it } from 'vitest'
import { postNotification } from '../helpers/browser.js'
import { connectClient, nextEvent } from '../helpers/clients.js'
import { useHub } from '../helpers/use-hub.js'

// A new user's inbox starts at their first connection: the broadcasts stored before it are
// history to them, not a wall of unread notifications.
describe('a new user', () => {
  // Inboxes are per user: in open mode, only with user targets on.
  const hub = useHub({ TIDINGS_OPEN_USER_TARGETS: 'true' })

  it('starts with nothing unread from before their first connection, and counts what comes after', async () => {
    for (const title of ['Old news', 'Older news']) expect((await postNotification(hub, { title })).status).toBe(202)

    const socket = await connectClient(hub.url, { auth: { username: 'newcomer' } })
    // The start is written as the connection is identified, alongside its first requests.
    const unread = () => socket.emitWithAck('inbox', { limit: 10 }).then((p) => (p.ok ? p.unread : p.error.code))
    await expect.poll(unread, { timeout: 5_000 }).toBe(0)

    const delivered = nextEvent(socket, 'notification')
    expect((await postNotification(hub, { title: 'Fresh news' })).status).toBe(202)
    await delivered
    const page = await socket.emitWithAck('inbox', { limit: 10 })
    expect(page).toMatchObject({ ok: true, unread: 1 })
    if (!page.ok) return
    expect(page.entries.map((e) => [e.notification.title, e.read])).toEqual([
      ['Fresh news', false],
      ['Older news', true],
      ['Old news', true],
    ])

    // A second connection later does not move the start.
    socket.disconnect()
    const again = await connectClient(hub.url, { auth: { username: 'newcomer' } })
    expect(await again.emitWithAck('inbox', { limit: 1 })).toMatchObject({ ok: true, unread: 1 })
  })
})
