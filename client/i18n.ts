import type { ConnectionState } from './connection/hub-connection.js'

/** The languages the components speak. */
export type Locale = 'en' | 'fr'

/** Every text a component shows; functions for texts that embed data. */
export interface Strings {
  state: Record<ConnectionState, string>
  chatLabel: string
  /** Names the chat's landmark, unique per room (a page may have its own "Chat" heading). */
  chatRoom: (room: string) => string
  /** A name of nothing but spaces was submitted. */
  nameBlank: string
  namePrompt: string
  nameButton: string
  messageLabel: string
  messagePlaceholder: string
  sendButton: string
  charactersLeft: (count: number) => string
  joined: (username: string) => string
  left: (username: string) => string
  refused: string
  usersOnline: (count: number) => string
  notifications: string
  urgentNotifications: string
  close: string
  /** A toast's close button, named after its toast. */
  closeToast: (title: string) => string
  /** Between a label and what follows ("Unread: …"); French puts a narrow space before the colon. */
  colon: string
  earlierMessages: string
  inboxLabel: (unread: number) => string
  markAllRead: string
  loadMore: string
  inboxEmpty: string
  inboxNeedsName: string
  unread: string
}

/** The plural forms a text needs in one language; `other` is the fallback for every category. */
type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string }

/**
 * The form of a counted text for `count`, by the language's plural rules (CLDR, through
 * `Intl.PluralRules`): English has "one" for 1 only, French for 0 and 1.
 *
 * @example
 * const plural = pluralsOf('fr')
 * plural(0, { one: 'utilisateur', other: 'utilisateurs' }) // 'utilisateur'
 */
export function pluralsOf(locale: Locale): (count: number, forms: PluralForms) => string {
  const rules = new Intl.PluralRules(locale)
  return (count, forms) => forms[rules.select(count)] ?? forms.other
}

const enPlural = pluralsOf('en')
const frPlural = pluralsOf('fr')

const en: Strings = {
  state: {
    connecting: 'Connecting…',
    connected: 'Connected',
    reconnecting: 'Reconnecting…',
    disconnected: 'Disconnected',
    unauthorized: 'Not authorised: sign in again',
  },
  chatLabel: 'Chat',
  chatRoom: (room) => `Chat room ${room}`,
  nameBlank: 'Enter a name with at least one letter or digit.',
  namePrompt: 'Choose a name to join the chat',
  nameButton: 'Join',
  messageLabel: 'Message',
  messagePlaceholder: 'Write a message…',
  sendButton: 'Send',
  charactersLeft: (count) => `${count} ${enPlural(count, { one: 'character', other: 'characters' })} left`,
  joined: (username) => `${username} joined`,
  left: (username) => `${username} left`,
  refused: 'Refused',
  usersOnline: (count) => enPlural(count, { one: 'user online', other: 'users online' }),
  notifications: 'Notifications',
  urgentNotifications: 'Urgent notifications',
  close: 'Close',
  closeToast: (title) => `Close: ${title}`,
  colon: ': ',
  earlierMessages: 'Earlier messages',
  inboxLabel: (unread) => `Notifications, ${unread} unread`,
  markAllRead: 'Mark all as read',
  loadMore: 'Load more',
  inboxEmpty: 'No notifications yet',
  inboxNeedsName: 'Choose a name to see your notifications.',
  unread: 'Unread',
}

const fr: Strings = {
  state: {
    connecting: 'Connexion…',
    connected: 'Connecté',
    reconnecting: 'Reconnexion…',
    disconnected: 'Déconnecté',
    unauthorized: 'Non autorisé\u202f: reconnectez-vous',
  },
  chatLabel: 'Discussion',
  chatRoom: (room) => `Salon ${room}`,
  nameBlank: 'Saisissez un nom avec au moins une lettre ou un chiffre.',
  namePrompt: 'Choisissez un nom pour rejoindre la discussion',
  nameButton: 'Rejoindre',
  messageLabel: 'Message',
  messagePlaceholder: 'Écrire un message…',
  sendButton: 'Envoyer',
  charactersLeft: (count) => `${count} ${frPlural(count, { one: 'caractère restant', other: 'caractères restants' })}`,
  joined: (username) => `${username} a rejoint le salon`,
  left: (username) => `${username} a quitté le salon`,
  refused: 'Refusé',
  usersOnline: (count) => frPlural(count, { one: 'utilisateur en ligne', other: 'utilisateurs en ligne' }),
  notifications: 'Notifications',
  urgentNotifications: 'Notifications urgentes',
  close: 'Fermer',
  closeToast: (title) => `Fermer\u202f: ${title}`,
  colon: '\u202f: ',
  earlierMessages: 'Messages précédents',
  inboxLabel: (unread) => `Notifications, ${unread} non ${frPlural(unread, { one: 'lue', other: 'lues' })}`,
  markAllRead: 'Tout marquer comme lu',
  loadMore: 'Voir plus',
  inboxEmpty: 'Aucune notification pour l’instant',
  inboxNeedsName: 'Choisissez un nom pour voir vos notifications.',
  unread: 'Non lue',
}

const catalog: Record<Locale, Strings> = { en, fr }

/** Maps a BCP 47 tag to a supported locale: any French variant is French, the rest English. */
export function localeOf(tag: string | null | undefined): Locale {
  return tag?.trim().toLowerCase().startsWith('fr') ? 'fr' : 'en'
}

/** The strings for a locale. */
export function stringsFor(locale: Locale): Strings {
  return catalog[locale]
}

/**
 * The language tag that applies to `element`: its own `lang`, else the closest ancestor's
 * (crossing shadow roots, so a component inside another component inherits it), else the
 * document's, else the browser's.
 */
export function languageTagOf(element: Element): string {
  for (const node of langHolders(element)) {
    const lang = node.getAttribute('lang')
    if (lang) return lang
  }
  return element.ownerDocument?.documentElement.lang || globalThis.navigator?.language || 'en'
}

/**
 * `element` and every element above it, crossing shadow roots, up to `<html>`: where a `lang`
 * that applies to it may be set.
 */
export function langHolders(element: Element): Element[] {
  const holders: Element[] = []
  for (let node: Element | null = element; node; node = node.parentElement ?? hostOf(node)) holders.push(node)
  return holders
}

function hostOf(node: Element): Element | null {
  const root = node.getRootNode()
  return 'host' in root ? (root as ShadowRoot).host : null
}

/** The strings an element should show, from {@link languageTagOf}. */
export function stringsOf(element: Element): Strings {
  return stringsFor(localeOf(languageTagOf(element)))
}
