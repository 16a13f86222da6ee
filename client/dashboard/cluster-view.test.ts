import { describe, expect, it } from 'vitest'
import type { NodeStats } from '../../shared/index.js'
import { clusterView } from './cluster-view.js'

const node = (name: string, at: number, overrides: Partial<NodeStats> = {}): NodeStats => ({
  node: name,
  at,
  connections: 10,
  users: 4,
  publishedPerSecond: 5,
  deliveredPerSecond: 50,
  chatPerSecond: 1,
  deliveryLatencyMs: { p50: 1, p95: 3 },
  eventLoopLagMs: 2,
  memory: { rssBytes: 100, heapUsedBytes: 50 },
  rooms: [{ name: 'general', connections: 6 }],
  topics: [],
  ...overrides,
})

describe('clusterView', () => {
  it('adds up connections and deliveries, keeps the worst latency, merges rooms', () => {
    const now = 1_000_000
    const view = clusterView(
      new Map([
        ['a', node('a', now)],
        ['b', node('b', now, { connections: 5, deliveryLatencyMs: { p50: 2, p95: 9 }, rooms: [{ name: 'general', connections: 1 }, { name: 'ops', connections: 3 }] })],
      ]),
      now,
    )!
    expect(view.nodes.map((n) => n.node)).toEqual(['a', 'b'])
    expect(view.total).toMatchObject({
      connections: 15,
      deliveredPerSecond: 100,
      deliveryLatencyMs: { p50: 2, p95: 9 },
      memory: { rssBytes: 200, heapUsedBytes: 100 },
      rooms: [
        { name: 'general', connections: 7 },
        { name: 'ops', connections: 3 },
      ],
    })
  })

  it('drops a node that stopped reporting, but never the only one', () => {
    const now = 1_000_000
    expect(clusterView(new Map([['a', node('a', now)], ['b', node('b', now - 60_000)]]), now)!.nodes.map((n) => n.node)).toEqual(['a'])
    expect(clusterView(new Map([['b', node('b', now - 60_000)]]), now)!.nodes).toHaveLength(1)
  })
})
