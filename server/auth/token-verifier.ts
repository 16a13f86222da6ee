import { createPublicKey } from 'node:crypto'
import { errors, importSPKI, jwtVerify, type CryptoKey, type JWTPayload } from 'jose'
import { LIMITS, userIdSchema } from '../../shared/index.js'
import { TokenError } from './token-error.js'

export { TokenError, TOKEN_ERROR_CODES, type TokenErrorCode } from './token-error.js'

export interface TokenVerifierOptions {
  /** Shared secret for HS256 tokens (at least 32 characters). Give this or `publicKeyPem`. */
  secret?: string
  /** SPKI PEM public key (`-----BEGIN PUBLIC KEY-----`): RSA → RS256, EC P-256 → ES256. */
  publicKeyPem?: string
  /** Required `aud` value; unchecked when omitted. */
  audience?: string
  /** Required `iss` value; unchecked when omitted. */
  issuer?: string
  /**
   * Leeway for `exp`/`nbf`/`iat`, in seconds. Default 30: enough for ordinary clock drift between
   * the identity provider and the hub, short enough that an expired token dies promptly.
   */
  clockToleranceSec?: number
}

/** Who a valid token says the caller is. */
export interface VerifiedToken {
  /** The token's `sub`. */
  userId: string
  /** The token's `name`, or when it has none `sub`, shortened to a display name's length. */
  name: string
  /** From `exp`, which is required. */
  expiresAt: Date
}

export interface TokenVerifier {
  /** The one algorithm this verifier accepts, e.g. `HS256`. */
  readonly algorithm: 'HS256' | 'RS256' | 'ES256'
  /** Resolves with the caller's identity or rejects with a {@link TokenError}. */
  verify(token: unknown): Promise<VerifiedToken>
}

// Below this an HS256 secret can be brute-forced offline from any captured token (RFC 7518 §3.2
// asks for a key at least as long as the hash output: 256 bits).
const MIN_SECRET_LENGTH = 32
// A header plus claims that legitimately need more than this are not login tokens; refusing
// early keeps a hostile handshake from making the hub base64-decode megabytes.
const MAX_TOKEN_LENGTH = 8192

/**
 * Makes a JWT verifier for socket handshakes and token refreshes. Exactly one algorithm is
 * accepted, chosen from the key: a token whose header names any other (`none` included) is
 * refused, which closes algorithm-confusion attacks such as an HS256 token signed with the RSA
 * public key.
 *
 * @throws Error at construction when neither or both keys are given, the secret is too short or
 *   the PEM is not an RSA or P-256 public key: a configuration mistake should stop the hub.
 *
 * @example
 * const verifier = await createTokenVerifier({ secret: process.env.TIDINGS_JWT_SECRET, audience: 'tidings' })
 * const { userId, name, expiresAt } = await verifier.verify(socket.handshake.auth.token)
 */
export async function createTokenVerifier(options: TokenVerifierOptions): Promise<TokenVerifier> {
  const { secret, publicKeyPem, audience, issuer, clockToleranceSec = 30 } = options
  if ((secret === undefined) === (publicKeyPem === undefined)) {
    throw new Error('token verifier: give either a secret (HS256) or a public key PEM (RS256/ES256), not both')
  }
  let key: Uint8Array | CryptoKey
  let algorithm: TokenVerifier['algorithm']
  if (secret !== undefined) {
    if (secret.length < MIN_SECRET_LENGTH) {
      throw new Error(`token verifier: the secret must be at least ${MIN_SECRET_LENGTH} characters`)
    }
    algorithm = 'HS256'
    key = new TextEncoder().encode(secret)
  } else {
    algorithm = algorithmOf(publicKeyPem!)
    key = await importSPKI(publicKeyPem!, algorithm)
  }

  return {
    algorithm,
    async verify(token) {
      if (token === undefined || token === null || token === '') {
        throw new TokenError('token_missing', 'no token was given')
      }
      if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) {
        throw new TokenError('token_invalid', 'the token is not a valid JWT')
      }
      let payload: JWTPayload
      try {
        ;({ payload } = await jwtVerify(token, key, {
          algorithms: [algorithm],
          audience,
          issuer,
          clockTolerance: clockToleranceSec,
          requiredClaims: ['exp', 'sub'],
        }))
      } catch (err) {
        throw toTokenError(err)
      }
      const { sub, name, exp } = payload
      if (typeof sub !== 'string' || sub.length === 0) {
        throw new TokenError('token_invalid', 'the token has no subject ("sub")')
      }
      if (!userIdSchema.safeParse(sub).success) {
        throw new TokenError('token_invalid', `the token's subject ("sub") must be 1–${LIMITS.userIdLength} characters without control characters`)
      }
      if (name !== undefined && (typeof name !== 'string' || name.length === 0)) {
        throw new TokenError('token_invalid', 'the token\'s "name" claim must be a non-empty string')
      }
      return { userId: sub, name: (name as string | undefined) ?? displayNameOf(sub), expiresAt: new Date(exp! * 1000) }
    },
  }
}

/**
 * A `sub` shown as a name: ids are allowed up to 255 characters (emails, URNs) but names only up
 * to 40, so a long one is cut, by code points so that no emoji is split, and marked with "…".
 */
function displayNameOf(sub: string): string {
  const chars = Array.from(sub)
  return chars.length <= LIMITS.usernameLength ? sub : `${chars.slice(0, LIMITS.usernameLength - 1).join('')}…`
}

function algorithmOf(pem: string): 'RS256' | 'ES256' {
  let info
  try {
    info = createPublicKey({ key: pem, format: 'pem' })
  } catch {
    throw new Error('token verifier: the public key is not a PEM public key')
  }
  if (info.asymmetricKeyType === 'rsa') return 'RS256'
  if (info.asymmetricKeyType === 'ec' && info.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256'
  throw new Error('token verifier: the public key must be RSA (RS256) or EC P-256 (ES256)')
}

// Maps jose's errors to the five codes; the messages are ours, never jose's, because jose's can
// quote claim values.
function toTokenError(err: unknown): TokenError {
  if (err instanceof errors.JWTExpired) return new TokenError('token_expired', 'the token has expired')
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'aud') return new TokenError('token_audience', 'the token is not meant for this hub (audience)')
    if (err.claim === 'iss') return new TokenError('token_issuer', 'the token was not issued by a trusted issuer')
    if (err.claim === 'exp' || err.claim === 'sub') {
      return new TokenError('token_invalid', `the token has no "${err.claim}" claim`)
    }
    return new TokenError('token_invalid', `the token's "${err.claim}" claim is not valid`)
  }
  if (err instanceof errors.JOSEAlgNotAllowed) {
    return new TokenError('token_invalid', 'the token is signed with an algorithm this hub does not accept')
  }
  return new TokenError('token_invalid', 'the token is not a valid JWT')
}
