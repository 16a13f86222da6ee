import { html, type TemplateResult } from 'lit'
import { property, state } from 'lit/decorators.js'
import { repeat } from 'lit/directives/repeat.js'
import type { Notification } from '../../shared/index.js'
import type { HubConnection } from '../connection/hub-connection.js'
import { HubController } from '../connection/hub-controller.js'
import type { ReplayCommand } from '../connection/session-memory.js'
import type { HubResult } from '../connection/hub-result.js'
import { languageTagOf } from '../i18n.js'
import { stateLabel } from '../internal/state-label.js'
import { TidingsElement } from '../internal/tidings-element.js'
import { DismissTimer } from './dismiss-timer.js'
import { belongsTo, pushBounded } from './toast-stack.js'
import { styles } from './toasts.styles.js'

const DEFAULT_DURATION = 5_000
const DEFAULT_MAX = 5

interface Toast {
  notification: Notification
  /** Absent for sticky toasts. */
  timer: DismissTimer | undefined
}

/**
 * @summary Shows a Tidings hub's notifications as toasts that dismiss themselves.
 *
 * @fires tidings-notification - A notification for this stack arrived. `detail` is the `Notification`.
 *
 * @csspart base - The stack's wrapper (fixed to the bottom corner by default).
 * @csspart status - The connection state as text, shown while not connected; `data-state` is `connecting`, `connected`, `reconnecting`, `disconnected` or `unauthorized`.
 * @csspart region - Polite live region (`role="status"`) holding info, success and warning toasts.
 * @csspart alert-region - Assertive live region (`role="alert"`) holding error toasts.
 * @csspart toast - One toast; `data-level` is `info`, `success`, `warning` or `error`.
 * @csspart title - A toast's title.
 * @csspart body - A toast's body.
 * @csspart close-button - Dismisses a toast.
 *
 * @cssproperty --tidings-toasts-position - `fixed` (default) or `static` to place the stack in the page flow.
 * @cssproperty --tidings-toasts-width - Width of a toast. Default `22rem`.
 * @cssproperty --tidings-font - Font family.
 * @cssproperty --tidings-color - Text colour.
 * @cssproperty --tidings-background - Toast background.
 * @cssproperty --tidings-border-color - Toast border.
 * @cssproperty --tidings-accent - Colour of `info` toasts.
 * @cssproperty --tidings-success - Colour of `success` toasts.
 * @cssproperty --tidings-warning - Colour of `warning` toasts.
 * @cssproperty --tidings-danger - Colour of `error` toasts.
 * @cssproperty --tidings-radius - Corner radius.
 */
export default class TidingsToasts extends TidingsElement {
  static override styles = styles

  /** Show this topic's notifications only. Without it: broadcasts and those for `username`. */
  @property() topic?: string

  /** Who this page is on the hub, so notifications addressed to that user arrive. */
  @property() username?: string

  /** How long a toast stays, in ms; `0` keeps it until closed. */
  @property({ type: Number }) duration = DEFAULT_DURATION

  /** Most toasts on screen at once; the oldest goes first. */
  @property({ type: Number }) max = DEFAULT_MAX

  @state() private _toasts: Toast[] = []

  /**
   * The last element outside the stack to lose the focus: where the focus came from when it
   * entered the stack, and where it goes back when the toast holding it is the last to go.
   * Read from the document, as a `focusin` inside the stack only sees the other component's
   * host, not the field inside it.
   */
  private focusOrigin: HTMLElement | undefined
  private readonly onDocumentFocusOut = (event: FocusEvent): void => {
    const left = event.composedPath()[0]
    if (left instanceof HTMLElement && !this.shadowRoot?.contains(left)) this.focusOrigin = left
  }

  override connectedCallback(): void {
    super.connectedCallback()
    document.addEventListener('focusout', this.onDocumentFocusOut, true)
  }

  private readonly hub = new HubController(this, {
    server: () => this.hubUrl,
    credentials: this.credentials,
    dependencies: () => [this.topic, this.username],
    setup: (connection) => this.attachTo(connection),
  })

  override disconnectedCallback(): void {
    super.disconnectedCallback()
    document.removeEventListener('focusout', this.onDocumentFocusOut, true)
    for (const toast of this._toasts) toast.timer?.cancel()
    this._toasts = []
  }

