import { inboxQuerySchema } from '../../shared/index.js'
import type { HandlerContext } from './handle.js'
import { noInbox, refusal } from './replies.js'

const firstPage = inboxQuerySchema.parse({})

/** `inbox` (a page), `inbox-read` and `inbox-read-all`; all need a connection that is someone. */
export function registerInboxHandlers(context: HandlerContext): void {
  const { bus, store, on, schemas } = context
  // One count for the ack and for every other tab of the user.
  const readStateChanged = async (userId: string) => {
    const unread = await store.unreadCount(userId)
    bus.emit('inbox:read-state-changed', { userId, unread })
    return { ok: true as const, unread }
  }

  on('inbox', ['query'], schemas.inbox, async (socket, [query = firstPage]) => {
    const userId = socket.data.userId
    if (userId === undefined) return noInbox(context, 'inbox')
    return { ok: true, ...(await store.inbox(userId, query)) }
  })

  on('inbox-read', ['id'], schemas.inboxRead, async (socket, [id]) => {
    const userId = socket.data.userId
    if (userId === undefined) return noInbox(context, 'inbox-read')
    if (!(await store.markRead(userId, id))) {
      return refusal({ code: 'not_found', message: `inbox-read: no notification ${id} in this inbox` })
    }
    return readStateChanged(userId)
  })

  on('inbox-read-all', [], schemas.none, async (socket) => {
    const userId = socket.data.userId
    if (userId === undefined) return noInbox(context, 'inbox-read-all')
    await store.markAllRead(userId)
    return readStateChanged(userId)
  })
}
