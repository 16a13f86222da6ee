/**
 * The store cannot be reached now (Redis down, a command timed out): nothing was acknowledged,
 * and the same call may succeed in a moment. HTTP answers it with `503 unavailable`; a write
 * that timed out may still have been committed, which an `Idempotency-Key` makes safe to retry.
 *
 * @example
 * await redis.ping().catch((cause) => { throw new StoreUnavailableError('redis unreachable', { cause }) })
 */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError'
}