  private attachTo(connection: HubConnection): () => void {
    const topic = this.topic || undefined
    const username = this.username?.trim()
    const onNotification = (notification: Notification): void => {
      if (belongsTo(topic, notification)) this.show(notification)
    }
    const onResult = (command: ReplayCommand, result: HubResult): void => {
      const ours =
        (command.event === 'subscribe' && command.topic === topic) ||
        (command.event === 'identify' && command.username === username)
      // No place in a toast stack for this: the page author is the one who can fix it.
      if (ours && !result.ok) console.warn(`tidings-toasts: ${result.error.message}`)
    }
    connection.on('notification', onNotification)
    const stopResults = connection.onResult(onResult)
    if (username) connection.identify(username)
    if (topic) connection.subscribe(topic)
    return () => {
      connection.off('notification', onNotification)
      stopResults()
      if (topic) connection.unsubscribe(topic)
    }
  }

  private show(notification: Notification): void {
    const duration = Number.isFinite(this.duration) && this.duration >= 0 ? this.duration : DEFAULT_DURATION
    const toast: Toast = { notification, timer: undefined }
    if (duration > 0) toast.timer = new DismissTimer(duration, () => this.dismiss(toast))
    const { kept, dropped } = pushBounded(this._toasts, toast, this.max)
    for (const old of dropped) old.timer?.cancel()
    this._toasts = kept
    this.emit('tidings-notification', notification)
  }

  private dismiss(toast: Toast): void {
    toast.timer?.cancel()
    this._toasts = this._toasts.filter((shown) => shown !== toast)
  }

  /**
   * Dismissed by the user (× or Escape): the focus, which was in that toast, moves to the next
   * toast's close button (else the previous one's), or back to where it was before the stack.
   */
  private async dismissByUser(toast: Toast): Promise<void> {
    const { polite, urgent } = this.byRegion()
    const shown = [...polite, ...urgent]
    const index = shown.indexOf(toast)
    const next = shown[index + 1] ?? shown[index - 1]
    this.dismiss(toast)
    await this.updateComplete
    const selector = next && `[data-id="${CSS.escape(next.notification.id)}"] [part~="close-button"]`
    const button = selector ? this.shadowRoot?.querySelector<HTMLElement>(selector) : undefined
    ;(button ?? this.focusOrigin)?.focus()
  }

  /** The toasts of each live region: errors are urgent, the rest polite. */
  private byRegion(): { polite: Toast[]; urgent: Toast[] } {
    const urgent = (toast: Toast) => toast.notification.level === 'error'
    return { polite: this._toasts.filter((t) => !urgent(t)), urgent: this._toasts.filter(urgent) }
  }

  protected override render(): TemplateResult {
    const t = this.t
    const { polite, urgent } = this.byRegion()
    return html`
      <div part="base">
        ${stateLabel(this.hub.connection, t, languageTagOf(this))}
        <div part="region" role="status" aria-label=${t.notifications}>${this.renderToasts(polite)}</div>
        <div part="alert-region" role="alert" aria-label=${t.urgentNotifications}>${this.renderToasts(urgent)}</div>
      </div>
    `
  }

  private renderToasts(toasts: Toast[]): unknown {
    return repeat(
      toasts,
      (toast) => toast.notification.id,
      (toast) => this.renderToast(toast),
    )
  }

  private renderToast(toast: Toast): TemplateResult {
    const { title, body, level } = toast.notification
    // Long texts are clamped; focusing the toast (a tap on it, or Tab to its button) shows them in full.
    return html`
      <div
        part="toast"
        class="open"
        data-level=${level}
        data-id=${toast.notification.id}
        @mouseenter=${() => toast.timer?.hold('hover')}
        @mouseleave=${() => toast.timer?.release('hover')}
        @focusin=${() => toast.timer?.hold('focus')}
        @focusout=${() => toast.timer?.release('focus')}
        @keydown=${(event: KeyboardEvent) => event.key === 'Escape' && this.dismissByUser(toast)}
      >
        <div class="content" tabindex="-1">
          <strong part="title" class="clamp">${title}</strong>
          <p part="body" class="clamp" ?hidden=${!body}>${body}</p>
        </div>
        <button
          part="close-button"
          type="button"
          aria-label=${this.t.closeToast(title)}
          @click=${() => this.dismissByUser(toast)}
        >
          <span aria-hidden="true">×</span>
        </button>
      </div>
    `
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'tidings-notification': CustomEvent<Notification>
  }
}
