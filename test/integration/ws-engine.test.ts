import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { connectClient, nextEvent, request } from '../helpers/clients.js'
import { useHub } from '../helpers/use-hub.js'

// eiows is installed by operators where its native build works: present on some machines, absent
// on others. This runs on both: the hub picks what this machine can load and chat works on it.
const eiowsLoads = ((): boolean => {
  try {
    createRequire(import.meta.url)('eiows')
    return true
  } catch {
    return false
  }
})()

describe(`TIDINGS_WS_ENGINE=auto (eiows ${eiowsLoads ? 'present' : 'absent'} here)`, () => {
  const hub = useHub({ TIDINGS_WS_ENGINE: 'auto' })

  it(`runs on ${eiowsLoads ? 'eiows' : 'ws, the fallback,'} and delivers chat over WebSocket`, async () => {
    const line = await hub.waitForLog((l) => typeof l.msg === 'string' && /WebSockets run on/.test(l.msg))
    expect(line.wsEngine).toBe(eiowsLoads ? 'eiows' : 'ws')

    const alice = await connectClient(hub.url, { transports: ['websocket'] })
    const bob = await connectClient(hub.url, { transports: ['websocket'] })
    await request(alice, 'join', 'alice')
    await request(bob, 'join', 'bob')
    const toBob = nextEvent(bob, 'chat-message')
    const ack = await request(alice, 'chat-message', 'over the engine')
    expect(await toBob).toMatchObject({ id: ack.id, username: 'alice', message: 'over the engine' })
  })
})
