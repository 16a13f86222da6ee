import { pino } from 'pino'
import { createBus } from '../bus.js'
import { createMemoryMembership } from '../membership/memory-membership.js'
import { openSqliteStore } from '../store/index.js'
import type { ModuleContext } from './module.js'
import { recordingIo } from './recording-io.js'

/** A module context for unit tests: a real bus and in-memory store, a recording Socket.IO. */
export function testContext(): ModuleContext & Omit<ReturnType<typeof recordingIo>, 'io'> {
  const { io, ...recorded } = recordingIo()
  return {
    bus: createBus(),
    io,
    log: pino({ level: 'silent' }),
    store: openSqliteStore({ path: ':memory:' }),
    membership: createMemoryMembership(),
    outbox: { whenRoom: () => new Promise<void>((resolve) => setImmediate(resolve)) },
    ...recorded,
  }
}
