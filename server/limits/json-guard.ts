import type { IncomingMessage, ServerResponse } from 'node:http'
import { HttpError } from '../http/http-error.js'

/**
 * Keys that reach `Object.prototype` or a constructor when a parsed value is later merged,
 * spread or copied key by key (zod's `record` copies this way, so `"__proto__"` there replaces
 * the copy's prototype instead of adding a field).
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype'])

/**
 * The path of the first forbidden key anywhere in `value` (e.g. `data.nested.__proto__`), or
 * undefined. Walks with an explicit stack, not recursion, so a body nested tens of thousands of
 * levels deep cannot overflow the call stack.
 *
 * @example
 * findForbiddenKey(JSON.parse('{"a":[{"__proto__":{}}]}')) // 'a.0.__proto__'
 */
export function findForbiddenKey(value: unknown): string | undefined {
  const stack: [unknown, string][] = [[value, '']]
  while (stack.length > 0) {
    const [current, path] = stack.pop()!
    if (current === null || typeof current !== 'object') continue
    // Object.keys lists own "__proto__" keys, which JSON.parse creates as ordinary properties.
    for (const key of Object.keys(current)) {
      const child = path === '' ? key : `${path}.${key}`
      if (FORBIDDEN_KEYS.has(key)) return child
      stack.push([(current as Record<string, unknown>)[key], child])
    }
  }
  return undefined
}

/**
 * The `400 invalid_request` for a parsed body with a forbidden key anywhere, naming its path in
 * `details` (`[{path, message}]`), or undefined for a clean body.
 *
 * @example
 * const problem = pollutionError(body)
 * if (problem) throw problem
 */
export function pollutionError(body: unknown): HttpError | undefined {
  const path = findForbiddenKey(body)
  if (path === undefined) return undefined
  const key = path.split('.').at(-1)
  const message = `the key "${key}" is not allowed`
  return new HttpError(400, 'invalid_request', `invalid notification: ${path}: ${message}`, [{ path, message }])
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * body-parser's `verify` hook refusing bodies that are not valid UTF-8. Without it body-parser
 * decodes invalid bytes to U+FFFD and the hub publishes text that differs from what was sent;
 * RFC 8259 §8.1 requires JSON exchanged between systems to be UTF-8. The error carries
 * body-parser's own parse-failure type, which the hub's error handler already answers with
 * `400 invalid_json`.
 */
export function requireValidUtf8(_req: IncomingMessage, _res: ServerResponse, body: Buffer, encoding: string): void {
  if (!/^utf-?8$/i.test(encoding)) return
  try {
    strictUtf8.decode(body)
  } catch {
    throw Object.assign(new Error('the request body is not valid UTF-8'), { status: 400, type: 'entity.parse.failed' })
  }
}

/** Options to spread into `express.json()` for the guard's UTF-8 check. */
export const jsonParserOptions = { verify: requireValidUtf8 } as const
