import { html, nothing, type PropertyValues, type TemplateResult } from 'lit'
import { property, state } from 'lit/decorators.js'
import { repeat } from 'lit/directives/repeat.js'
import type { ChatMessage, RoomMemberChange } from '../../shared/index.js'
import { DEFAULT_ROOM, LIMITS } from '../../shared/limits.js'
import type { HubConnection } from '../connection/hub-connection.js'
import { HubController } from '../connection/hub-controller.js'
import type { HubError } from '../connection/hub-result.js'
import type { ReplayCommand } from '../connection/session-memory.js'
import { languageTagOf } from '../i18n.js'
import { formatLocalTime } from '../internal/format-time.js'
import { stateLabel } from '../internal/state-label.js'
import { TidingsElement } from '../internal/tidings-element.js'
import { appendEntry, leadingHistory, mergeHistory, messageEntry, systemEntry, type ChatEntry } from './chat-entries.js'
import { styles } from './chat.styles.js'
import { rememberName, rememberedName } from './remembered-name.js'

// How close to the end (px) still counts as "reading the newest messages".
const STICKY_DISTANCE = 32

/**
 * @summary A chat room on a Tidings hub: the room's recent history, live messages, who comes and
 * goes, and a composer.
 *
 * @fires tidings-message - A message arrived in this room. `detail` is the `ChatMessage`.
 *
 * @csspart base - The component's wrapper.
 * @csspart status - The connection state as text; `data-state` is `connecting`, `connected`, `reconnecting`, `disconnected` or `unauthorized`.
 * @csspart name-form - Shown when no `username` is given: asks for a display name.
 * @csspart name-input - The display name field.
 * @csspart name-button - Joins the room with the chosen name.
 * @csspart name-error - Why the name was not taken (a name of only spaces).
 * @csspart log - The message list (`role="log"`).
 * @csspart message - One chat message.
 * @csspart author - A message's author.
 * @csspart time - A message's local time (`<time datetime>`).
 * @csspart text - A message's text.
 * @csspart system-message - Someone joined or left the room.
 * @csspart history-divider - Ends the messages sent before this page joined (`role="separator"`); those have `data-history`.
 * @csspart composer - The form that sends a message.
 * @csspart input - The message field.
 * @csspart counter - Characters left.
 * @csspart send-button - Sends the message.
 * @csspart error - The hub's last refusal.
 *
 * @cssproperty --tidings-chat-height - Height of the message list. Default `20rem`.
 * @cssproperty --tidings-font - Font family.
 * @cssproperty --tidings-color - Text colour.
 * @cssproperty --tidings-muted-color - Secondary text colour.
 * @cssproperty --tidings-background - Background colour.
 * @cssproperty --tidings-surface - Background of messages and fields.
 * @cssproperty --tidings-border-color - Border colour.
 * @cssproperty --tidings-accent - Accent colour (buttons, own name).
 * @cssproperty --tidings-accent-contrast - Text on the accent colour.
 * @cssproperty --tidings-danger - Error colour.
 * @cssproperty --tidings-radius - Corner radius.
 */
export default class TidingsChat extends TidingsElement {
  static override styles = styles

  /**
   * The display name to chat under. When absent, the signed token's name is used, else the
   * component asks for one.
   */
  @property() username?: string

  /** The room to join. */
  @property() room: string = DEFAULT_ROOM

  @state() private _chosenName = ''
  @state() private _entries: ChatEntry[] = []
  @state() private _draft = ''
  @state() private _error: HubError | undefined
  @state() private _nameError = ''
  /** True while the room's history is arriving: it is shown, not read out message by message. */
  @state() private _quietLog = false

  private get _log(): HTMLElement | null | undefined {
    return this.shadowRoot?.querySelector('[part="log"]')
  }

  // Not reactive: only read after a render, to decide whether to follow the newest message.
  private followNewest = true
  private shownRoom: string | undefined
  /** Set when the name form is submitted: the composer that replaces it takes the focus. */
  private focusComposer = false

