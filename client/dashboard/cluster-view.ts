import type { NodeStats } from '../../shared/index.js'

/** A node is dropped from the view when it has sent nothing for this long. */
const STALE_MS = 5000

/** What the dashboard shows: the sum over every node, and each node's own figures. */
export interface ClusterView {
  total: Omit<NodeStats, 'node'>
  nodes: NodeStats[]
}

/**
 * Adds up the latest snapshot of each node. A single hub is a cluster of one; with several,
 * counts and rates add up, latency and lag show the worst node, rooms and topics merge.
 *
 * @example
 * const view = clusterView(new Map([[stats.node, stats]]), Date.now())
 */
export function clusterView(latest: ReadonlyMap<string, NodeStats>, now: number): ClusterView | undefined {
  const nodes = [...latest.values()].filter((s) => now - s.at < STALE_MS || latest.size === 1)
  if (nodes.length === 0) return undefined
  const sum = (pick: (s: NodeStats) => number) => nodes.reduce((total, s) => total + pick(s), 0)
  const max = (pick: (s: NodeStats) => number) => Math.max(...nodes.map(pick))
  const merge = (pick: (s: NodeStats) => NodeStats['rooms']) => {
    const sizes = new Map<string, number>()
    for (const s of nodes) for (const { name, connections } of pick(s)) sizes.set(name, (sizes.get(name) ?? 0) + connections)
    return [...sizes]
      .map(([name, connections]) => ({ name, connections }))
      .sort((a, b) => b.connections - a.connections || a.name.localeCompare(b.name))
      .slice(0, 5)
  }
  return {
    nodes: nodes.sort((a, b) => a.node.localeCompare(b.node)),
    total: {
      at: max((s) => s.at),
      connections: sum((s) => s.connections),
      // Users may be online on several nodes: the largest count is the honest lower bound.
      users: max((s) => s.users),
      // Each node counts the publications and chat messages it delivers, and every node delivers
      // all of them: the largest rate is the cluster's, not the sum.
      publishedPerSecond: max((s) => s.publishedPerSecond),
      deliveredPerSecond: sum((s) => s.deliveredPerSecond),
      chatPerSecond: max((s) => s.chatPerSecond),
      deliveryLatencyMs: { p50: max((s) => s.deliveryLatencyMs.p50), p95: max((s) => s.deliveryLatencyMs.p95) },
      eventLoopLagMs: max((s) => s.eventLoopLagMs),
      memory: { rssBytes: sum((s) => s.memory.rssBytes), heapUsedBytes: sum((s) => s.memory.heapUsedBytes) },
      rooms: merge((s) => s.rooms),
      topics: merge((s) => s.topics),
    },
  }
}
