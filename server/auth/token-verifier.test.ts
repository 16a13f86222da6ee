import { exportSPKI, generateKeyPair, SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { createTokenVerifier, TokenError } from './token-verifier.js'

const SECRET = 'a-test-secret-that-is-32-chars-long!'
const hsKey = new TextEncoder().encode(SECRET)
const nowSec = () => Math.floor(Date.now() / 1000)

const sign = (claims: Record<string, unknown>, alg = 'HS256', key: Parameters<SignJWT['sign']>[0] = hsKey) =>
  new SignJWT(claims).setProtectedHeader({ alg }).sign(key)

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

async function refusal(promise: Promise<unknown>): Promise<TokenError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(TokenError)
  return err as TokenError
}

describe('createTokenVerifier with an HS256 secret', () => {
  it('returns sub, name and expiry of a valid token', async () => {
    const verifier = await createTokenVerifier({ secret: SECRET })
    const exp = nowSec() + 600
    const token = await sign({ sub: 'u-1', name: 'Alice', exp })
    await expect(verifier.verify(token)).resolves.toEqual({ userId: 'u-1', name: 'Alice', expiresAt: new Date(exp * 1000) })
    expect(verifier.algorithm).toBe('HS256')
  })

  it('uses sub as the name when the token has none', async () => {
    const verifier = await createTokenVerifier({ secret: SECRET })
    const token = await sign({ sub: 'u-2', exp: nowSec() + 60 })
    expect((await verifier.verify(token)).name).toBe('u-2')
  })

  it('accepts a long sub (an email, a URN) and shortens it, by code points, to a display name', async () => {
    const verifier = await createTokenVerifier({ secret: SECRET })
    const sub = `urn:example:user:${'😀'.repeat(30)}:${'x'.repeat(150)}`
    const verified = await verifier.verify(await sign({ sub, exp: nowSec() + 60 }))
    expect(verified.userId).toBe(sub)
    expect(Array.from(verified.name)).toHaveLength(40)
    expect(verified.name).toBe(`${Array.from(sub).slice(0, 39).join('')}…`)
    const tooLong = await sign({ sub: 'x'.repeat(256), exp: nowSec() + 60 })
    expect((await refusal(verifier.verify(tooLong))).code).toBe('token_invalid')
  })

  it('refuses a missing token as token_missing', async () => {
    const verifier = await createTokenVerifier({ secret: SECRET })
    for (const missing of [undefined, null, '']) expect((await refusal(verifier.verify(missing))).code).toBe('token_missing')
  })

  it('refuses non-strings, garbage and oversized strings as token_invalid', async () => {
    const verifier = await createTokenVerifier({ secret: SECRET })
    for (const bad of [42, { token: 'x' }, 'not.a.jwt', 'a'.repeat(10_000)]) {
      expect((await refusal(verifier.verify(bad))).code).toBe('token_invalid')
    }
  })

  it('refuses a token signed with another secret', async () => {
    const verifier = await createTokenVerifier({ secret: SECRET })
    const token = await sign({ sub: 'u', exp: nowSec() + 60 }, 'HS256', new TextEncoder().encode('x'.repeat(40)))
    expect((await refusal(verifier.verify(token))).code).toBe('token_invalid')
  })

  it('refuses a hand-built alg:none token', async () => {
    const verifier = await createTokenVerifier({ secret: SECRET })
    const token = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ sub: 'admin', exp: nowSec() + 60 })}.`
    const err = await refusal(verifier.verify(token))
    expect(err.code).toBe('token_invalid')
  })

  it('refuses HS512 even with the right secret: only the key\'s algorithm is accepted', async () => {
    const verifier = await createTokenVerifier({ secret: SECRET })
    const token = await sign({ sub: 'u', exp: nowSec() + 60 }, 'HS512')
    const err = await refusal(verifier.verify(token))
    expect(err.code).toBe('token_invalid')
    expect(err.message).toMatch(/algorithm/)
  })

  it('requires exp and sub', async () => {
    const verifier = await createTokenVerifier({ secret: SECRET })
    const noExp = await refusal(verifier.verify(await sign({ sub: 'u' })))
    expect(noExp.code).toBe('token_invalid')
    expect(noExp.message).toMatch(/"exp"/)
    const noSub = await refusal(verifier.verify(await sign({ exp: nowSec() + 60 })))
    expect(noSub.code).toBe('token_invalid')
  })

  it('refuses an expired token beyond the clock tolerance, accepts one within it', async () => {
    const verifier = await createTokenVerifier({ secret: SECRET, clockToleranceSec: 30 })
    expect((await refusal(verifier.verify(await sign({ sub: 'u', exp: nowSec() - 120 })))).code).toBe('token_expired')
    await expect(verifier.verify(await sign({ sub: 'u', exp: nowSec() - 5 }))).resolves.toMatchObject({ userId: 'u' })
  })

  it('checks audience and issuer when configured', async () => {
    const verifier = await createTokenVerifier({ secret: SECRET, audience: 'tidings', issuer: 'https://id.example' })
    const exp = nowSec() + 60
    const ok = await sign({ sub: 'u', exp, aud: 'tidings', iss: 'https://id.example' })
    await expect(verifier.verify(ok)).resolves.toMatchObject({ userId: 'u' })
    const wrongAud = await sign({ sub: 'u', exp, aud: 'other', iss: 'https://id.example' })
    expect((await refusal(verifier.verify(wrongAud))).code).toBe('token_audience')
    const wrongIss = await sign({ sub: 'u', exp, aud: 'tidings', iss: 'https://evil.example' })
    expect((await refusal(verifier.verify(wrongIss))).code).toBe('token_issuer')
  })

  it('never puts the token or claim values in its messages', async () => {
    const verifier = await createTokenVerifier({ secret: SECRET, audience: 'tidings' })
    const token = await sign({ sub: 'secret-subject', exp: nowSec() + 60, aud: 'leaky-audience' })
    const err = await refusal(verifier.verify(token))
    expect(err.message).not.toContain('leaky-audience')
    expect(err.message).not.toContain(token)
    expect(JSON.stringify(err.toJSON())).not.toContain('secret-subject')
  })

  it('refuses bad configurations at construction', async () => {
    await expect(createTokenVerifier({})).rejects.toThrow(/either/)
    await expect(createTokenVerifier({ secret: 'short' })).rejects.toThrow(/32/)
    await expect(createTokenVerifier({ publicKeyPem: 'nope' })).rejects.toThrow(/PEM/)
  })
})

describe('createTokenVerifier with a public key', () => {
  it.each(['RS256', 'ES256'] as const)('accepts %s tokens signed with the matching private key', async (alg) => {
    const { publicKey, privateKey } = await generateKeyPair(alg)
    const verifier = await createTokenVerifier({ publicKeyPem: await exportSPKI(publicKey) })
    expect(verifier.algorithm).toBe(alg)
    const token = await sign({ sub: 'u-9', name: 'Bob', exp: nowSec() + 60 }, alg, privateKey)
    await expect(verifier.verify(token)).resolves.toMatchObject({ userId: 'u-9', name: 'Bob' })
  })

  it('refuses a token signed by another key pair', async () => {
    const { publicKey } = await generateKeyPair('ES256')
    const other = await generateKeyPair('ES256')
    const verifier = await createTokenVerifier({ publicKeyPem: await exportSPKI(publicKey) })
    const token = await sign({ sub: 'u', exp: nowSec() + 60 }, 'ES256', other.privateKey)
    expect((await refusal(verifier.verify(token))).code).toBe('token_invalid')
  })

  it('refuses an HS256 token whose secret is the public PEM (algorithm confusion)', async () => {
    const { publicKey } = await generateKeyPair('RS256')
    const pem = await exportSPKI(publicKey)
    const verifier = await createTokenVerifier({ publicKeyPem: pem })
    const forged = await sign({ sub: 'admin', exp: nowSec() + 60 }, 'HS256', new TextEncoder().encode(pem))
    expect((await refusal(verifier.verify(forged))).code).toBe('token_invalid')
  })

  it('refuses alg:none and a mismatching asymmetric algorithm', async () => {
    // An RS384 key pair: its SPKI is an ordinary RSA key, so the verifier settles on RS256.
    const rsa = await generateKeyPair('RS384')
    const verifier = await createTokenVerifier({ publicKeyPem: await exportSPKI(rsa.publicKey) })
    expect(verifier.algorithm).toBe('RS256')
    const none = `${b64url({ alg: 'none' })}.${b64url({ sub: 'admin', exp: nowSec() + 60 })}.`
    expect((await refusal(verifier.verify(none))).code).toBe('token_invalid')
    const rs384 = await sign({ sub: 'u', exp: nowSec() + 60 }, 'RS384', rsa.privateKey)
    expect((await refusal(verifier.verify(rs384))).code).toBe('token_invalid')
  })

  it('refuses keys other than RSA and P-256 at construction', async () => {
    const { publicKey } = await generateKeyPair('EdDSA')
    await expect(createTokenVerifier({ publicKeyPem: await exportSPKI(publicKey) })).rejects.toThrow(/RSA|P-256/)
  })

  it('refuses both a secret and a key at once', async () => {
    const { publicKey } = await generateKeyPair('ES256')
    await expect(createTokenVerifier({ secret: SECRET, publicKeyPem: await exportSPKI(publicKey) })).rejects.toThrow(
      /not both/,
    )
  })
})
