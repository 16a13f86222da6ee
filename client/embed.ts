/**
 * The embed script (`/tidings.js`): defines `<tidings-chat>`, `<tidings-user-count>`,
 * `<tidings-toasts>` and `<tidings-inbox>`. Components without a `server` attribute talk to the
 * hub that served it.
 *
 * @example
 * <script type="module" src="https://hub.example.com/tidings.js"></script>
 * <tidings-toasts></tidings-toasts>
 */
// First, so the default hub is known before the definitions below upgrade elements already on the page.
import './script-origin.js'
import './chat/chat.js'
import './inbox/inbox.js'
import './toasts/toasts.js'
import './user-count/user-count.js'
