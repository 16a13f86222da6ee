import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const folder = dirname(fileURLToPath(import.meta.url))
const sources = readdirSync(folder)
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && file !== 'recording-io.ts' && file !== 'test-context.ts')
  .map((file) => ({ file, text: readFileSync(join(folder, file), 'utf8') }))

describe('module boundaries', () => {
  it('finds the modules', () => {
    expect(sources.map((s) => s.file)).toEqual(expect.arrayContaining(['chat.ts', 'notifications.ts', 'presence.ts']))
  })

  // A Redis adapter and a cluster membership must be able to replace the memory ones without
  // touching a module: modules go through `io.to(…)`/`io.local`, `Membership` and `Outbox` only.
  it.each(sources)('$file reads no adapter internals and no socket registry', ({ text }) => {
    expect(text).not.toMatch(/\.adapter\b/)
    expect(text).not.toMatch(/\bsockets\s*(\?\.|\.)\s*(sockets|adapter)\b/)
    expect(text).not.toMatch(/\.rooms\b(?!\()/)
  })

  it.each(sources)('$file imports no other module', ({ file, text }) => {
    const imports = [...text.matchAll(/from '\.\/([\w-]+)\.js'/g)].map((m) => m[1])
    expect(imports.filter((name) => name !== 'module'), file).toEqual([])
  })
})