  private readonly hub = new HubController(this, {
    server: () => this.hubUrl,
    credentials: this.credentials,
    dependencies: () => [this.room, this.displayName],
    setup: (connection) => this.attachTo(connection),
  })

  /** The name in use: the `username` attribute, else the signed token's, else the one typed in the name form. */
  private get displayName(): string | undefined {
    return this.nameOn(this.hub?.connection)
  }

  // Takes the connection explicitly: during set-up the controller has not published it yet.
  private nameOn(connection: HubConnection | undefined): string | undefined {
    return this.username?.trim() || connection?.tokenName || this._chosenName || undefined
  }

  override connectedCallback(): void {
    // Before the controller attaches (in super), so that a reload joins under the same name.
    if (!this._chosenName) this._chosenName = rememberedName(this.hubUrl)
    super.connectedCallback()
  }

  private attachTo(connection: HubConnection): () => void {
    const room = this.room
    const name = this.nameOn(connection)
    if (this.shownRoom !== room) this._entries = []
    this.shownRoom = room
    // Joined or watching, the room's history comes first.
    this._quietLog = true

    const onMessage = (message: ChatMessage): void => {
      if (message.room !== room) return
      this._entries = appendEntry(this._entries, messageEntry(message))
      this.emit('tidings-message', message)
    }
    const onHistory = ({ room: historyRoom, messages }: { room: string; messages: ChatMessage[] }): void => {
      if (historyRoom !== room) return
      this._entries = mergeHistory(this._entries, messages)
      // Live again once the history is on screen.
      void this.updateComplete.then(() => (this._quietLog = false))
    }
    const onJoined = (change: RoomMemberChange): void => {
      if (change.room === room) this._entries = appendEntry(this._entries, systemEntry('joined', change))
    }
    const onLeft = (change: RoomMemberChange): void => {
      if (change.room === room) this._entries = appendEntry(this._entries, systemEntry('left', change))
    }
    const onResult = (command: ReplayCommand, result: { ok: boolean; error?: HubError }): void => {
      if ((command.event !== 'join' && command.event !== 'watch') || command.room !== room) return
      if (result.ok) return this.clearError()
      this._error = result.error
      this._quietLog = false
      // A name the hub refused is asked for again; one given as an attribute is the page's to fix.
      if (!this.username?.trim()) this.choose('')
    }

    connection.on('chat-message', onMessage)
    connection.on('chat-history', onHistory)
    connection.on('room-joined', onJoined)
    connection.on('room-left', onLeft)
    const stopResults = connection.onResult(onResult)
    // Before joining, a visitor watches: the room's recent history and live messages.
    if (name) connection.joinRoom(room, name)
    else connection.watchRoom(room)

    return () => {
      connection.off('chat-message', onMessage)
      connection.off('chat-history', onHistory)
      connection.off('room-joined', onJoined)
      connection.off('room-left', onLeft)
      stopResults()
      if (name) connection.leaveRoom(room)
      else connection.unwatchRoom(room)
    }
  }

  private clearError(): void {
    this._error = undefined
  }

  private choose(name: string): void {
    this._chosenName = name
    rememberName(this.hubUrl, name)
  }

  private onNameSubmit(event: SubmitEvent): void {
    event.preventDefault()
    const input = (event.currentTarget as HTMLFormElement).elements.namedItem('name') as HTMLInputElement
    const name = input.value.trim()
    this._nameError = name ? '' : this.t.nameBlank
    if (!name) return input.focus()
    this.focusComposer = true
    this.choose(name)
  }

