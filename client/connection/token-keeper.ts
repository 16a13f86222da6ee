import { tokenExpiry, type TokenProvider } from './token.js'

/** How long before a token's expiry a fresh one is asked for. */
export const REFRESH_MARGIN = 30_000
// A provider that keeps handing out nearly expired tokens must not be called in a tight loop.
const MIN_REFRESH_DELAY = 10_000
// setTimeout fires at once beyond 2^31-1 ms (24.8 days): a longer-lived token is renewed early.
const MAX_TIMER = 2 ** 31 - 1

/**
 * The signed identity of one hub connection: the token to connect with, where fresh ones come
 * from, and a timer that fetches one shortly before the current one expires.
 *
 * @example
 * const tokens = new TokenKeeper((token) => socket.emit('refresh-token', token))
 * tokens.use(undefined, () => fetch('/token').then((r) => r.text()))
 */
export class TokenKeeper {
  private value: string | undefined
  private provider: TokenProvider | undefined
  private stale = false
  private pending: Promise<string | undefined> | undefined
  private timer: ReturnType<typeof setTimeout> | undefined

  /** `onRenewed` is told each token the timer fetched ahead of expiry. */
  constructor(private readonly onRenewed: (token: string) => void) {}

  get token(): string | undefined {
    return this.value
  }

  get canRenew(): boolean {
    return this.provider !== undefined
  }

  /**
   * Takes the page's token and provider; either may be left undefined to keep the current one.
   * True when the token changed.
   */
  use(token: string | undefined, provider: TokenProvider | undefined): boolean {
    if (provider) this.provider = provider
    const changed = token !== undefined && token !== '' && token !== this.value
    if (changed) this.accept(token)
    else if (provider) this.schedule()
    return changed
  }

  /** The hub refused or expired the current token: the next handshake asks for another. */
  markStale(): void {
    this.stale = true
  }

  /** The token for a handshake: a fresh one when the current one is missing, refused or about to expire. */
  async forHandshake(): Promise<string | undefined> {
    const expiry = tokenExpiry(this.value)
    const expiring = expiry !== undefined && expiry - REFRESH_MARGIN <= Date.now()
    if (this.provider && (!this.value || this.stale || expiring)) await this.renew()
    return this.value
  }

  /** Asks the provider for a token; concurrent callers share one request. */
  renew(): Promise<string | undefined> {
    const provider = this.provider
    if (!provider) return Promise.resolve(this.value)
    this.pending ??= (async () => {
      try {
        const token = await provider()
        if (typeof token === 'string' && token) this.accept(token)
      } catch (err) {
        console.warn('tidings: tokenProvider failed', err)
      } finally {
        this.pending = undefined
      }
      return this.value
    })()
    return this.pending
  }

  dispose(): void {
    clearTimeout(this.timer)
    this.provider = undefined
  }

  private accept(token: string): void {
    this.value = token
    this.stale = false
    this.schedule()
  }

  private schedule(): void {
    clearTimeout(this.timer)
    const expiry = tokenExpiry(this.value)
    if (expiry === undefined || !this.provider) return
    const delay = Math.max(expiry - REFRESH_MARGIN - Date.now(), MIN_REFRESH_DELAY)
    const before = this.value
    this.timer = setTimeout(
      () => void this.renew().then((token) => token && token !== before && this.onRenewed(token)),
      Math.min(delay, MAX_TIMER),
    )
  }
}
