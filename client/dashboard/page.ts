// The /dashboard page's script: the component, in the reader's language unless the page says.
import './dashboard.js'

document.documentElement.lang ||= navigator.language || 'en'
