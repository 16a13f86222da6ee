import type { Store } from '../store/store.js'

/** The store methods that write; each is timed until its promise settles (the commit). */
const WRITES = ['appendNotification', 'appendChatMessage', 'followTopic', 'unfollowTopic', 'markRead', 'markAllRead'] as const

/**
 * The same store, with its writes timed into `observe(operation, seconds)`. Reads and any
 * method added later pass through untouched.
 *
 * @example
 * const store = instrumentStore(openSqliteStore(options), metrics.observeStoreWrite)
 */
export function instrumentStore<S extends Store>(store: S, observe: (operation: string, seconds: number) => void): S {
  const timed: Partial<Record<string, unknown>> = {}
  for (const name of WRITES) {
    const write = store[name] as (...args: unknown[]) => Promise<unknown>
    timed[name] = (...args: unknown[]) => {
      const started = process.hrtime.bigint()
      const done = () => observe(name, Number(process.hrtime.bigint() - started) / 1e9)
      const result = write.apply(store, args)
      result.then(done, done)
      return result
    }
  }
  const bound = new Map<PropertyKey, unknown>()
  return new Proxy(store, {
    get(target, key) {
      if (typeof key === 'string' && key in timed) return timed[key]
      const value: unknown = Reflect.get(target, key, target)
      if (typeof value !== 'function') return value
      // Bound once: methods of a class instance need their `this`.
      if (!bound.has(key)) bound.set(key, (value as (...a: unknown[]) => unknown).bind(target))
      return bound.get(key)
    },
  })
}
