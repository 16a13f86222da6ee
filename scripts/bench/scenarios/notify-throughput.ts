import autocannon from 'autocannon'
import { openCpuWindow } from '../cpu-window.js'
import { notifyBody, notifyHeaders, postNotify } from '../notify-request.js'

export interface NotifyThroughputResult {
  requestsPerSecond: number
  non2xx: number
  errors: number
  clientBound: boolean
}

const WARMUP_REQUESTS = 200

/**
 * `POST /notify` requests per second with no socket connected: the HTTP path alone
 * (auth, JSON, validation, publish), not the fan-out, which the latency figure covers.
 */
export async function measureNotifyThroughput(
  baseUrl: string,
  serverPid: number,
  seconds: number,
  connections: number,
): Promise<NotifyThroughputResult> {
  // Warm the route up first (JIT, lazily built middleware): the figure is the steady state.
  for (let i = 0; i < WARMUP_REQUESTS; i++) await postNotify(baseUrl, 'bench warm-up')
  const window = openCpuWindow(serverPid)
  const result = await autocannon({
    url: `${baseUrl}/notify`,
    method: 'POST',
    headers: notifyHeaders,
    body: notifyBody('bench throughput'),
    connections,
    duration: seconds,
  })
  const cpu = window.close()
  return {
    requestsPerSecond: result['2xx'] / result.duration,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    clientBound: cpu.clientBound,
  }
}
