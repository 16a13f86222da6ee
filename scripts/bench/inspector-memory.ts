import { openInspector } from './inspector-session.js'

export interface MemoryReading {
  heapUsed: number
  rss: number
}

/**
 * Forces a full GC in a server through its V8 inspector and reads `process.memoryUsage()`.
 * The same route works for every server, ours and the hub, so none needs a debug endpoint,
 * and all three are measured the same way.
 */
export async function readMemoryAfterGc(inspectorUrl: string, timeoutMs = 15_000): Promise<MemoryReading> {
  let timer: NodeJS.Timeout | undefined
  let close = (): void => undefined
  const work = (async () => {
    const session = await openInspector(inspectorUrl)
    close = session.close
    // Twice: the first pass runs finalizers that free more on the second.
    await session.call('HeapProfiler.collectGarbage')
    await session.call('HeapProfiler.collectGarbage')
    const result = await session.call<{ result: { value: string } }>('Runtime.evaluate', {
      expression: 'JSON.stringify(process.memoryUsage())',
      returnByValue: true,
    })
    const usage = JSON.parse(result.result.value) as { heapUsed: number; rss: number }
    return { heapUsed: usage.heapUsed, rss: usage.rss }
  })()
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('inspector did not answer in time')), timeoutMs)
  })
  try {
    return await Promise.race([work, timeout])
  } finally {
    clearTimeout(timer)
    close()
  }
}
