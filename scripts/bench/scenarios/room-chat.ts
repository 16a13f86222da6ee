import { openCpuWindow } from '../cpu-window.js'
import type { LightClientPool } from '../light-client.js'
import type { ServerUnderTest } from '../servers/catalog.js'
import { takeTurns, type Contender } from '../side-by-side.js'
import { paced } from '../stats.js'

// Receivers share one name: the hub then announces one user, not N, so setting up the room
// is not an N² `user-joined` storm (the tutorial's protocol would make it one).
const RECEIVER_NAME = 'bench-listener'
const DRAIN_TIMEOUT_MS = 15_000
// How late a saturation step's last deliveries may be and still count as keeping up.
const STEP_GRACE_MS = 500
const KEPT_UP = 0.95

/**
 * Puts every connection in the chat: the first `senders` join under their own names (they
 * post), the rest join as listeners where the server needs a join to deliver room chat.
 */
export async function prepareRoom(pool: LightClientPool, server: ServerUnderTest, senders: number): Promise<void> {
  for (let i = 0; i < pool.size; i++) {
    if (i < senders) pool.emit(i, 'join', `bench-sender-${i}`)
    else if (server.receiversJoinRoom) pool.emit(i, 'join', RECEIVER_NAME)
  }
  await pool.settle()
}

/** Posts `rate` chat messages per second for `seconds`, spread over the senders, on schedule. */
function offerChat(pool: LightClientPool, senders: number, rate: number, seconds: number): Promise<number> {
  return paced(rate, seconds, (i) => pool.emit(i % senders, 'chat-message', `bench chat message ${i}`))
}

export interface ChatCostResult {
  offered: number
  delivered: number
  /** Server CPU (user + system) per delivered chat message, in microseconds. */
  cpuMicrosPerDelivery: number
  clientBound: boolean
}

/**
 * Server CPU per room chat delivery, every contender side by side: `messages` rounds of one chat
 * message per server in turn (see `takeTurns`), from the senders in turn, each one waited for
 * until every connection of that server has it.
 */
export async function measureChatCostSideBySide(
  contenders: readonly Contender<LightClientPool>[],
  senders: number,
  messages: number,
): Promise<ChatCostResult[]> {
  const starts = contenders.map((c) => c.pool.counts['chat-message'])
  const costs = await takeTurns(contenders, messages, async ({ pool }, i) => {
    const arrived = pool.waitForCount('chat-message', pool.counts['chat-message'] + pool.size, DRAIN_TIMEOUT_MS)
    pool.emit(i % senders, 'chat-message', `bench chat message ${i}`)
    await arrived
  })
  return contenders.map(({ pool }, at) => {
    const delivered = pool.counts['chat-message'] - starts[at]!
    return {
      offered: messages * pool.size,
      delivered,
      cpuMicrosPerDelivery: costs[at]!.serverCpuMicros / delivered,
      clientBound: costs[at]!.clientBound,
    }
  })
}

export interface SaturationResult {
  /** Highest deliveries per second observed in any step. */
  deliveriesPerSecond: number
  /** False when even the top step was kept up with: the figure is then a lower bound. */
  reached: boolean
  clientBound: boolean
  steps: { rate: number; offered: number; inTime: number; perSecond: number; clientLoad: number }[]
}

/**
 * Raises the offered chat rate step by step until deliveries fall behind (fewer than 95% in
 * time), and reports the best delivery rate seen: the server's saturation point.
 */
export async function measureChatSaturation(
  pool: LightClientPool,
  serverPid: number,
  senders: number,
  rates: number[],
  stepSeconds: number,
): Promise<SaturationResult> {
  const steps: SaturationResult['steps'] = []
  let reached = false
  let clientBound = false
  for (const rate of rates) {
    const start = pool.counts['chat-message']
    const window = openCpuWindow(serverPid)
    const offered = (await offerChat(pool, senders, rate, stepSeconds)) * pool.size
    await pool.waitForCount('chat-message', start + offered, STEP_GRACE_MS)
    const cpu = window.close()
    const inTime = pool.counts['chat-message'] - start
    steps.push({ rate, offered, inTime, perSecond: inTime / (cpu.wallMicros / 1e6), clientLoad: cpu.clientLoad })
    clientBound ||= cpu.clientBound
    if (inTime < KEPT_UP * offered) {
      reached = true
      // Let the backlog drain so the next scenario starts from an idle server.
      await pool.waitForCount('chat-message', start + offered, DRAIN_TIMEOUT_MS)
      break
    }
  }
  await pool.settle(200, DRAIN_TIMEOUT_MS)
  return { deliveriesPerSecond: Math.max(...steps.map((s) => s.perSecond)), reached, clientBound, steps }
}
