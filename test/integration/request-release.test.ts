import { mkdtempSync } from 'node:fs'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { Server } from 'socket.io'
import { io as connect, type Socket as ClientSocket } from 'socket.io-client'
import { afterEach, describe, expect, it } from 'vitest'
import { ADMIN_NAMESPACE } from '../../shared/index.js'
import { loadConfig } from '../../server/config.js'
import { createLogger } from '../../server/logger.js'
import { openHub } from '../../server/open-hub.js'
import type { Hub } from '../../server/hub.js'
import { postNotify } from '../helpers/clients.js'
import { TEST_HUB_ENV } from '../helpers/hub-process.js'

// The hub drops engine.io's references to each connection's HTTP requests (see
// server/socket/request-release.ts). These tests pin what that relies on: if a Socket.IO upgrade
// keeps the requests somewhere else, or stops keeping them, one of them fails.
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

/** True once `ref`'s object has been collected; false if something still holds it. */
async function collected(ref: WeakRef<object>): Promise<boolean> {
  for (let attempt = 0; attempt < 10; attempt++) {
    await nextTurn()
    gc()
    if (ref.deref() === undefined) return true
  }
  return false
}

/** Weak references to every HTTP request engine.io handles, taken by its last middleware. */
function watchRequests(server: Pick<Server, 'engine'>): WeakRef<IncomingMessage>[] {
  const seen: WeakRef<IncomingMessage>[] = []
  server.engine.use((req: IncomingMessage, _res: unknown, next: () => void) => {
    seen.push(new WeakRef(req))
    next()
  })
  return seen
}

const KEY = 'release-test-key-0123456789'
const clients: ClientSocket[] = []
const closers: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const client of clients.splice(0)) client.disconnect()
  for (const close of closers.splice(0)) await close()
})

function open(url: string, options: { transports: string[]; path?: string; auth?: Record<string, unknown> }): ClientSocket {
  const client = connect(url, { reconnection: false, forceNew: true, ...options })
  clients.push(client)
  return client
}
const connected = (client: ClientSocket) =>
  new Promise<void>((resolve, reject) => {
    client.once('connect', resolve)
    client.once('connect_error', reject)
  })

async function startTestHub(): Promise<{ hub: Hub; url: string; requests: WeakRef<IncomingMessage>[] }> {
  const config = loadConfig({ ...TEST_HUB_ENV, TIDINGS_DB: join(mkdtempSync(join(tmpdir(), 'tidings-release-')), 'tidings.db'), TIDINGS_API_KEY: KEY })
  const { hub, address } = await openHub(config, createLogger('silent'))
  closers.push(() => hub.close())
  return { hub, url: `http://127.0.0.1:${address.port}`, requests: watchRequests(hub.io) }
}

describe('the HTTP request that opens a connection', () => {
  it('is kept for the whole connection by plain Socket.IO: conn.request, handshake.headers and the upgrade stand-in', async () => {
    const http = createServer()
    const io = new Server(http)
    closers.push(() => new Promise((resolve) => io.close(resolve)))
    const requests = watchRequests(io)
    const serverSocket = new Promise<import('socket.io').Socket>((resolve) => io.once('connection', resolve))
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
    const client = open(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, { transports: ['websocket'] })
    await connected(client)

    const socket = await serverSocket
    expect(requests).toHaveLength(1)
    expect(socket.conn.request).toBe(requests[0]!.deref())
    expect(socket.handshake.headers).toBe(requests[0]!.deref()!.headers)
    // Dropping the two public references is not enough: the upgrade's stand-in response holds it.
    ;(socket.conn as { request: unknown }).request = null
    socket.handshake.headers = {}
    expect(await collected(requests[0]!)).toBe(false)
  })

  it('is let go of by the hub once a WebSocket connection is established, and the connection still serves', async () => {
    const { url, requests } = await startTestHub()
    const client = open(url, { transports: ['websocket'] })
    await connected(client)
    expect(requests).toHaveLength(1)
    expect(await collected(requests[0]!)).toBe(true)

    const arrived = new Promise((resolve) => client.once('notification', resolve))
    expect((await postNotify(url, KEY, { title: 'after the release' })).status).toBe(202)
    expect(await arrived).toMatchObject({ title: 'after the release' })
  })

  it('is let go of by the hub for a connection that began on long-polling and upgraded', async () => {
    const { url, requests } = await startTestHub()
    const client = open(url, { transports: ['polling', 'websocket'] })
    await connected(client)
    if (client.io.engine.transport.name !== 'websocket') await new Promise((resolve) => client.io.engine.once('upgrade', resolve))
    expect(client.io.engine.transport.name).toBe('websocket')
    // The handshake, the CONNECT post, polls, and the upgrade request itself.
    expect(requests.length).toBeGreaterThanOrEqual(3)
    for (const request of requests) expect(await collected(request)).toBe(true)
  })

  it("still gives a dashboard that shares the released connection its answer, from the kept address", async () => {
    const { url } = await startTestHub()
    const main = open(url, { transports: ['websocket'] })
    await connected(main)
    // Same manager, so the same engine connection, whose request is already gone.
    const dashboard = main.io.socket(ADMIN_NAMESPACE, { auth: { key: 'not the key' } })
    const refused = await new Promise<Error>((resolve) => dashboard.once('connect_error', resolve))
    dashboard.disconnect()
    expect((refused as Error & { data?: { code?: string } }).data?.code).toBe('unauthorized')
    expect(main.connected).toBe(true)
  })
})
