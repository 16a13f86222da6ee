import { execFile, spawn } from 'node:child_process'
import { readFileSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { postNotify } from '../helpers/clients.js'
import { HUB_ENTRY, spawnHub, startHub, type HubProcess } from '../helpers/hub-process.js'

// Real processes from source: loading the hub through tsx takes seconds on a busy machine.
vi.setConfig({ testTimeout: 60_000 })

describe('start-up and configuration', () => {
  let hub: HubProcess | undefined
  afterEach(async () => {
    await hub?.stop()
    hub = undefined
  })

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['LOG_LEVEL', 'loud'],
    ['TIDINGS_ORIGINS', 'example.com/path'],
    ['TIDINGS_API_KEY', 'short'],
  ])('refuses %s=%s with one clear line and exit code 1', async (key, value) => {
    const run = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const child = execFile(process.execPath, HUB_ENTRY, { env: { ...process.env, PORT: '0', [key]: value } }, (_err, _out, stderr) =>
        resolve({ status: child.exitCode, stderr }),
      )
    })
    expect(run.status).toBe(1)
    const lines = run.stderr.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(new RegExp(`^tidings: invalid configuration: ${key}=`))
    expect(run.stderr).not.toMatch(/\bat .*\.js:\d+/) // no stack trace
  })

  it('generates a key when none is set, keeps it out of the log, and names a 0600 file holding it', async () => {
    hub = await spawnHub({ TIDINGS_API_KEY: '' })
    const line = await hub.waitForLog((l) => typeof l.msg === 'string' && l.msg.includes('curl'))
    const keyFile = line.keyFile as string
    expect(keyFile).toBe(join(dirname(hub.dbPath), 'api-key'))
    expect(statSync(keyFile).mode & 0o777).toBe(0o600)
    const key = readFileSync(keyFile, 'utf8').trim()
    expect(key).toMatch(/^[\w-]{32}$/)
    expect(JSON.stringify(hub.logs)).not.toContain(key)
    // The hint is ready to paste: it reads the key from the file it names.
    expect(line.msg).toContain(`Bearer $(cat '${keyFile}')`)
    expect((await postNotify(hub.url, key, { title: 'hi' })).status).toBe(202)
    expect((await postNotify(hub.url, 'another-key-0123456789', { title: 'hi' })).status).toBe(401)
  })

  it('accepts every key of a comma-separated TIDINGS_API_KEY', async () => {
    hub = await startHub({ TIDINGS_API_KEY: 'first-key-0123456789, second-key-0123456789' })
    expect((await postNotify(hub.url, 'first-key-0123456789', { title: 'a' })).status).toBe(202)
    expect((await postNotify(hub.url, 'second-key-0123456789', { title: 'b' })).status).toBe(202)
  })

  it('stops cleanly on SIGTERM', async () => {
    hub = await spawnHub()
    expect(await hub.stop()).toBe(0)
  })

  it('still stops on SIGTERM, and serves meanwhile, after whoever read its log has gone', async () => {
    const child = spawn(process.execPath, HUB_ENTRY, {
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', TIDINGS_DB: ':memory:', TIDINGS_API_KEY: 'a-key-of-sixteen-plus' },
      stdio: ['ignore', 'pipe', 'ignore'],
    })
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    const url = await new Promise<string>((resolve) => {
      let seen = ''
      child.stdout!.on('data', (chunk: Buffer) => {
        seen += chunk.toString()
        const match = /"url":"([^"]+)"/.exec(seen)
        if (match) resolve(match[1]!)
      })
    })
    // The log's reader goes away (a crashed log shipper): every later log line hits a closed pipe.
    child.stdout!.destroy()
    const res = await postNotify(url, 'a-key-of-sixteen-plus', { title: 'still serving' })
    expect(res.status).toBe(202)
    child.kill('SIGTERM')
    try {
      expect(await exited).toBe(0)
    } finally {
      child.kill('SIGKILL')
    }
  })

  describe('origins', () => {
    const fetchEmbed = (url: string, origin: string) => fetch(`${url}/tidings.js`, { headers: { origin } })

    it('lets any origin embed by default', async () => {
      hub = await startHub()
      const res = await fetch(`${hub.url}/health`, { headers: { origin: 'https://anywhere.example' } })
      expect(res.headers.get('access-control-allow-origin')).toBe('https://anywhere.example')
    })

    it('narrows CORS to TIDINGS_ORIGINS', async () => {
      hub = await startHub({ TIDINGS_ORIGINS: 'https://allowed.example' })
      const allowed = await fetchEmbed(hub.url, 'https://allowed.example')
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://allowed.example')
      const other = await fetchEmbed(hub.url, 'https://other.example')
      expect(other.headers.get('access-control-allow-origin')).toBeNull()
    })
  })
})
