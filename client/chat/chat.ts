import TidingsChat from './chat.component.js'

export default TidingsChat

if (!customElements.get('tidings-chat')) customElements.define('tidings-chat', TidingsChat)

declare global {
  interface HTMLElementTagNameMap {
    'tidings-chat': TidingsChat
  }
}
