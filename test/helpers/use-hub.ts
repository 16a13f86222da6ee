import { afterAll, afterEach, beforeAll } from 'vitest'
import { closeAllClients } from './clients.js'
import { startHub, type HubProcess } from './hub-process.js'

/**
 * One real hub process for the enclosing `describe`: started before its tests, stopped after,
 * with every client from `connectClient` closed after each test. Read it inside tests only.
 *
 * @example
 * const hub = useHub({ TIDINGS_ORIGINS: 'https://a.example' })
 * it('…', async () => { await connectClient(hub.url) })
 */
export function useHub(env: Record<string, string> = {}): HubProcess {
  let current: HubProcess | undefined
  beforeAll(async () => {
    current = await startHub(env)
  })
  afterAll(async () => {
    await current?.stop()
  })
  afterEach(() => closeAllClients())
  return new Proxy({} as HubProcess, {
    get: (_, key) => {
      if (!current) throw new Error('useHub: the hub is only available inside tests')
      return current[key as keyof HubProcess]
    },
  })
}
