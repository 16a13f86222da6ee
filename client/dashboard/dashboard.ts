import TidingsDashboard from './dashboard.component.js'

export default TidingsDashboard

if (!customElements.get('tidings-dashboard')) customElements.define('tidings-dashboard', TidingsDashboard)

declare global {
  interface HTMLElementTagNameMap {
    'tidings-dashboard': TidingsDashboard
  }
}
