/** Supplies a fresh signed token, e.g. from the page's login session. */
export type TokenProvider = () => string | Promise<string>

interface Claims {
  exp?: unknown
  name?: unknown
  sub?: unknown
}

/**
 * The claims of a JWT, decoded from base64url without any verification: the hub verifies; the
 * client only reads when the token expires and whose it is. Undefined for anything malformed.
 */
export function decodeClaims(token: string | undefined): Claims | undefined {
  const payload = token?.split('.')[1]
  if (!payload) return undefined
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '=')
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))
    const claims: unknown = JSON.parse(new TextDecoder().decode(bytes))
    return claims && typeof claims === 'object' ? (claims as Claims) : undefined
  } catch {
    return undefined
  }
}

/** When the token expires, in ms since the epoch, if it says. */
export function tokenExpiry(token: string | undefined): number | undefined {
  const exp = decodeClaims(token)?.exp
  return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined
}

/** The name the hub will give the token's holder: its `name` claim, else its `sub`. */
export function tokenName(token: string | undefined): string | undefined {
  const claims = decodeClaims(token)
  const name = claims?.name ?? claims?.sub
  return typeof name === 'string' && name.trim() ? name.trim() : undefined
}
