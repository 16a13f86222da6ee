import { html, type TemplateResult } from 'lit'
import { state } from 'lit/decorators.js'
import type { PresenceChange, PresenceSnapshot } from '../../shared/index.js'
import type { HubConnection } from '../connection/hub-connection.js'
import { HubController } from '../connection/hub-controller.js'
import { languageTagOf } from '../i18n.js'
import { stateLabel } from '../internal/state-label.js'
import { TidingsElement } from '../internal/tidings-element.js'
import { styles } from './user-count.styles.js'

/**
 * @summary How many distinct users are online on a Tidings hub, live.
 *
 * @csspart base - The component's wrapper; `data-state` mirrors the connection state.
 * @csspart count - The number of users online, digits only (empty until the hub has said).
 * @csspart label - The words after the number.
 * @csspart status - The connection state as text, shown while not connected; `data-state` as on `base`.
 *
 * @cssproperty --tidings-font - Font family.
 * @cssproperty --tidings-color - Text colour.
 * @cssproperty --tidings-muted-color - Colour of the label and status.
 * @cssproperty --tidings-accent - Colour of the number.
 */
export default class TidingsUserCount extends TidingsElement {
  static override styles = styles

  @state() private _count: number | undefined

  private readonly hub = new HubController(this, {
    server: () => this.hubUrl,
    credentials: this.credentials,
    setup: (connection) => this.attachTo(connection),
  })

  private attachTo(connection: HubConnection): () => void {
    // A connection shared with components that came first has already had its `presence`.
    this._count = connection.userCount
    const update = ({ userCount }: PresenceSnapshot | PresenceChange): void => {
      this._count = userCount
    }
    connection.on('presence', update)
    connection.on('user-joined', update)
    connection.on('user-left', update)
    return () => {
      connection.off('presence', update)
      connection.off('user-joined', update)
      connection.off('user-left', update)
    }
  }

  protected override render(): TemplateResult {
    const t = this.t
    const connection = this.hub.connection
    return html`<span part="base" data-state=${connection?.state ?? 'disconnected'}
      ><span part="count">${this._count ?? ''}</span> <span part="label">${t.usersOnline(this._count ?? 0)}</span>
      ${stateLabel(connection, t, languageTagOf(this))}</span
    >`
  }
}
