import WebSocket from 'ws'

/** A connection to a server's V8 inspector: one method call at a time, answered by id. */
export interface InspectorSession {
  call<T = unknown>(method: string, params?: object): Promise<T>
  close(): void
}

/**
 * Opens a session on a server's inspector (`--inspect=127.0.0.1:0`, address from its stderr).
 * Every server is measured through this same route, so none needs a debug endpoint.
 */
export async function openInspector(inspectorUrl: string): Promise<InspectorSession> {
  const ws = new WebSocket(inspectorUrl, { perMessageDeflate: false, maxPayload: 1024 * 1024 * 1024 })
  const pending = new Map<number, { resolve: (result: unknown) => void; reject: (err: Error) => void }>()
  let nextId = 1
  ws.on('message', (data) => {
    const reply = JSON.parse(data.toString()) as { id?: number; result?: unknown; error?: { message: string } }
    if (reply.id === undefined) return
    const waiter = pending.get(reply.id)
    pending.delete(reply.id)
    if (reply.error) waiter?.reject(new Error(reply.error.message))
    else waiter?.resolve(reply.result)
  })
  ws.on('close', () => {
    for (const waiter of pending.values()) waiter.reject(new Error('inspector closed'))
    pending.clear()
  })
  await new Promise<void>((resolve, reject) => ws.once('open', () => resolve()).once('error', reject))
  ws.on('error', () => undefined)
  return {
    call: <T>(method: string, params: object = {}) =>
      new Promise<T>((resolve, reject) => {
        const id = nextId++
        pending.set(id, { resolve: resolve as (result: unknown) => void, reject })
        ws.send(JSON.stringify({ id, method, params }))
      }),
    close: () => ws.terminate(),
  }
}
