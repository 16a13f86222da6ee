import { io as connect, type Socket } from 'socket.io-client'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startHub, type HubProcess } from '../helpers/hub-process.js'
import { PAYLOAD_ENV, openControl, openRaw, type Control } from './support.js'

let hub: HubProcess
let control: Control
let client: Socket

beforeAll(async () => {
  hub = await startHub(PAYLOAD_ENV)
  control = await openControl(hub)
  client = connect(hub.url, { transports: ['websocket'], reconnection: false, forceNew: true })
  await new Promise<void>((resolve) => client.once('connect', () => resolve()))
})
beforeEach(() => control.mark())
afterAll(async () => {
  client?.disconnect()
  control?.close()
  await hub?.stop()
})

const EVENTS = ['join', 'identify', 'leave', 'chat-message', 'message', 'subscribe', 'unsubscribe'] as const
const huge = 'h'.repeat(60 * 1024)
const nested = (depth: number): unknown => {
  let value: unknown = 'x'
  for (let i = 0; i < depth; i++) value = [value]
  return value
}
// Wrong types, empty, and oversized values for the first (required, string) argument.
const BAD_ARGS: [string, unknown[]][] = [
  ['no arguments', []],
  ['a number', [42]],
  ['null', [null]],
  ['an object', [{ toString: 'foo' }]],
  ['an array', [['a']]],
  ['a boolean', [true]],
  ['an empty string', ['']],
  ['only spaces', ['   ']],
  ['a 60 KB string', [huge]],
  ['200 levels of nesting', [nested(200)]],
]

describe('every client event with bad arguments', () => {
  for (const event of EVENTS) {
    it.each(BAD_ARGS)(`${event} with %s → {ok:false} ack`, async (_name, args) => {
      const ack = (await client.timeout(5000).emitWithAck(event, ...(args as [never]))) as {
        ok: boolean
        error: { code: string; message: string }
      }
      expect(ack.ok).toBe(false)
      expect(ack.error.code).toBe('invalid_request')
      expect(ack.error.message.startsWith(`${event}:`)).toBe(true)
      // The refusal names the problem, never echoes the hostile value back.
      expect(ack.error.message.length).toBeLessThan(500)
    })

    it(`${event} with bad arguments and no ack → hub-error naming the event`, async () => {
      const hubError = new Promise((resolve) => client.once('hub-error', resolve))
      client.emit(event, { toString: 'foo' })
      expect(await hubError).toMatchObject({ code: 'invalid_request', event })
      await control.assertServing()
    })
  }

  it('a valid second argument of the wrong type is refused, naming it', async () => {
    const ack = (await client.emitWithAck('join', 'alice', { room: 'x' })) as { ok: false; error: { details: { path: string }[] } }
    expect(ack.ok).toBe(false)
    expect(ack.error.details.map((d) => d.path)).toContain('room')
  })

  it('chat-message before join → not_joined', async () => {
    const fresh = connect(hub.url, { transports: ['websocket'], reconnection: false, forceNew: true })
    await new Promise<void>((resolve) => fresh.once('connect', () => resolve()))
    expect(await fresh.emitWithAck('chat-message', 'hello')).toMatchObject({ ok: false, error: { code: 'not_joined' } })
    fresh.disconnect()
  })

  it('a non-function where the ack would be is treated as an argument, not called', async () => {
    const raw = await openRaw(hub)
    raw.ws.send('4231["subscribe","topic-a",{"not":"a function"}]')
    const ack = await raw.waitFor((f) => f.startsWith('4331['))
    expect(JSON.parse(ack.slice(4))).toMatchObject([{ ok: false }])
    raw.ws.terminate()
    await control.assertServing()
  })

  it('a thousand refused events in a burst leave the hub serving', async () => {
    for (let i = 0; i < 1000; i++) client.emit(EVENTS[i % EVENTS.length]!, i)
    // Packets are handled in order: this answer comes after all thousand refusals.
    expect(await client.emitWithAck('subscribe', 'after-burst')).toMatchObject({ ok: true })
    await control.assertServing()
  })
})
