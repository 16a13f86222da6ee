import WebSocket from 'ws'

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
  const ws = new WebSocket(inspectorUrl, { perMessageDeflate: false })
  const pending = new Map<number, (result: unknown) => void>()
  let nextId = 1
  const call = (method: string, params: object = {}): Promise<unknown> =>
    new Promise((resolve) => {
      const id = nextId++
      pending.set(id, resolve)
      ws.send(JSON.stringify({ id, method, params }))
    })
  ws.on('message', (data) => {
    const reply = JSON.parse(data.toString()) as { id?: number; result?: unknown }
    if (reply.id !== undefined) pending.get(reply.id)?.(reply.result)
  })
  let timer: NodeJS.Timeout | undefined
  const work = (async () => {
    await new Promise<void>((resolve, reject) => ws.once('open', () => resolve()).once('error', reject))
    // Twice: the first pass runs finalizers that free more on the second.
    await call('HeapProfiler.collectGarbage')
    await call('HeapProfiler.collectGarbage')
    const result = (await call('Runtime.evaluate', {
      expression: 'JSON.stringify(process.memoryUsage())',
      returnByValue: true,
    })) as { result: { value: string } }
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
    ws.terminate()
  }
}
