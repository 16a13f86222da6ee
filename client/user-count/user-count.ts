import TidingsUserCount from './user-count.component.js'

export default TidingsUserCount

if (!customElements.get('tidings-user-count')) customElements.define('tidings-user-count', TidingsUserCount)

declare global {
  interface HTMLElementTagNameMap {
    'tidings-user-count': TidingsUserCount
  }
}
