import express from 'express'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { securityHeaders } from './security-headers.js'

describe('securityHeaders', () => {
  let url = ''
  let close = (): void => {}
  beforeAll(async () => {
    // Behind a trusted proxy `req.secure` follows X-Forwarded-Proto.
    const app = express().set('trust proxy', true).use(securityHeaders())
    app.get('/', (_req, res) => res.send('ok'))
    const server = app.listen(0, '127.0.0.1')
    await new Promise((resolve) => server.once('listening', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
    close = () => server.close()
  })
  afterAll(() => close())

  it('sends HSTS and upgrade-insecure-requests over https only', async () => {
    const secure = await fetch(url, { headers: { 'X-Forwarded-Proto': 'https' } })
    expect(secure.headers.get('strict-transport-security')).toMatch(/max-age=\d+/)
    expect(secure.headers.get('content-security-policy')).toMatch(/upgrade-insecure-requests/)

    const plain = await fetch(url)
    expect(plain.headers.get('strict-transport-security')).toBeNull()
    expect(plain.headers.get('content-security-policy')).not.toMatch(/upgrade-insecure-requests/)
    expect(plain.headers.get('content-security-policy')).toMatch(/default-src 'self'/)
  })
})
