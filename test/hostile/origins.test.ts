import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startHub, type HubProcess } from '../helpers/hub-process.js'
import { HOSTILE_ENV, openControl, type Control } from './support.js'

const ALLOWED = 'http://allowed.test'
const FOREIGN = 'http://evil.test'
let hub: HubProcess
let control: Control

beforeAll(async () => {
  hub = await startHub({ ...HOSTILE_ENV, TIDINGS_ORIGINS: ALLOWED })
  control = await openControl(hub, { origin: ALLOWED })
})
beforeEach(() => control.mark())
afterAll(async () => {
  control?.close()
  await hub?.stop()
})

const pollingHandshake = (origin: string) =>
  fetch(`${hub.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin } })

/** Resolves with the HTTP status of a refused upgrade, or 101 when the upgrade succeeded. */
function upgradeStatus(origin: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${hub.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`, { origin })
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0)
      ws.terminate()
    })
    ws.once('open', () => {
      resolve(101)
      ws.close()
    })
    ws.once('error', () => undefined)
  })
}

describe('foreign origins with TIDINGS_ORIGINS set', () => {
  it('refuses a polling handshake from a foreign origin with 403', async () => {
    const res = await pollingHandshake(FOREIGN)
    expect(res.status).toBe(403)
    expect(res.headers.get('access-control-allow-origin')).not.toBe(FOREIGN)
    await control.assertServing()
  })

  // engine.io answers a refused upgrade with 400 Bad Request rather than 403 (see
  // abortUpgrade in engine.io's server); what matters is that no WebSocket is opened.
  it('refuses a WebSocket upgrade from a foreign origin before it opens', async () => {
    expect([400, 403]).toContain(await upgradeStatus(FOREIGN))
    await control.assertServing()
  })

  it.each(['null', 'http://allowed.test.evil.test', 'http://allowed.test:8080', 'https://allowed.test', 'HTTP://ALLOWED.TEST'])(
    'refuses the look-alike origin %s on both transports',
    async (origin) => {
      expect((await pollingHandshake(origin)).status).toBe(403)
      expect([400, 403]).toContain(await upgradeStatus(origin))
      await control.assertServing()
    },
  )

  it('admits the allowed origin on both transports (the refusals above are about origin)', async () => {
    const res = await pollingHandshake(ALLOWED)
    expect(res.status).toBe(200)
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED)
    expect(await upgradeStatus(ALLOWED)).toBe(101)
  })

  it('does not grant a foreign origin CORS access to /notify', async () => {
    const res = await fetch(`${hub.url}/notify`, {
      method: 'OPTIONS',
      headers: { origin: FOREIGN, 'access-control-request-method': 'POST' },
    })
    expect(res.headers.get('access-control-allow-origin')).toBeNull()
    await control.assertServing()
  })
})
