/**
 * Figures for the durability guarantees, printed as a table:
 * - how long a client takes to catch up on 1000 missed notifications after reconnecting with
 *   `auth.since` (store-backed catch-up, no Socket.IO recovery involved);
 * - what persistence costs on `POST /notify` throughput: the hub with its database on a file
 *   (the default) against the same hub with `TIDINGS_DB=:memory:` (no disk at all).
 *
 * Run after `npm run build`: `npm run bench:durability`. Loopback only; every loop is bounded.
 */
import autocannon from 'autocannon'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { io } from 'socket.io-client'

const KEY = 'figures-key-0123456789abcdef'
const ROUNDS = 5
const MISSED = 1000
const THROUGHPUT_SECONDS = 5
const CONNECTIONS = 50

interface Hub {
  url: string
  stop(): Promise<void>
}

async function startHub(db: string): Promise<Hub> {
  const child = spawn(process.execPath, ['dist/server/main.js'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', TIDINGS_API_KEY: KEY, TIDINGS_DB: db },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`hub exited with ${code}`)))
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const parsed = JSON.parse(line) as { msg?: string; port?: number }
      if (parsed.msg === 'listening' && parsed.port) resolve(parsed.port)
    })
  })
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}

const post = (url: string, title: string) =>
  fetch(`${url}/notify`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ title }),
  })

async function catchUpMs(hub: Hub): Promise<number> {
  const first = io(hub.url, { transports: ['websocket'], forceNew: true, reconnection: false })
  const cursor = await new Promise<string>((resolve) => first.once('session', (s: { cursor: string }) => resolve(s.cursor)))
  first.disconnect()
  for (let i = 0; i < MISSED; i += 50) {
    await Promise.all(Array.from({ length: 50 }, (_, j) => post(hub.url, `missed ${i + j}`)))
  }
  const started = performance.now()
  const again = io(hub.url, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { since: cursor } })
  await new Promise<void>((resolve) => {
    let received = 0
    again.on('notification', () => {
      if (++received === MISSED) resolve()
    })
  })
  const elapsed = performance.now() - started
  again.disconnect()
  return elapsed
}

async function throughput(hub: Hub): Promise<number> {
  const result = await autocannon({
    url: `${hub.url}/notify`,
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'throughput' }),
    connections: CONNECTIONS,
    duration: THROUGHPUT_SECONDS,
  })
  return result['2xx'] / result.duration
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tidings-figures-'))
  try {
    const catchUps: number[] = []
    const onFile: number[] = []
    const inMemory: number[] = []
    for (let round = 1; round <= ROUNDS; round++) {
      const fileHub = await startHub(join(dir, `round-${round}.db`))
      catchUps.push(await catchUpMs(fileHub))
      onFile.push(await throughput(fileHub))
      await fileHub.stop()
      const memoryHub = await startHub(':memory:')
      inMemory.push(await throughput(memoryHub))
      await memoryHub.stop()
      process.stdout.write(`round ${round}/${ROUNDS}: catch-up ${catchUps.at(-1)!.toFixed(0)} ms, ` +
        `POST /notify ${onFile.at(-1)!.toFixed(0)} req/s on file, ${inMemory.at(-1)!.toFixed(0)} in memory\n`)
    }
    const fmt = (v: number[]) => `${median(v).toFixed(0)} (${Math.min(...v).toFixed(0)}–${Math.max(...v).toFixed(0)})`
    console.log(`\n| figure | median (min–max over ${ROUNDS} rounds) |\n| --- | ---: |`)
    console.log(`| catch-up of ${MISSED} missed notifications (ms) | ${fmt(catchUps)} |`)
    console.log(`| POST /notify, database on a file (req/s, ${CONNECTIONS} connections) | ${fmt(onFile)} |`)
    console.log(`| POST /notify, database in memory (req/s) | ${fmt(inMemory)} |`)
    console.log(`| cost of the disk | ${((1 - median(onFile) / median(inMemory)) * 100).toFixed(1)} % |`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
