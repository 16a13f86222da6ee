import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { BrowserContext, Page } from 'playwright-core'
import { build } from 'vite'
import { beforeAll, describe, expect, it } from 'vitest'
import { eventually } from '../helpers/browser.js'
import { useEmbeddingHarness } from '../helpers/embedding-harness.js'

// The components inside React 19 and Vue 3 apps, built here with Vite from
// test/fixtures/hosts: the frameworks mount them, change their attributes, unmount and
// remount them. All components of a page share one connection to their hub, opened while
// one is in the document and closed when the last one leaves.

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'hosts')

/** Bundles a host app into one ES module, with the framework's production build. */
async function bundle(entry: string): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'tidings-host-'))
  await build({
    configFile: false,
    logLevel: 'silent',
    root: fixtures,
    define: {
      'process.env.NODE_ENV': '"production"',
      __VUE_OPTIONS_API__: 'false',
      __VUE_PROD_DEVTOOLS__: 'false',
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    },
    build: {
      outDir,
      emptyOutDir: true,
      minify: false,
      lib: { entry: join(fixtures, entry), formats: ['es'], fileName: () => 'host.js' },
    },
  })
  return readFileSync(join(outDir, 'host.js'), 'utf8')
}

const harness = useEmbeddingHarness()
const apps: Record<string, string> = {}
beforeAll(async () => {
  apps.react = await bundle('react-host.js')
  apps.vue = await bundle('vue-host.js')
}, 60_000)

interface SocketCount {
  opened: number
  open: number
}

/** Counts the Socket.IO connections every page of `context` opens, and those still open. */
function countSockets(context: BrowserContext): () => SocketCount {
  const count: SocketCount = { opened: 0, open: 0 }
  context.on('page', (page) =>
    page.on('websocket', (ws) => {
      if (!ws.url().includes('/socket.io/')) return
      count.opened++
      count.open++
      ws.on('close', () => count.open--)
    }),
  )
  return () => ({ ...count })
}

const part = (page: Page, host: string, name: string) => page.locator(`${host} [part~="${name}"]`)

describe.each(['react', 'vue'])('a %s page', { timeout: 120_000 }, (framework) => {
  it('mounts, updates, unmounts and remounts the components on one socket per hub, none after unmount', async () => {
    const context = await harness.newContext()
    const sockets = countSockets(context)
    const code = apps[framework]!.replace(/<\/script/gi, '<\\/script')
    const { page, socketRequests } = await harness.open(`<div id="root"></div><script type="module">${code}</script>`, {
      context,
    })
    const chatState = () => part(page, 'tidings-chat', 'status').getAttribute('data-state')
    await eventually(chatState).toBe('connected')
    await eventually(() => part(page, 'tidings-user-count', 'count').textContent()).toBe('1')
    expect(sockets()).toEqual({ opened: 1, open: 1 })
    // WebSocket from the start: no long-polling connection on the side.
    expect(socketRequests.filter((url) => url.includes('transport=polling'))).toEqual([])

    // The framework changes an attribute: the chat moves rooms on the same socket.
    await page.locator('#room').click()
    await eventually(() => part(page, 'tidings-chat', 'base').getAttribute('aria-label')).toContain('room-b')
    await eventually(() => page.locator('tidings-chat [part~="base"] .room').textContent()).toContain('room-b')
    expect(sockets()).toEqual({ opened: 1, open: 1 })

    // Unmounted: the last component gone, the connection closes.
    await page.locator('#toggle').click()
    await eventually(() => page.locator('tidings-chat').count()).toBe(0)
    await eventually(() => sockets()).toEqual({ opened: 1, open: 0 })

    // Remounted: one new socket, working; unmounted again: closed again.
    await page.locator('#toggle').click()
    await eventually(chatState).toBe('connected')
    await eventually(() => sockets()).toEqual({ opened: 2, open: 1 })
    await page.locator('#toggle').click()
    await eventually(() => sockets()).toEqual({ opened: 2, open: 0 })
  })
})
