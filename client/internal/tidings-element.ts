import { LitElement } from 'lit'
import { property } from 'lit/decorators.js'
import { getDefaultServer } from '../connection/default-server.js'
import type { TokenProvider } from '../connection/token.js'
import { langHolders, stringsOf, type Strings } from '../i18n.js'

/**
 * What every Tidings component shares: the `server` attribute with its default, and texts in
 * the language that applies to the element.
 */
export class TidingsElement extends LitElement {
  // `lang` stays the native attribute (it also drives `:lang()` and screen readers); it is only
  // observed so that changing it re-renders the texts.
  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'lang']
  }

  /** The hub's address; the origin the script was loaded from when absent. */
  @property() server?: string

  /**
   * A signed identity (JWT) for hubs that use them. The hub then takes the user's name from it
   * and ignores `username`. Shared by every component talking to the same hub.
   */
  @property() token?: string

  /**
   * Supplies fresh tokens (`() => string | Promise<string>`): called shortly before the current
   * token expires, and when the hub refuses or ends a session for its token.
   */
  @property({ attribute: false }) tokenProvider?: TokenProvider

  /** What the hub controller passes to the connection. */
  protected readonly credentials = (): { token?: string | undefined; tokenProvider?: TokenProvider | undefined } => ({
    token: this.token || undefined,
    tokenProvider: this.tokenProvider,
  })

  /** The hub this element talks to. */
  protected get hubUrl(): string {
    return this.server || getDefaultServer()
  }

  /** Texts in this element's language. */
  protected get t(): Strings {
    return stringsOf(this)
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value)
    if (name === 'lang') this.requestUpdate()
  }

  // The language is inherited: a `lang` set or changed later on `<html>` or on any element
  // above (the page's language switch, a framework re-rendering a parent) re-renders the texts.
  private langObserver: MutationObserver | undefined

  override connectedCallback(): void {
    super.connectedCallback()
    this.langObserver = new MutationObserver(() => this.requestUpdate())
    for (const holder of langHolders(this)) this.langObserver.observe(holder, { attributeFilter: ['lang'] })
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback()
    this.langObserver?.disconnect()
  }

  /** Dispatches a `tidings-*` event that crosses shadow roots, so the page can listen anywhere. */
  protected emit<K extends keyof GlobalEventHandlersEventMap>(
    name: K,
    detail: GlobalEventHandlersEventMap[K] extends CustomEvent<infer D> ? D : never,
  ): void {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }))
  }
}
