import type { ReactiveController, ReactiveControllerHost } from 'lit'
import { acquireConnection, releaseConnection, type HubConnection } from './hub-connection.js'
import type { TokenProvider } from './token.js'

export interface HubControllerOptions {
  /** The hub address to use now. */
  server: () => string
  /**
   * Values the setup depends on (room, topic, name…). When one changes, the controller tears
   * the setup down and runs it again.
   */
  dependencies?: () => readonly unknown[]
  /**
   * Attaches the component to the connection (listeners, rooms, topics) and returns the
   * function that detaches it.
   */
  setup: (connection: HubConnection) => () => void
  /** The component's signed identity: a token and/or a provider of fresh ones. */
  credentials?: () => { token?: string | undefined; tokenProvider?: TokenProvider | undefined }
}

/**
 * Gives a Lit component the page's shared connection to its hub while it is in the document,
 * and re-renders it whenever the connection state changes.
 *
 * @example
 * private readonly hub = new HubController(this, {
 *   server: () => this.hubUrl,
 *   setup: (connection) => { connection.on('presence', this.onPresence); return () => connection.off('presence', this.onPresence) },
 * })
 */
export class HubController implements ReactiveController {
  private current: HubConnection | undefined
  private teardown: (() => void) | undefined
  private appliedWith: readonly unknown[] = []
  private appliedCredentials: readonly unknown[] = []

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: HubControllerOptions,
  ) {
    host.addController(this)
  }

  /** The connection, while the host is in the document. */
  get connection(): HubConnection | undefined {
    return this.current
  }

  hostConnected(): void {
    this.attach()
  }

  hostDisconnected(): void {
    const previous = this.current
    this.detach()
    if (previous) releaseConnection(previous)
  }

  /** Re-attaches when the server or a dependency changed since the last attach. */
  hostUpdate(): void {
    if (!this.current) return
    this.applyCredentials(this.current)
    const next = this.currentKey()
    const changed = next.length !== this.appliedWith.length || next.some((value, i) => value !== this.appliedWith[i])
    if (!changed) return
    // Acquire before releasing, so a change that keeps the same hub keeps its socket open.
    const previous = this.current
    this.detach()
    this.attach()
    releaseConnection(previous)
  }

  private attach(): void {
    const connection = acquireConnection(this.options.server())
    this.appliedCredentials = []
    this.applyCredentials(connection)
    const stopWatching = connection.onStateChange(() => this.host.requestUpdate())
    const undoSetup = this.options.setup(connection)
    this.current = connection
    this.appliedWith = this.currentKey()
    this.teardown = () => {
      undoSetup()
      stopWatching()
    }
    this.host.requestUpdate()
  }

  // Only changes are passed on: handing a token over may send it to the hub or reconnect.
  private applyCredentials(connection: HubConnection): void {
    const { token, tokenProvider } = this.options.credentials?.() ?? {}
    if (token === this.appliedCredentials[0] && tokenProvider === this.appliedCredentials[1]) return
    this.appliedCredentials = [token, tokenProvider]
    if (token || tokenProvider) connection.useToken(token, tokenProvider)
  }

  private detach(): void {
    this.teardown?.()
    this.teardown = undefined
    this.current = undefined
  }

  private currentKey(): readonly unknown[] {
    return [this.options.server(), ...(this.options.dependencies?.() ?? [])]
  }
}
