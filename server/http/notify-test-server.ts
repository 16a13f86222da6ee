import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll } from 'vitest'
import { authFailureLimiter } from '../limits/auth-failure-limiter.js'
import { createLogger } from '../logger.js'
import { openSqliteStore } from '../store/index.js'
import { notifyHandler, type NotifyHandlerOptions } from './notify-handler.js'

/**
 * The notify handler alone on an ephemeral port, for unit tests of its refusals, with a real
 * in-memory store and limiters (overridable). `url` is readable once `beforeAll` has run.
 *
 * @example
 * const server = useNotifyServer({ apiKeys: ['key-0123456789abcdef'] })
 * it('…', async () => { await fetch(server.url, { method: 'POST' }) })
 */
export function useNotifyServer(options: Partial<NotifyHandlerOptions> & Pick<NotifyHandlerOptions, 'apiKeys'>): {
  readonly url: string
} {
  const log = createLogger('silent')
  const store = options.store ?? openSqliteStore({ path: ':memory:', log })
  const server = createServer(
    notifyHandler({
      log,
      origins: [],
      authFailures: authFailureLimiter(),
      notifyRate: { points: 1000, windowSec: 60 },
      ...options,
      store,
    }),
  )
  let url = ''
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify`
  })
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve))
    await store.close()
  })
  return {
    get url() {
      return url
    },
  }
}
