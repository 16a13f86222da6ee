// The name typed in the chat's name form, kept for the tab's session so that a reload does not
// make the user leave and join again under a new name. Per hub: each hub has its own people.
// Storage can be refused (sandboxed frames, some privacy settings): then nothing is kept.

const keyFor = (hub: string): string => `tidings-name:${hub}`

/**
 * The name chosen on `hub` earlier in this tab, or `''`.
 *
 * @example
 * const name = rememberedName('https://hub.example.com')
 */
export function rememberedName(hub: string): string {
  try {
    return sessionStorage.getItem(keyFor(hub)) ?? ''
  } catch {
    return ''
  }
}

/**
 * Keeps `name` for `hub` for the rest of the tab's session; an empty name forgets it.
 *
 * @example
 * rememberName('https://hub.example.com', 'alice')
 */
export function rememberName(hub: string, name: string): void {
  try {
    if (name) sessionStorage.setItem(keyFor(hub), name)
    else sessionStorage.removeItem(keyFor(hub))
  } catch {
    // Not kept: the name form asks again after a reload.
  }
}
