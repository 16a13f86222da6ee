/**
 * A timestamp as the reader's local wall-clock time, in the element's language
 * (e.g. `14:05` or `2:05 PM`). Falls back to the browser's format for a tag Intl does not know.
 */
export function formatLocalTime(iso: string, languageTag: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  const options: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' }
  try {
    return date.toLocaleTimeString(languageTag, options)
  } catch {
    return date.toLocaleTimeString(undefined, options)
  }
}
