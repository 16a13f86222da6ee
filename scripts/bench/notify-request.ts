import { Agent, request } from 'node:http'
import { BENCH_API_KEY } from './servers/catalog.js'

// One kept-alive connection: the fan-out figures time delivery, not TCP handshakes.
const agent = new Agent({ keepAlive: true, maxSockets: 1 })

/** The notification every server receives; fields the hub and both baselines accept. */
export const notifyBody = (title: string): string =>
  JSON.stringify({ title, body: 'Benchmark notification body', level: 'info' })

export const notifyHeaders = {
  authorization: `Bearer ${BENCH_API_KEY}`,
  'content-type': 'application/json',
}

/** `POST /notify`; resolves with the HTTP status once the answer has been read. */
export function postNotify(baseUrl: string, title: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${baseUrl}/notify`, { method: 'POST', agent, headers: notifyHeaders }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', reject)
    req.end(notifyBody(title))
  })
}
