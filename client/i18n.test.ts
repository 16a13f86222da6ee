import { afterEach, describe, expect, it, vi } from 'vitest'
import { languageTagOf, localeOf, pluralsOf, stringsFor } from './i18n.js'

/** A stand-in for a DOM element: just what the language lookup reads. */
interface FakeNode {
  lang?: string
  parent?: FakeNode
  /** Set on a shadow root's first element: the element hosting that root. */
  shadowHost?: FakeNode
}

function element(node: FakeNode, documentLang = ''): Element {
  const wrap = (n: FakeNode): Element =>
    ({
      getAttribute: (name: string) => (name === 'lang' ? (n.lang ?? null) : null),
      get parentElement() {
        return n.parent ? wrap(n.parent) : null
      },
      getRootNode: () => (n.shadowHost ? { host: wrap(n.shadowHost) } : {}),
      ownerDocument: { documentElement: { lang: documentLang } },
    }) as unknown as Element
  return wrap(node)
}

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('localeOf', () => {
  it.each([
    ['fr', 'fr'],
    ['fr-CA', 'fr'],
    ['FR-be', 'fr'],
    ['en-GB', 'en'],
    ['de', 'en'],
    ['', 'en'],
    [undefined, 'en'],
  ])('%s → %s', (tag, locale) => {
    expect(localeOf(tag)).toBe(locale)
  })
})

describe('languageTagOf', () => {
  it("prefers the element's own lang", () => {
    expect(languageTagOf(element({ lang: 'fr', parent: { lang: 'en' } }))).toBe('fr')
  })

  it('inherits from the closest ancestor with a lang', () => {
    const page = element({ parent: { parent: { lang: 'fr-CA', parent: { lang: 'en' } } } })
    expect(languageTagOf(page)).toBe('fr-CA')
  })

  it('crosses shadow roots to the host element', () => {
    const host: FakeNode = { parent: { lang: 'fr' } }
    expect(languageTagOf(element({ parent: { shadowHost: host } }))).toBe('fr')
  })

  it("falls back to the document's language, then the browser's", () => {
    expect(languageTagOf(element({}, 'fr'))).toBe('fr')
    vi.stubGlobal('navigator', { language: 'fr-FR' })
    expect(languageTagOf(element({}))).toBe('fr-FR')
  })
})

describe('strings', () => {
  it('translates every connection state and the close button', () => {
    expect(stringsFor('fr').state.reconnecting).toBe('Reconnexion…')
    expect(stringsFor('en').state.reconnecting).toBe('Reconnecting…')
    expect(stringsFor('fr').close).toBe('Fermer')
    expect(stringsFor('en').close).toBe('Close')
  })

  it('puts the name in join and leave lines, and pluralises per language', () => {
    expect(stringsFor('en').joined('Zoé')).toContain('Zoé')
    expect(stringsFor('fr').left('Zoé')).toContain('Zoé')
    expect(stringsFor('en').usersOnline(0)).toBe('users online')
    expect(stringsFor('en').usersOnline(1)).toBe('user online')
    expect(stringsFor('fr').usersOnline(0)).toBe('utilisateur en ligne')
    expect(stringsFor('fr').usersOnline(2)).toBe('utilisateurs en ligne')
  })
})

describe('plurals', () => {
  it.each([
    ['en', 0, 'users online'],
    ['en', 1, 'user online'],
    ['en', 2, 'users online'],
    ['en', 1.5, 'users online'],
    ['fr', 0, 'utilisateur en ligne'],
    ['fr', 1, 'utilisateur en ligne'],
    ['fr', 1.5, 'utilisateur en ligne'],
    ['fr', 2, 'utilisateurs en ligne'],
    ['fr', 1_000_000, 'utilisateurs en ligne'],
  ] as const)('%s, %d → %s', (locale, count, text) => {
    expect(stringsFor(locale).usersOnline(count)).toBe(text)
  })

  it('counts characters and unread notifications with the same rules', () => {
    expect(stringsFor('en').charactersLeft(1)).toBe('1 character left')
    expect(stringsFor('en').charactersLeft(0)).toBe('0 characters left')
    expect(stringsFor('fr').charactersLeft(1)).toBe('1 caractère restant')
    expect(stringsFor('fr').inboxLabel(0)).toBe('Notifications, 0 non lue')
    expect(stringsFor('fr').inboxLabel(3)).toBe('Notifications, 3 non lues')
  })

  it('falls back to "other" for a category a text does not give', () => {
    expect(pluralsOf('fr')(1_000_000, { one: 'un', other: 'plusieurs' })).toBe('plusieurs')
  })
})
