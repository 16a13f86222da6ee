import express from 'express'
import type { IncomingMessage, ServerResponse } from 'node:http'
import secureJson from 'secure-json-parse'
import { HttpError } from '../http/http-error.js'

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * body-parser's `verify` hook for JSON bodies: only UTF-8 (RFC 8259 §8.1 requires it between
 * systems), and only valid UTF-8; without the second check body-parser decodes invalid bytes to
 * U+FFFD and the hub would publish text that differs from what was sent. The errors carry
 * body-parser's own types, which the hub's error handler answers (415, `400 invalid_json`).
 */
export function requireValidUtf8(_req: IncomingMessage, _res: ServerResponse, body: Buffer, encoding: string): void {
  if (!/^utf-?8$/i.test(encoding)) {
    throw Object.assign(new Error('the request body must be UTF-8'), { status: 415, type: 'charset.unsupported' })
  }
  try {
    strictUtf8.decode(body)
  } catch {
    throw Object.assign(new Error('the request body is not valid UTF-8'), { status: 400, type: 'entity.parse.failed' })
  }
}

/**
 * Parses JSON text with `secure-json-parse`, which refuses what would reach `Object.prototype`
 * when the value is later merged, spread or copied key by key (zod's `record` copies this way):
 * a `__proto__` key, or a `constructor` key holding `prototype`, at any depth. Those answer
 * `400 invalid_request`; text that is not JSON answers `400 invalid_json`; empty text is `{}`, as
 * body-parser's JSON parser has it.
 *
 * @example
 * parseJsonText('{"title":"x","data":{"__proto__":{}}}') // throws the 400 invalid_request
 */
export function parseJsonText(text: string): unknown {
  if (text === '') return {}
  try {
    return secureJson.parse(text, null, { protoAction: 'error', constructorAction: 'error' })
  } catch (err) {
    if (/forbidden (prototype|constructor) property/.test((err as Error).message)) {
      const message = 'a "__proto__" key, or a "constructor" key holding "prototype", is not allowed anywhere in the body'
      throw new HttpError(400, 'invalid_request', `invalid notification: ${message}`, [{ path: '(body)', message }])
    }
    throw new HttpError(400, 'invalid_json', 'the request body is not valid JSON')
  }
}

/**
 * Reads a JSON request body as text with body-parser (limit, Content-Encoding, charset, its
 * error types) and parses it with {@link parseJsonText}; resolves with undefined when the request
 * has no body.
 *
 * @example
 * const readJson = jsonBodyReader(64 * 1024)
 * const body = await readJson(req, res)
 */
export function jsonBodyReader(limit: number): (req: IncomingMessage, res: ServerResponse) => Promise<unknown> {
  const readText = express.text({ type: () => true, limit, defaultCharset: 'utf-8', verify: requireValidUtf8 })
  return (req, res) =>
    new Promise((resolve, reject) => {
      readText(req as express.Request, res as express.Response, (err?: unknown) => {
        if (err) return reject(err)
        const text = (req as { body?: unknown }).body
        try {
          resolve(typeof text === 'string' ? parseJsonText(text) : undefined)
        } catch (parseError) {
          reject(parseError)
        }
      })
    })
}
