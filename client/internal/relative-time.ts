// Longest unit first: the first that fits at least once is used ("3 days ago", not "72 h ago").
// No weeks: "10 days ago" says more than "1 week ago".
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 31_536_000],
  ['month', 2_592_000],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
]

function formatter(languageTag: string): Intl.RelativeTimeFormat {
  const options: Intl.RelativeTimeFormatOptions = { numeric: 'auto', style: 'short' }
  try {
    return new Intl.RelativeTimeFormat(languageTag, options)
  } catch {
    return new Intl.RelativeTimeFormat(undefined, options)
  }
}

/**
 * How long ago (or ahead) `iso` is from `now`, in the element's language: `2 min. ago`,
 * `il y a 2 min`, `yesterday`. Under a minute reads as "now".
 */
export function formatRelativeTime(iso: string, now: number, languageTag: string): string {
  const at = Date.parse(iso)
  if (Number.isNaN(at)) return iso
  const seconds = Math.round((at - now) / 1000)
  const rtf = formatter(languageTag)
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return rtf.format(Math.round(seconds / size), unit)
  }
  return rtf.format(0, 'second')
}
