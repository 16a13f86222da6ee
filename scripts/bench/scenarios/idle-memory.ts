import { readMemoryAfterGc, type MemoryReading } from '../inspector-memory.js'

export interface IdleMemoryResult {
  connections: number
  heapPerConnection: number
  rssPerConnection: number
}

/**
 * Memory each idle connection costs: (after GC with N connections − after GC with none) / N,
 * for the V8 heap and for the whole process (RSS, which also holds sockets' buffers).
 */
export async function measureIdleMemory(
  inspectorUrl: string,
  empty: MemoryReading,
  connections: number,
): Promise<IdleMemoryResult> {
  const loaded = await readMemoryAfterGc(inspectorUrl)
  return {
    connections,
    heapPerConnection: (loaded.heapUsed - empty.heapUsed) / connections,
    rssPerConnection: (loaded.rss - empty.rss) / connections,
  }
}
