import { html, nothing, type TemplateResult } from 'lit'
import { property, state } from 'lit/decorators.js'
import { repeat } from 'lit/directives/repeat.js'
import type { InboxEntry, Notification } from '../../shared/index.js'
import type { ConnectionState, HubConnection } from '../connection/hub-connection.js'
import { HubController } from '../connection/hub-controller.js'
import type { HubError, HubResult } from '../connection/hub-result.js'
import type { ReplayCommand } from '../connection/session-memory.js'
import { languageTagOf } from '../i18n.js'
import { formatRelativeTime } from '../internal/relative-time.js'
import { stateLabel } from '../internal/state-label.js'
import { TidingsElement } from '../internal/tidings-element.js'
import { badgeText, belongsToInbox, mergeEntries } from './inbox-entries.js'
import { styles } from './inbox.styles.js'

const PAGE_SIZE = 20
// Relative times ("2 min ago") are redrawn this often while the panel is open.
const CLOCK_INTERVAL = 30_000

/**
 * @summary A user's notification inbox on a Tidings hub: a bell with the unread count and a
 * panel listing notifications, kept by the hub across visits and in step across tabs.
 *
 * @fires tidings-notification-read - The hub marked a notification read after a click. `detail` is `{id}`.
 *
 * @csspart base - The component's wrapper.
 * @csspart bell - Opens and closes the panel; its label says how many are unread.
 * @csspart badge - The unread count on the bell (`99+` above 99), hidden at 0.
 * @csspart panel - The notification list (`role="dialog"`).
 * @csspart status - The connection state as text; `data-state` is `connecting`, `connected`, `reconnecting`, `disconnected` or `unauthorized`.
 * @csspart mark-all - Marks everything read.
 * @csspart list - The list of notifications, newest first.
 * @csspart item - One notification (a button that marks it read); `data-read` is `true` or `false`, `data-level` its level.
 * @csspart item-title - A notification's title.
 * @csspart item-body - A notification's body.
 * @csspart item-time - When it was published, relative (`<time datetime>`).
 * @csspart more - Loads older notifications.
 * @csspart empty - Shown when the inbox is empty.
 * @csspart hint - Shown when no user name is known yet.
 * @csspart error - The hub's last refusal.
 *
 * @cssproperty --tidings-inbox-width - Width of the panel. Default `22rem`.
 * @cssproperty --tidings-inbox-height - Maximum height of the panel. Default `28rem`.
 * @cssproperty --tidings-font - Font family.
 * @cssproperty --tidings-color - Text colour.
 * @cssproperty --tidings-muted-color - Secondary text colour.
 * @cssproperty --tidings-background - Panel background.
 * @cssproperty --tidings-surface - Background of unread items.
 * @cssproperty --tidings-border-color - Border colour.
 * @cssproperty --tidings-accent - Accent colour (unread marks, buttons).
 * @cssproperty --tidings-danger - Badge and error colour.
 * @cssproperty --tidings-radius - Corner radius.
 */
export default class TidingsInbox extends TidingsElement {
  static override styles = styles

  /**
   * Whose inbox to show. When absent: the signed token's name, else the name another component
   * of the page gave the shared connection (e.g. the chat's name form).
   */
  @property() username?: string

  @state() private _open = false
  @state() private _entries: InboxEntry[] = []
  @state() private _unread = 0
  @state() private _next: string | undefined
  @state() private _error: HubError | undefined
  @state() private _now = Date.now()

  private followed = new Set<string>()
  /** The name whose first page is shown, for this connection session. */
  private loadedFor: string | undefined
  /** Notifications that arrived while a first page was being fetched. */
  private arrived: Notification[] | undefined
  private clock: ReturnType<typeof setInterval> | undefined

  private readonly hub = new HubController(this, {
    server: () => this.hubUrl,
    credentials: this.credentials,
    dependencies: () => [this.username?.trim()],
    setup: (connection) => this.attachTo(connection),
  })

  /** The name the hub files this inbox under. */
  private get owner(): string | undefined {
    const connection = this.hub.connection
    return connection?.tokenName ?? (this.username?.trim() || connection?.username)
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback()
    this.close(false)
  }

