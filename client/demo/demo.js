// The demo page's own behaviour: the notification form and the language switch. Plain DOM,
// and every answer is shown with textContent, never parsed as HTML.

const KEY_STORAGE = 'tidings-demo-key'

const form = document.getElementById('notify')
const answer = document.getElementById('answer')
const langSelect = document.getElementById('lang')

const remembered = sessionStorage.getItem(KEY_STORAGE)
if (remembered) {
  form.elements.key.value = remembered
  form.elements.remember.checked = true
}

function show(outcome, text) {
  answer.dataset.outcome = outcome
  answer.textContent = text
}

/** The request body: only the fields that were filled, as the API refuses empty topic/user. */
function notificationFrom(fields) {
  const body = { title: fields.title.value, level: fields.level.value }
  for (const name of ['body', 'topic', 'user']) {
    const value = fields[name].value.trim()
    if (value) body[name] = value
  }
  return body
}

form.addEventListener('submit', async (event) => {
  event.preventDefault()
  const fields = form.elements
  const key = fields.key.value.trim()
  if (fields.remember.checked) sessionStorage.setItem(KEY_STORAGE, key)
  else sessionStorage.removeItem(KEY_STORAGE)

  const button = form.querySelector('button[type="submit"]')
  button.disabled = true
  show('pending', 'Sending…')
  try {
    const response = await fetch('/notify', {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(notificationFrom(fields)),
    })
    const text = await response.text()
    let pretty = text
    try {
      pretty = JSON.stringify(JSON.parse(text), null, 2)
    } catch {
      // Not JSON (a proxy's error page, say): show it as it came.
    }
    show(response.ok ? 'ok' : 'error', `HTTP ${response.status}\n${pretty}`)
  } catch (err) {
    show('error', `The hub could not be reached: ${err instanceof Error ? err.message : String(err)}`)
  } finally {
    button.disabled = false
  }
})

// Components read their language when they render; setting `lang` on each makes them re-render.
function applyLanguage(lang) {
  document.documentElement.lang = lang
  for (const element of document.querySelectorAll('tidings-chat, tidings-user-count, tidings-toasts, tidings-inbox')) {
    element.setAttribute('lang', lang)
  }
}

const initial = navigator.language.toLowerCase().startsWith('fr') ? 'fr' : 'en'
langSelect.value = initial
applyLanguage(initial)
langSelect.addEventListener('change', () => applyLanguage(langSelect.value))
