import { describe, expect, it } from 'vitest'
import { collect, connectClient, nextEvent } from '../helpers/clients.js'
import { useHub } from '../helpers/use-hub.js'

// A visitor who has not joined (no name) watches a room: its history, then its live messages,
// without anybody being told and without being able to post.
describe('watch', () => {
  const hub = useHub()

  it("sends a nameless connection the room's history and live messages until it unwatches", async () => {
    const member = await connectClient(hub.url, { auth: { username: 'mia' } })
    await member.emitWithAck('join', 'mia', 'lobby')
    await member.emitWithAck('chat-message', 'before the visitor', 'lobby')
    const arrivals = collect(member, 'room-joined')

    const visitor = await connectClient(hub.url)
    const history = nextEvent(visitor, 'chat-history')
    expect(await visitor.emitWithAck('watch', 'lobby')).toEqual({ ok: true, room: 'lobby' })
    expect(await history).toMatchObject({ room: 'lobby', messages: [{ message: 'before the visitor', username: 'mia' }] })

    const live = nextEvent(visitor, 'chat-message')
    await member.emitWithAck('chat-message', 'while watched', 'lobby')
    expect(await live).toMatchObject({ room: 'lobby', message: 'while watched' })
    // Watching is not joining: nobody was told, and posting is refused.
    expect(await visitor.emitWithAck('chat-message', 'hello?', 'lobby')).toMatchObject({
      ok: false,
      error: { code: 'not_joined' },
    })

    expect(await visitor.emitWithAck('unwatch', 'lobby')).toEqual({ ok: true, room: 'lobby' })
    const after = collect(visitor, 'chat-message')
    const sent = nextEvent(member, 'chat-message', (m) => m.message === 'after unwatch')
    await member.emitWithAck('chat-message', 'after unwatch', 'lobby')
    await sent
    // A round trip on the visitor's connection comes after anything the hub sent it before.
    await visitor.emitWithAck('unwatch', 'lobby')
    expect(after).toEqual([])
    expect(arrivals).toEqual([])
  })

  it('refuses a room name outside the rules, saying what is allowed', async () => {
    const visitor = await connectClient(hub.url)
    const answer = await visitor.emitWithAck('watch', 'no spaces allowed')
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
  })
})
