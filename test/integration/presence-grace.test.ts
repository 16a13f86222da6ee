import { describe, expect, it } from 'vitest'
import { connectClient, nextEvent, request, type HubClient } from '../helpers/clients.js'
import { useHub } from '../helpers/use-hub.js'

/** Every presence announcement about `username` the socket receives, in arrival order. */
function announcementsAbout(socket: HubClient, username: string): string[] {
  const seen: string[] = []
  socket.on('user-joined', (change) => void (change.username === username && seen.push(`joined ${change.userCount}`)))
  socket.on('user-left', (change) => void (change.username === username && seen.push(`left ${change.userCount}`)))
  return seen
}

describe('presence across a page reload (TIDINGS_PRESENCE_GRACE_MS)', () => {
  // Long enough for a reconnection on a busy test machine; the test waits for it once, at the end.
  const hub = useHub({ TIDINGS_PRESENCE_GRACE_MS: '1500' })

  it('tells nobody when a user comes back within the grace period, and announces a departure after it', async () => {
    const alice = await connectClient(hub.url)
    await request(alice, 'join', 'alice')
    const bob = await connectClient(hub.url)
    const bobArrived = nextEvent(alice, 'user-joined', (change) => change.username === 'bob')
    await request(bob, 'join', 'bob')
    expect(await bobArrived).toEqual({ username: 'bob', userCount: 2 })
    const heard = announcementsAbout(alice, 'bob')

    // The reload: the old connection closes, a new one joins under the same name.
    bob.disconnect()
    const reloaded = await connectClient(hub.url)
    const whereThingsStand = nextEvent(reloaded, 'user-joined', (change) => change.username === 'bob')
    await request(reloaded, 'join', 'bob')
    // The new tab still learns the count, as the tutorial's client expects on joining.
    expect(await whereThingsStand).toEqual({ username: 'bob', userCount: 2 })

    // Bob leaves for good: announced once the grace period is over, and only then.
    const gone = nextEvent(alice, 'user-left', (change) => change.username === 'bob')
    reloaded.disconnect()
    expect(await gone).toEqual({ username: 'bob', userCount: 1 })
    expect(heard).toEqual(['left 1'])
  })
})
