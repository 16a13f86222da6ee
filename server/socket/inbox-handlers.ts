import { z } from 'zod'
import { inboxQuerySchema, notificationIdSchema } from '../../shared/index.js'
import type { HandlerContext } from './handle.js'
import { needsName, refusal } from './replies.js'

/** `inbox` (a page), `inbox-read` and `inbox-read-all`; all need a named connection. */
export function registerInboxHandlers({ socket, bus, store, on }: HandlerContext): void {
  on('inbox', ['query'], z.tuple([inboxQuerySchema.optional()]), async ([query]) => {
    const username = socket.data.username
    if (username === undefined) return needsName('inbox')
    const { before, limit } = query ?? inboxQuerySchema.parse({})
    const [page, unread, followed] = await Promise.all([
      store.inbox(username, { before, limit }),
      store.unreadCount(username),
      store.followedTopics(username),
    ])
    return { ok: true, ...page, unread, followed }
  })

  on('inbox-read', ['id'], z.tuple([notificationIdSchema]), async ([id]) => {
    const username = socket.data.username
    if (username === undefined) return needsName('inbox-read')
    if (!(await store.markRead(username, id))) {
      return refusal({ code: 'not_found', message: `inbox-read: no notification ${id} in this inbox` })
    }
    bus.emit('inbox:read-state-changed', { username })
    return { ok: true, unread: await store.unreadCount(username) }
  })

  on('inbox-read-all', [], z.tuple([]), async () => {
    const username = socket.data.username
    if (username === undefined) return needsName('inbox-read-all')
    await store.markAllRead(username)
    bus.emit('inbox:read-state-changed', { username })
    return { ok: true, unread: await store.unreadCount(username) }
  })
}
