import type { Store } from '../store/store.js'

/** How long `/readyz` waits for the store before calling it unreachable. */
const STORE_CHECK_TIMEOUT_MS = 2000

export type Readiness = { status: 'ready' } | { status: 'unavailable'; reason: string }

/** The store's health probe, where the store has one (it rejects with a short reason). */
type CheckableStore = Store & { check?: () => Promise<void> }

/**
 * Whether the hub should receive traffic: not while it shuts down, nor while its store cannot
 * serve. `/readyz` answers from it; the balancer takes the node out on a 503.
 *
 * @example
 * const state = await readiness(store, drain.draining) // { status: 'unavailable', reason: 'shutting_down' }
 */
export async function readiness(store: Store, draining: boolean): Promise<Readiness> {
  if (draining) return { status: 'unavailable', reason: 'shutting_down' }
  const check = (store as CheckableStore).check
  if (check === undefined) return { status: 'ready' }
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([
      check.call(store),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('no answer in time')), STORE_CHECK_TIMEOUT_MS)
      }),
    ])
    return { status: 'ready' }
  } catch (err) {
    return { status: 'unavailable', reason: `store_unavailable: ${err instanceof Error ? err.message : String(err)}` }
  } finally {
    clearTimeout(timer)
  }
}
