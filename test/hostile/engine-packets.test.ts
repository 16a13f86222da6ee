import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startHub, type HubProcess } from '../helpers/hub-process.js'
import { HOSTILE_ENV, openControl, openRaw, probeOutcome, type Control, type RawSocket } from './support.js'

let hub: HubProcess
let control: Control
const raws: RawSocket[] = []

beforeAll(async () => {
  hub = await startHub(HOSTILE_ENV)
  control = await openControl(hub)
})
beforeEach(() => control.mark())
afterEach(() => {
  for (const raw of raws.splice(0)) raw.ws.terminate()
})
afterAll(async () => {
  control?.close()
  await hub?.stop()
})

async function raw(): Promise<RawSocket> {
  const socket = await openRaw(hub)
  raws.push(socket)
  return socket
}

/**
 * Sends the frames on a fresh raw connection and reports how the hub dealt with them: it hung
 * up ('closed'), or it ignored them and still answers ('alive'). Either is a refusal; a crash,
 * an error log or a stuck connection is not.
 */
async function send(...frames: (string | Buffer)[]): Promise<'closed' | 'alive'> {
  const socket = await raw()
  for (const frame of frames) socket.ws.send(frame)
  const outcome = await probeOutcome(socket, 777)
  await control.assertServing()
  return outcome
}

describe('malformed Engine.IO / Socket.IO packets over a raw WebSocket', () => {
  it.each([
    ['an unterminated event', '442["some","data"'],
    ['an event whose name is an object', '42[{"toString":"foo"}]'],
    ['an unknown Engine.IO packet type', '999'],
    ['an unknown Socket.IO packet type', '4abc'],
    ['a second CONNECT to /', '40'],
    ['a reserved event name', '42["connect"]'],
    ['an event that is not an array', '42{"join":"x"}'],
    ['a plaintext frame while a binary event waits for its attachment', '451-["x",{"_placeholder":true,"num":0}]', '42["message","x"]'],
    ['a binary event with more attachments than allowed', '4599-["x"]'],
    ['a huge attachment count', '4599999999999-["x"]'],
    ['a negative attachment count', '45-1-["x"]'],
    ['an attachment placeholder past the buffers sent', '451-["join",{"_placeholder":true,"num":5}]', Buffer.from([1, 2, 3])],
    ['a placeholder with a non-numeric index', '451-["join",{"_placeholder":true,"num":"__proto__"}]', Buffer.from([1])],
    ['binary data without a binary event', Buffer.from([4, 1, 2, 3])],
    ['a ping with an object payload (clients never ping in Engine.IO 4)', '2[{"toString":"foo"}]'],
  ])('%s → the raw socket is refused', async (_name, ...frames) => {
    expect(await send(...frames)).toBe('closed')
  })

  it.each([
    ['an ACK for an id the hub never used', '43999["x"]'],
    ['an Engine.IO close packet (only the transport closing ends a WebSocket session)', '1'],
    ['an event for an unknown name', '42["no-such-event",{"a":1}]'],
    ['an event whose argument has toString/valueOf/__proto__ keys', '42["join",{"toString":"x","valueOf":1,"__proto__":{}}]'],
    ['an Engine.IO noop', '6'],
  ])('%s → ignored, the raw socket keeps working', async (_name, ...frames) => {
    expect(await send(...frames)).toBe('alive')
  })

  it('a CONNECT to an unknown namespace → CONNECT_ERROR, the connection to / is unaffected', async () => {
    const socket = await raw()
    socket.ws.send('40/nowhere,')
    const refusal = await socket.waitFor((f) => f.startsWith('44/nowhere,'))
    expect(JSON.parse(refusal.slice('44/nowhere,'.length))).toMatchObject({ message: 'Invalid namespace' })
    expect(await probeOutcome(socket, 778)).toBe('alive')
    await control.assertServing()
  })

  it('a CONNECT to the dashboard namespace without its key → CONNECT_ERROR unauthorized, / unaffected', async () => {
    const socket = await raw()
    socket.ws.send('40/admin,')
    const refusal = await socket.waitFor((f) => f.startsWith('44/admin,'))
    expect(JSON.parse(refusal.slice('44/admin,'.length))).toMatchObject({ data: { code: 'unauthorized' } })
    expect(await probeOutcome(socket, 779)).toBe('alive')
    await control.assertServing()
  })

  it('a valid binary event with its attachment is handled (the refusals above are about malformation)', async () => {
    expect(await send('451-["subscribe",{"_placeholder":true,"num":0}]', Buffer.from([1, 2]))).toBe('alive')
  })

  it('a frame above the 64 KB packet limit closes the raw socket', async () => {
    expect(await send(`42["message","${'x'.repeat(70 * 1024)}"]`)).toBe('closed')
  })

  it('deep nesting inside a packet is refused with an answer, not a stack overflow', async () => {
    const socket = await raw()
    const depth = 30_000
    socket.ws.send(`4212["join",${'['.repeat(depth)}${']'.repeat(depth)}]`)
    const ack = await socket.waitFor((f) => f.startsWith('4312['))
    expect(JSON.parse(ack.slice(4))).toMatchObject([{ ok: false, error: { code: 'invalid_request' } }])
    await control.assertServing()
  })
})
