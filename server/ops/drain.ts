import type { IncomingMessage, ServerResponse } from 'node:http'
import type { RequestListener } from '../http/notify-handler.js'

/** Read-only requests still answered while draining: probes, metrics, the pages. */
const isReadOnly = (req: IncomingMessage): boolean => req.method === 'GET' || req.method === 'HEAD'

export interface Drain {
  /** True once shutdown has begun. */
  readonly draining: boolean
  /** Counts the requests `listener` is answering; refuses new work once draining. */
  track(listener: RequestListener): RequestListener
  /** Begins draining: from now on new work is refused with 503 `shutting_down`. */
  start(): void
  /** Resolves when no tracked request is in flight any more. */
  idle(): Promise<void>
}

/**
 * The hub's drain switch. Requests already being answered (a `POST /notify` waiting for its
 * commit) finish; new ones that would change something get `503 shutting_down` and
 * `Connection: close`, so a publisher retries on another node (with its `Idempotency-Key`,
 * nothing is published twice). Probes and metrics keep answering until the process exits.
 *
 * @example
 * const drain = createDrain()
 * createServer(drain.track(listener))
 * drain.start(); await drain.idle()
 */
export function createDrain(): Drain {
  let draining = false
  let inFlight = 0
  let waiters: (() => void)[] = []

  const finished = (): void => {
    inFlight--
    if (inFlight === 0 && draining) for (const wake of waiters.splice(0)) wake()
  }

  const refuse = (res: ServerResponse): void => {
    const body = JSON.stringify({ error: { code: 'shutting_down', message: 'the hub is shutting down: retry on another node' } })
    res.writeHead(503, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      'Retry-After': '1',
      Connection: 'close',
    })
    res.end(body)
  }

  return {
    get draining() {
      return draining
    },
    track: (listener) => (req, res) => {
      if (draining && !isReadOnly(req)) return refuse(res)
      inFlight++
      // 'close' follows 'finish', and also comes alone when the client went away first.
      res.once('close', finished)
      listener(req, res)
    },
    start() {
      draining = true
    },
    idle: () => (inFlight === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve))),
  }
}
