import TidingsToasts from './toasts.component.js'

export default TidingsToasts

if (!customElements.get('tidings-toasts')) customElements.define('tidings-toasts', TidingsToasts)

declare global {
  interface HTMLElementTagNameMap {
    'tidings-toasts': TidingsToasts
  }
}
