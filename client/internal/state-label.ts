import { html, type TemplateResult } from 'lit'
import type { ConnectionState, HubConnection } from '../connection/hub-connection.js'
import type { Strings } from '../i18n.js'
import { announceState } from './state-announcer.js'

/**
 * The connection status every component shows: text for people, `data-state` for styles and
 * tests. It is not a live region itself: five components would say the same thing five times;
 * the change is announced once per page ({@link announceState}).
 */
export function stateLabel(connection: HubConnection | undefined, t: Strings, lang: string): TemplateResult {
  const state: ConnectionState = connection?.state ?? 'disconnected'
  if (connection) announceState(connection, state, t.state[state], lang)
  return html`<span part="status" data-state=${state}><span class="dot" aria-hidden="true"></span>${t.state[state]}</span>`
}