  private async onComposerSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault()
    const draft = this._draft
    const text = draft.trim()
    const connection = this.hub.connection
    if (!text || !connection || !this.displayName) return
    // Cleared at once so the next message can be typed while the hub answers; a refused text
    // comes back unless something new was typed meanwhile.
    this._draft = ''
    const result = await connection.sendChatMessage(text, this.room)
    if (result.ok) {
      this.clearError()
    } else {
      this._error = result.error
      if (!this._draft) this._draft = draft
    }
  }

  private onLogScroll(): void {
    const log = this._log
    if (log) this.followNewest = log.scrollHeight - log.scrollTop - log.clientHeight < STICKY_DISTANCE
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('_entries') && this.followNewest && this._log) {
      this._log.scrollTop = this._log.scrollHeight
    }
    const composer = this.shadowRoot?.querySelector<HTMLInputElement>('[part="input"]')
    if (this.focusComposer && composer) {
      this.focusComposer = false
      composer.focus()
    }
  }

  protected override render(): TemplateResult {
    const t = this.t
    const connection = this.hub.connection
    const state = connection?.state ?? 'disconnected'
    const history = leadingHistory(this._entries)
    return html`
      <section part="base" aria-label=${t.chatRoom(this.room)}>
        <header class="header">
          <span class="room"># ${this.room}</span>
          ${stateLabel(connection, t, languageTagOf(this))}
        </header>
        <div
          part="log"
          role="log"
          tabindex="0"
          aria-label=${t.chatLabel}
          aria-live=${this._quietLog ? 'off' : 'polite'}
          @scroll=${this.onLogScroll}
        >
          ${repeat(
            this._entries,
            (entry) => entry.key,
            (entry, index) => [this.renderEntry(entry), index + 1 === history ? this.renderDivider() : nothing],
          )}
        </div>
        <p part="error" role="alert" ?hidden=${!this._error}>
          ${this._error ? `${t.refused}${t.colon}${this._error.message} (${this._error.code})` : nothing}
        </p>
        ${this.displayName ? this.renderComposer(state === 'connected') : this.renderNameForm()}
      </section>
    `
  }

  private renderEntry(entry: ChatEntry): TemplateResult {
    if (entry.kind === 'system') {
      const text = entry.change === 'joined' ? this.t.joined(entry.username) : this.t.left(entry.username)
      return html`<div part="system-message" data-change=${entry.change}>${text}</div>`
    }
    const { username, timestamp, message } = entry.message
    const own = username === this.displayName
    return html`
      <article part="message" class=${own ? 'own' : ''} ?data-history=${entry.history}>
        <header class="meta">
          <span part="author">${username}</span>
          <time part="time" datetime=${timestamp}>${formatLocalTime(timestamp, languageTagOf(this))}</time>
        </header>
        <p part="text">${message}</p>
      </article>
    `
  }

  private renderDivider(): TemplateResult {
    return html`<div part="history-divider" role="separator">${this.t.earlierMessages}</div>`
  }

  private renderNameForm(): TemplateResult {
    const t = this.t
    return html`
      <form part="name-form" @submit=${this.onNameSubmit}>
        <label for="name">${t.namePrompt}</label>
        <div class="row">
          <input
            part="name-input"
            id="name"
            name="name"
            required
            autocomplete="nickname"
            maxlength=${LIMITS.usernameLength}
            aria-invalid=${this._nameError ? 'true' : 'false'}
            aria-describedby="name-error"
          />
          <button part="name-button" type="submit">${t.nameButton}</button>
        </div>
        <p part="name-error" id="name-error" role="alert">${this._nameError}</p>
      </form>
    `
  }

  private renderComposer(connected: boolean): TemplateResult {
    const t = this.t
    const left = LIMITS.chatMessageLength - this._draft.length
    return html`
      <form part="composer" @submit=${this.onComposerSubmit}>
        <input
          part="input"
          name="message"
          autocomplete="off"
          aria-label=${t.messageLabel}
          aria-describedby="counter-description"
          placeholder=${t.messagePlaceholder}
          maxlength=${LIMITS.chatMessageLength}
          .value=${this._draft}
          @input=${(event: InputEvent) => (this._draft = (event.target as HTMLInputElement).value)}
        />
        <span part="counter" aria-hidden="true">${left}</span>
        <span id="counter-description" class="visually-hidden">${t.charactersLeft(left)}</span>
        <button part="send-button" type="submit" ?disabled=${!connected}>${t.sendButton}</button>
      </form>
    `
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'tidings-message': CustomEvent<ChatMessage>
  }
}
