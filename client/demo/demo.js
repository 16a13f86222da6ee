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
  show('pending', document.documentElement.lang === 'fr' ? 'Envoi…' : 'Sending…')
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

// The page's own texts in both languages the components speak. The components follow the
// page's `lang` by themselves.
const TEXTS = {
  en: {
    tagline: 'A self-hosted realtime hub: notifications, chat rooms and presence.',
    language: 'Language',
    chatTitle: 'Chat',
    chatHint:
      "Pick a name, then open this page in a second window to talk to yourself. The bell above is that name's inbox: send a notification with your name as User to see it arrive.",
    notifyTitle: 'Send a notification',
    notifyHintBefore: 'This form calls',
    notifyHintAfter: 'like any publisher would. Leave topic and user empty to notify everyone; toasts appear in the corner.',
    title: 'Title',
    body: 'Body',
    level: 'Level',
    topic: 'Topic',
    optional: '(optional)',
    topicRule: 'Letters, digits and _ . : - (at most 64)',
    user: 'User',
    apiKey: 'API key',
    remember: 'Remember the key in this tab (session storage)',
    send: 'Send',
    answer: 'Answer',
    nothingSent: 'Nothing sent yet.',
    feedHint:
      'A second toast stack that follows one topic, placed in the page instead of the corner. Send with topic deploys to see it here.',
    embed: 'Embed on any site:',
    notifications: 'Notifications',
  },
  fr: {
    tagline: 'Un hub temps réel auto-hébergé\u202f: notifications, salons de discussion et présence.',
    language: 'Langue',
    chatTitle: 'Discussion',
    chatHint:
      'Choisissez un nom, puis ouvrez cette page dans une deuxième fenêtre pour vous parler à vous-même. La cloche ci-dessus est la boîte de réception de ce nom\u202f: envoyez une notification avec votre nom comme Utilisateur pour la voir arriver.',
    notifyTitle: 'Envoyer une notification',
    notifyHintBefore: 'Ce formulaire appelle',
    notifyHintAfter:
      'comme le ferait tout éditeur. Laissez sujet et utilisateur vides pour notifier tout le monde\u202f; les notifications apparaissent dans le coin.',
    title: 'Titre',
    body: 'Texte',
    level: 'Niveau',
    topic: 'Sujet',
    optional: '(facultatif)',
    topicRule: 'Lettres, chiffres et _ . : - (64 au plus)',
    user: 'Utilisateur',
    apiKey: 'Clé d’API',
    remember: 'Garder la clé dans cet onglet (stockage de session)',
    send: 'Envoyer',
    answer: 'Réponse',
    nothingSent: 'Rien d’envoyé pour l’instant.',
    feedHint:
      'Une deuxième pile de notifications qui suit un sujet, placée dans la page plutôt que dans le coin. Envoyez avec le sujet deploys pour la voir ici.',
    embed: 'À intégrer sur n’importe quel site\u202f:',
    notifications: 'Notifications',
  },
}

function applyLanguage(lang) {
  document.documentElement.lang = lang
  const texts = TEXTS[lang]
  for (const element of document.querySelectorAll('[data-i18n]')) {
    // The answer area keeps what the hub said once something was sent.
    if (element === answer && answer.dataset.outcome !== 'none') continue
    element.textContent = texts[element.dataset.i18n]
  }
  for (const element of document.querySelectorAll('[data-i18n-label]')) {
    element.setAttribute('aria-label', texts[element.dataset.i18nLabel])
  }
  // The browser's own "match the requested format" says nothing of the format: the title does.
  form.elements.topic.title = texts.topicRule
}

const initial = navigator.language.toLowerCase().startsWith('fr') ? 'fr' : 'en'
langSelect.value = initial
applyLanguage(initial)
langSelect.addEventListener('change', () => applyLanguage(langSelect.value))
