import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import parsePrometheusTextFormat from 'parse-prometheus-text-format'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeAllClients, collect, connectClient, nextEvent, postNotify, request } from '../helpers/clients.js'
import { spawnHub, TEST_API_KEY, type SpawnedHub } from '../helpers/hub-process.js'

const METRICS_KEY = 'metrics-key-0123456789'

interface Family {
  name: string
  type: string
  metrics: { value?: string; labels?: Record<string, string> }[]
}

interface Scrape {
  text: string
  families: Map<string, Family>
}

async function scrape(url: string): Promise<Scrape> {
  const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_KEY}` } })
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
  const text = await res.text()
  const families = new Map((parsePrometheusTextFormat(text) as Family[]).map((f) => [f.name, f]))
  return { text, families }
}

const matches = (labels: Record<string, string>, wanted: Record<string, string>) =>
  Object.entries(wanted).every(([k, v]) => labels[k] === v)

/**
 * The value of the sample of `name` whose labels include `labels` (0 when absent); for a
 * histogram, its `_count` (read from the text: the parser keeps only a histogram's buckets).
 */
function value({ text, families }: Scrape, name: string, labels: Record<string, string> = {}): number {
  const family = families.get(name)
  if (family?.type === 'HISTOGRAM') {
    for (const line of text.split('\n')) {
      const found = new RegExp(`^${name}_count\\{(.*)\\} (\\S+)$`).exec(line)
      if (!found) continue
      const own = Object.fromEntries([...found[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]))
      if (matches(own, labels)) return Number(found[2])
    }
    return 0
  }
  const sample = family?.metrics.find((m) => matches(m.labels ?? {}, labels))
  return Number(sample?.value ?? 0)
}

function promtool(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v promtool'], { encoding: 'utf8' }).trim() || undefined
  } catch {
    return undefined
  }
}

describe('GET /metrics', () => {
  let hub: SpawnedHub
  beforeAll(async () => {
    hub = await spawnHub({ TIDINGS_METRICS_KEY: METRICS_KEY, TIDINGS_OPEN_USER_TARGETS: 'true' })
  })
  afterAll(async () => {
    closeAllClients()
    hub.child.kill('SIGTERM')
    await hub.exited
  })

  it('needs the metrics key when one is set', async () => {
    const missing = await fetch(`${hub.url}/metrics`)
    expect(missing.status).toBe(401)
    expect(await missing.json()).toMatchObject({ error: { code: 'unauthorized' } })
    const wrong = await fetch(`${hub.url}/metrics`, { headers: { authorization: `Bearer ${TEST_API_KEY}` } })
    expect(wrong.status).toBe(401)
  })

  it('parses as Prometheus text, with every documented family and the process metrics', async () => {
    const { text, families } = await scrape(hub.url)
    expect(Object.fromEntries([...families.values()].filter((f) => f.name.startsWith('tidings_')).map((f) => [f.name, f.type]))).toEqual({
      tidings_connections: 'GAUGE',
      tidings_online_users: 'GAUGE',
      tidings_notifications_published_total: 'COUNTER',
      tidings_notifications_delivered_total: 'COUNTER',
      tidings_chat_messages_total: 'COUNTER',
      tidings_rejected_total: 'COUNTER',
      tidings_http_request_duration_seconds: 'HISTOGRAM',
      tidings_store_write_duration_seconds: 'HISTOGRAM',
      tidings_notification_delivery_latency_seconds: 'HISTOGRAM',
    })
    expect(families.get('process_cpu_seconds_total')?.type).toBe('COUNTER')
    expect(families.get('nodejs_eventloop_lag_seconds')?.type).toBe('GAUGE')
    const tool = promtool()
    if (tool !== undefined) {
      const file = join(mkdtempSync(join(tmpdir(), 'tidings-metrics-')), 'metrics.txt')
      writeFileSync(file, text)
      // promtool exits non-zero on any problem (lint included); the output names it.
      execFileSync('sh', ['-c', `"${tool}" check metrics < "${file}"`], { encoding: 'utf8' })
    }
  })

  it('moves by exactly the traffic it saw', async () => {
    const before = await scrape(hub.url)
    const alice = await connectClient(hub.url, { auth: { username: 'alice' } })
    const bob = await connectClient(hub.url, { auth: { username: 'bob', topics: ['ci'] } })
    const guest = await connectClient(hub.url)
    await request(guest, 'subscribe', 'ci')
    await request(alice, 'join', 'alice', 'ops')
    // Following and subscribing: alice is in both of the topic's rooms, and is counted once.
    expect((await request(alice, 'follow', 'ci')).ok).toBe(true)
    await request(alice, 'subscribe', 'ci')
    const received = [alice, bob, guest].map((socket) => collect(socket, 'notification'))
    const last = [alice, bob, guest].map((socket) => nextEvent(socket, 'notification', (n) => n.title === 'last'))

    // 3 deliveries, 3 (the topic's subscribers and follower), 1 (alice), 3: ten in all.
    expect((await postNotify(hub.url, TEST_API_KEY, { title: 'all', level: 'warning' })).status).toBe(202)
    expect((await postNotify(hub.url, TEST_API_KEY, { title: 'ci', topic: 'ci', level: 'error' })).status).toBe(202)
    expect((await postNotify(hub.url, TEST_API_KEY, { title: 'to alice', user: 'alice' })).status).toBe(202)
    expect((await postNotify(hub.url, TEST_API_KEY, { title: 'last' })).status).toBe(202)
    expect((await request(alice, 'chat-message', 'hello', 'ops')).ok).toBe(true)
    expect((await postNotify(hub.url, 'not-the-key-at-all', { title: 'refused' })).status).toBe(401)
    expect((await postNotify(hub.url, TEST_API_KEY, { tittle: 'typo' })).status).toBe(400)
    // Refused socket events count by their error code too: a bad argument, a chat before joining.
    expect((await request(guest, 'leave', 'not a room name!')).ok).toBe(false)
    expect((await request(guest, 'chat-message', 'hi', 'ops')).ok).toBe(false)
    await Promise.all(last)
    expect(received.map((r) => r.length)).toEqual([4, 3, 3])

    const after = await scrape(hub.url)
    const moved = (name: string, labels?: Record<string, string>) => value(after, name, labels) - value(before, name, labels)
    expect(value(after, 'tidings_connections')).toBe(3)
    expect(value(after, 'tidings_online_users')).toBe(2)
    expect(moved('tidings_notifications_published_total', { level: 'warning', target: 'everyone' })).toBe(1)
    expect(moved('tidings_notifications_published_total', { level: 'error', target: 'topic' })).toBe(1)
    expect(moved('tidings_notifications_published_total', { level: 'info', target: 'user' })).toBe(1)
    expect(moved('tidings_notifications_published_total', { level: 'info', target: 'everyone' })).toBe(1)
    expect(moved('tidings_notifications_delivered_total')).toBe(10)
    expect(moved('tidings_chat_messages_total')).toBe(1)
    expect(moved('tidings_rejected_total', { reason: 'unauthorized' })).toBe(1)
    expect(moved('tidings_rejected_total', { reason: 'invalid_request' })).toBe(2)
    expect(moved('tidings_rejected_total', { reason: 'not_joined' })).toBe(1)
    expect(moved('tidings_http_request_duration_seconds', { method: 'POST', route: '/notify', status_code: '202' })).toBe(4)
    expect(moved('tidings_store_write_duration_seconds', { operation: 'appendNotification' })).toBe(4)
    expect(moved('tidings_store_write_duration_seconds', { operation: 'appendChatMessage' })).toBe(1)
  })

  it('gives every request an id, keeping a sane one the caller sent', async () => {
    const given = await fetch(`${hub.url}/healthz`, { headers: { 'x-request-id': 'lb-1234.abc' } })
    expect(given.headers.get('x-request-id')).toBe('lb-1234.abc')
    const hostile = await fetch(`${hub.url}/healthz`, { headers: { 'x-request-id': 'a b"<script>' } })
    expect(hostile.headers.get('x-request-id')).toMatch(/^[\w-]{8}-[0-9a-z]+$/)
  })
})