  private attachTo(connection: HubConnection): () => void {
    const username = this.username?.trim()
    this.loadedFor = undefined
    this._error = undefined
    const onNotification = (notification: Notification): void => this.onLive(notification)
    const onUnread = ({ count }: { count: number }): void => {
      // Another tab read something: fetch the read states again.
      if (count !== this._unread) this.loadedFor = undefined
      this._unread = count
      void this.load()
    }
    const onResult = (command: ReplayCommand, result: { ok: boolean }): void => {
      if (result.ok && command.event !== 'subscribe') void this.load()
    }
    const onState = (state: ConnectionState): void => {
      if (state === 'connected') void this.load()
      else this.loadedFor = undefined
    }
    connection.on('notification', onNotification)
    connection.on('inbox-unread', onUnread)
    const stopResults = connection.onResult(onResult)
    const stopState = connection.onStateChange(onState)
    if (username) connection.identify(username)
    void this.load()
    return () => {
      connection.off('notification', onNotification)
      connection.off('inbox-unread', onUnread)
      stopResults()
      stopState()
    }
  }

  /** Fetches the first page when connected, named and not yet loaded for that name. */
  private async load(): Promise<void> {
    const connection = this.hub.connection
    const owner = this.owner
    if (!connection || connection.state !== 'connected' || !owner || this.loadedFor === owner || this.arrived) return
    this.arrived = []
    const result = await connection.inbox({ limit: PAGE_SIZE })
    const arrived = this.arrived
    this.arrived = undefined
    if (this.hub.connection !== connection) return
    // Refused before the hub knew the name: the identification that follows loads again.
    if (!result.ok) return void (result.error.code === 'not_joined' || (this._error = result.error))
    this.loadedFor = owner
    this.followed = new Set(result.followed)
    const newest = result.entries[0]?.notification.id ?? ''
    const missed = arrived
      .filter((n) => n.id > newest && belongsToInbox(n, this.followed))
      .map((notification) => ({ notification, read: false }))
    this._entries = mergeEntries(missed, result.entries)
    this._unread = result.unread + missed.length
    this._next = result.nextCursor
    if (this.owner !== owner) void this.load()
  }

  private onLive(notification: Notification): void {
    if (this.arrived) return void this.arrived.push(notification)
    const owner = this.owner
    if (!this.loadedFor || !owner || !belongsToInbox(notification, this.followed)) return
    if (this._entries.some((e) => e.notification.id === notification.id)) return
    this._entries = [{ notification, read: false }, ...this._entries]
    this._unread++
  }

  private async loadMore(): Promise<void> {
    const connection = this.hub.connection
    const before = this._next
    if (!connection || !before) return
    const result = await connection.inbox({ before, limit: PAGE_SIZE })
    if (!result.ok) return void (this._error = result.error)
    const shown = this._entries.length
    this._entries = mergeEntries(this._entries, result.entries)
    this._next = result.nextCursor
    this._unread = result.unread
    // The button hides itself after the last page: the focus goes on to the first item loaded.
    await this.updateComplete
    ;(this.items()[shown] ?? this.panel())?.focus()
  }

  private async markRead(entry: InboxEntry): Promise<void> {
    const connection = this.hub.connection
    const { id } = entry.notification
    if (entry.read || !connection) return
    this._entries = this._entries.map((e) => (e === entry ? { ...e, read: true } : e))
    this._unread = Math.max(0, this._unread - 1)
    if (this.settle(await connection.markRead(id))) this.emit('tidings-notification-read', { id })
  }

  private async markAllRead(): Promise<void> {
    const connection = this.hub.connection
    if (!connection) return
    // The button disables itself: the focus moves to the panel first rather than drop to the page.
    this.panel()?.focus()
    this._entries = this._entries.map((e) => ({ ...e, read: true }))
    this._unread = 0
    this.settle(await connection.markAllRead())
  }

  /** Takes the hub's answer to a read; a refusal is shown and the hub's state fetched again. */
  private settle(result: HubResult<{ unread: number }>): boolean {
    if (result.ok) {
      this._unread = result.unread
      this._error = undefined
    } else {
      this._error = result.error
      this.loadedFor = undefined
      void this.load()
    }
    return result.ok
  }

  private async toggle(): Promise<void> {
    if (this._open) return this.close(true)
    this._open = true
    this._now = Date.now()
    this.clock = setInterval(() => (this._now = Date.now()), CLOCK_INTERVAL)
    document.addEventListener('click', this.onDocumentClick, true)
    void this.load()
    await this.updateComplete
    const panel = this.panel()!
    // Kept inside the viewport whichever side of the page the bell is on.
    panel.style.translate = ''
    const { left, right } = panel.getBoundingClientRect()
    panel.style.translate = `${left < 0 ? -left : Math.min(0, innerWidth - right)}px`
    ;(this.items()[0] ?? panel).focus()
  }

