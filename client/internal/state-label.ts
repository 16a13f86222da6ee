import { html, type TemplateResult } from 'lit'
import type { ConnectionState } from '../connection/hub-connection.js'
import type { Strings } from '../i18n.js'

/** The connection status every component shows: text for people, `data-state` for styles and tests. */
export function stateLabel(state: ConnectionState, t: Strings): TemplateResult {
  return html`<span part="status" data-state=${state} role="status"
    ><span class="dot" aria-hidden="true"></span>${t.state[state]}</span
  >`
}
