import fc from 'fast-check'
import { io as connect, type Socket } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHub, type HubProcess } from '../helpers/hub-process.js'
import { assertHealthy, PAYLOAD_ENV, openControl, type Control } from './support.js'

const SEED = 20_241_129
const RUNS = 200
const EVENTS = ['join', 'identify', 'leave', 'chat-message', 'message', 'subscribe', 'unsubscribe'] as const

let hub: HubProcess
let control: Control
let client: Socket

const open = async () => {
  const socket = connect(hub.url, { transports: ['websocket'], reconnection: false, forceNew: true })
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()))
  return socket
}

beforeAll(async () => {
  hub = await startHub(PAYLOAD_ENV)
  control = await openControl(hub)
  client = await open()
})
afterAll(async () => {
  client?.disconnect()
  control?.close()
  await hub?.stop()
})

// Plausible-looking values mixed with hostile ones: strings near the limits, markup, control
// and invisible characters, and arbitrary JSON up to a modest depth (the client library's own
// encoder recurses, so depth is bounded here; deep nesting is covered with raw frames).
const text = fc.oneof(
  fc.string({ maxLength: 50 }),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.constantFrom('general', 'lobby', '<b>x</b>', '\u202E', '\u0000', '__proto__', 'constructor', ' ', ''),
  fc.nat({ max: 3000 }).map((n) => 'x'.repeat(n)),
)
const argument = fc.oneof(text, fc.jsonValue({ maxDepth: 4 }), fc.constant(undefined))
const emission = fc.record({
  event: fc.oneof(fc.constantFrom(...EVENTS), fc.string({ maxLength: 20 })),
  args: fc.array(argument, { maxLength: 4 }),
  withAck: fc.boolean(),
})

describe('seeded fuzz of client event payloads', () => {
  it(`${RUNS} runs never crash the hub or log an error`, async () => {
    await fc.assert(
      fc.asyncProperty(emission, async ({ event, args, withAck }) => {
        if (!client.connected) client = await open()
        const known = (EVENTS as readonly string[]).includes(event)
        if (withAck && known) {
          const ack = (await client.timeout(5000).emitWithAck(event, ...(args as [never]))) as { ok: boolean }
          expect(typeof ack.ok).toBe('boolean')
        } else {
          client.emit(event, ...(args as [never]))
          // In-order handling: once this answer arrives, the hub has dealt with the emission.
          expect(await client.timeout(5000).emitWithAck('unsubscribe', 'fuzz-sync')).toMatchObject({ ok: true })
        }
        expect(hub.isRunning()).toBe(true)
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    )
    await control.assertServing()
    assertHealthy(hub)
  })
})