  private close(returnFocus: boolean): void {
    if (!this._open) return
    this._open = false
    clearInterval(this.clock)
    document.removeEventListener('click', this.onDocumentClick, true)
    if (returnFocus) this.shadowRoot?.querySelector<HTMLElement>('[part~="bell"]')?.focus()
  }

  private readonly onDocumentClick = (event: MouseEvent): void => {
    if (!event.composedPath().includes(this)) this.close(false)
  }

  // Tabbing out of the panel, or the focus going anywhere else, closes it.
  private onFocusOut(event: FocusEvent): void {
    const to = event.relatedTarget
    if (to instanceof Node && this.shadowRoot?.contains(to)) return
    this.close(false)
  }

  private panel(): HTMLElement | null | undefined {
    return this.shadowRoot?.querySelector<HTMLElement>('[part~="panel"]')
  }

  private items(): HTMLElement[] {
    return [...(this.shadowRoot?.querySelectorAll<HTMLElement>('[part~="item"]') ?? [])]
  }

  // On the whole component: Escape closes the panel from the bell as from anywhere inside it.
  private onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Escape' && this._open) {
      event.preventDefault()
      return this.close(true)
    }
    if (!this.panel()?.contains(this.shadowRoot!.activeElement)) return
    const items = this.items()
    const current = items.indexOf(this.shadowRoot?.activeElement as HTMLElement)
    const last = items.length - 1
    const next: Record<string, number> = {
      ArrowDown: current < 0 || current === last ? 0 : current + 1,
      ArrowUp: current <= 0 ? last : current - 1,
      Home: 0,
      End: last,
    }
    const index = next[event.key]
    if (index === undefined || last < 0) return
    event.preventDefault()
    items[index]?.focus()
  }

  protected override render(): TemplateResult {
    const t = this.t
    const connection = this.hub.connection
    const state = connection?.state ?? 'disconnected'
    const unread = this._unread
    return html`
      <div part="base" @keydown=${this.onKeydown} @focusout=${this.onFocusOut}>
        <button
          part="bell"
          type="button"
          aria-haspopup="dialog"
          aria-expanded=${String(this._open)}
          aria-controls="panel"
          aria-label=${t.inboxLabel(unread)}
          @click=${this.toggle}
        >
          <svg width="20" height="20" viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2">
            <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9M10.3 21a1.94 1.94 0 0 0 3.4 0" />
          </svg>
          <span part="badge" aria-hidden="true" ?hidden=${unread === 0}>${badgeText(unread)}</span>
        </button>
        <div
          part="panel"
          id="panel"
          role="dialog"
          aria-label=${t.notifications}
          tabindex="-1"
          ?hidden=${!this._open}
        >
          <div class="header">
            <strong>${t.notifications}</strong>
            ${stateLabel(connection, t, languageTagOf(this))}
            <button
              part="mark-all"
              type="button"
              ?disabled=${unread === 0 || state !== 'connected'}
              @click=${this.markAllRead}
            >
              ${t.markAllRead}
            </button>
          </div>
          ${this.renderList()}
          <p part="error" role="alert" ?hidden=${!this._error}>
            ${this._error ? `${t.refused}${t.colon}${this._error.message} (${this._error.code})` : nothing}
          </p>
        </div>
      </div>
    `
  }

  private renderList(): TemplateResult {
    const t = this.t
    if (!this.owner) return html`<p part="hint">${t.inboxNeedsName}</p>`
    if (this._entries.length === 0) return html`<p part="empty">${t.inboxEmpty}</p>`
    const lang = languageTagOf(this)
    return html`
      <ul part="list" role="list">
        ${repeat(
          this._entries,
          (entry) => entry.notification.id,
          (entry) => this.renderItem(entry, lang),
        )}
      </ul>
      <button part="more" type="button" ?hidden=${!this._next} @click=${this.loadMore}>${t.loadMore}</button>
    `
  }

  private renderItem(entry: InboxEntry, lang: string): TemplateResult {
    const { title, body, level, timestamp } = entry.notification
    return html`
      <li>
        <button
          part="item"
          class="open"
          type="button"
          data-read=${String(entry.read)}
          data-level=${level}
          @click=${() => this.markRead(entry)}
        >
          ${entry.read ? nothing : html`<span class="visually-hidden">${this.t.unread}${this.t.colon}</span>`}
          <span part="item-title" class="clamp">${title}</span>
          <span part="item-body" class="clamp" ?hidden=${!body}>${body}</span>
          <time part="item-time" datetime=${timestamp}>${formatRelativeTime(timestamp, this._now, lang)}</time>
        </button>
      </li>
    `
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'tidings-notification-read': CustomEvent<{ id: string }>
  }
}
