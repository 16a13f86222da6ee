import { io as connect, type Socket } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ChatMessage, Notification } from '../../shared/index.js'
import { startHub, type HubProcess } from '../helpers/hub-process.js'
import { HOSTILE_ENV, notify, openControl, type Control } from './support.js'

// Markup and tricky characters are data: the hub must deliver them byte for byte, and the
// components render them as text (covered by the browser suite). Escaping here would corrupt
// legitimate text and give a false sense of safety to other clients.
const NASTY = [
  '<img src=x onerror=alert(1)>',
  '<script>alert("x")</script>',
  'javascript:alert(1)',
  '[click](javascript:alert(1))',
  '"><svg/onload=alert(1)>',
  'abc\u202Eevil\u202Cdef', // right-to-left override
  'a\u200Bb\u200Cc\u200Dd\u2060e', // zero-width characters
  '\u2066isolate\u2069 and \u061C arabic mark',
  '{{constructor.constructor("alert(1)")()}}',
  '&lt;already-escaped&gt; &amp;',
]
const NAMES = ['<b>bob</b>', 'ev\u202Eil', 'zero\u200Bwidth', 'javascript:x', '"quoted"']

let hub: HubProcess
let control: Control
let alice: Socket
let bob: Socket

const open = async () => {
  const socket = connect(hub.url, { transports: ['websocket'], reconnection: false, forceNew: true })
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()))
  return socket
}

beforeAll(async () => {
  hub = await startHub(HOSTILE_ENV)
  control = await openControl(hub)
  alice = await open()
  bob = await open()
  expect(await bob.emitWithAck('join', 'watcher', 'lobby')).toMatchObject({ ok: true })
})
afterAll(async () => {
  alice?.disconnect()
  bob?.disconnect()
  control?.close()
  await hub?.stop()
})

describe('markup and invisible characters pass through unchanged', () => {
  it.each(NAMES)('the name %j is accepted and announced as given', async (name) => {
    const joined = new Promise<{ username: string }>((resolve) => {
      const on = (change: { username: string }) => {
        if (change.username !== name) return
        bob.off('room-joined', on)
        resolve(change)
      }
      bob.on('room-joined', on)
    })
    expect(await alice.emitWithAck('join', name, 'lobby')).toMatchObject({ ok: true, username: name })
    expect((await joined).username).toBe(name)
  })

  it.each(NASTY)('the chat message %j arrives byte for byte', async (text) => {
    await alice.emitWithAck('join', '<i>alice</i>', 'lobby')
    const received = new Promise<ChatMessage>((resolve) => {
      const on = (m: ChatMessage) => {
        if (m.message !== text) return
        bob.off('chat-message', on)
        resolve(m)
      }
      bob.on('chat-message', on)
    })
    expect(await alice.emitWithAck('chat-message', text, 'lobby')).toMatchObject({ ok: true })
    expect(await received).toMatchObject({ message: text, username: '<i>alice</i>', room: 'lobby' })
  })

  it.each(NASTY)('the echo message %j arrives byte for byte', async (text) => {
    const received = new Promise<string>((resolve) => {
      const on = (m: string) => {
        if (m !== text) return
        bob.off('message', on)
        resolve(m)
      }
      bob.on('message', on)
    })
    await alice.emitWithAck('message', text)
    expect(await received).toBe(text)
  })

  it('a notification with markup in every text field arrives unchanged', async () => {
    const title = NASTY[0]!
    const received = new Promise<Notification>((resolve) => {
      const on = (n: Notification) => {
        if (n.title !== title) return
        control.socket.off('notification', on)
        resolve(n)
      }
      control.socket.on('notification', on)
    })
    const body = NASTY.join('\n')
    const data = { link: 'javascript:alert(1)', html: '<a href="javascript:x">x</a>', bidi: NASTY[5] }
    expect((await notify(hub, { title, body, data })).status).toBe(202)
    expect(await received).toMatchObject({ title, body, data })
    await control.assertServing()
  })
})
