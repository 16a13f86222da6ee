import TidingsInbox from './inbox.component.js'

export default TidingsInbox

if (!customElements.get('tidings-inbox')) customElements.define('tidings-inbox', TidingsInbox)

declare global {
  interface HTMLElementTagNameMap {
    'tidings-inbox': TidingsInbox
  }
}
