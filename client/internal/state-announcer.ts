import type { ConnectionState } from '../connection/hub-connection.js'

/** The last state announced for each connection, whichever component saw it first. */
const announced = new WeakMap<object, ConnectionState>()
let region: HTMLElement | undefined

/**
 * The page's one polite live region for connection states, in the page's light DOM. It is
 * created empty, before anything is said: screen readers ignore a region that appears with
 * its text already in it.
 */
function liveRegion(): HTMLElement {
  if (region?.isConnected) return region
  region = document.createElement('div')
  region.setAttribute('role', 'status')
  region.dataset.tidingsAnnouncer = ''
  region.style.cssText = 'position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap'
  document.body.append(region)
  return region
}

/**
 * Says a connection's new state once, however many components show it. The first connection
 * is not news; what follows it is (reconnecting, connected again, disconnected, unauthorised).
 *
 * @example
 * announceState(connection, 'reconnecting', 'Reconnecting…', 'en')
 */
export function announceState(connection: object, state: ConnectionState, text: string, lang: string): void {
  const live = liveRegion()
  const previous = announced.get(connection)
  if (previous === state) return
  announced.set(connection, state)
  if (previous === undefined || (previous === 'connecting' && state === 'connected')) return
  live.lang = lang
  live.textContent = text
}
