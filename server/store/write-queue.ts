import type { Database } from 'better-sqlite3'
import type { Logger } from '../logger.js'

export interface WriteQueueOptions {
  log?: Logger
  /** Runs inside each batch's transaction after its jobs, e.g. to trim what they grew. */
  beforeCommit?: () => void
}

/**
 * Group commit: writes requested during one event-loop turn are committed in one transaction.
 * A commit costs far more than a row, so batching is what lets the hub store thousands of
 * notifications per second.
 */
export interface WriteQueue {
  /**
   * Runs `job` in the next batch's transaction; resolves with its result once committed.
   * `committed` is called synchronously right after the commit, in batch order, before any
   * later batch runs: the place to announce what was committed, in commit order.
   */
  enqueue<T>(job: () => T, committed?: (value: T) => void): Promise<T>
  /** Commits whatever is pending now, synchronously (used by `close`). */
  flush(): void
  readonly pending: number
}

interface PendingJob {
  run: () => unknown
  committed: ((value: unknown) => void) | undefined
  resolve: (value: unknown) => void
  reject: (reason: unknown) => void
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown }

/**
 * @example
 * const queue = createWriteQueue(db)
 * await Promise.all([queue.enqueue(() => insert.run(a)), queue.enqueue(() => insert.run(b))])
 */
export function createWriteQueue(db: Database, { log, beforeCommit }: WriteQueueOptions = {}): WriteQueue {
  let jobs: PendingJob[] = []
  let scheduled: NodeJS.Immediate | undefined

  // Each job runs in its own savepoint (a nested better-sqlite3 transaction), so one failing job
  // is rolled back and rejected alone while the rest of the batch still commits.
  const runInSavepoint = db.transaction((job: () => unknown) => job())

  // IMMEDIATE takes the write lock up front: a job's read-then-write (the idempotency check)
  // cannot be interleaved with another connection's write.
  const commitBatch = db.transaction((batch: PendingJob[]): Outcome[] => {
    const outcomes = batch.map((job): Outcome => {
      try {
        return { ok: true, value: runInSavepoint(job.run) }
      } catch (error) {
        return { ok: false, error }
      }
    })
    beforeCommit?.()
    return outcomes
  })

  const flush = (): void => {
    if (scheduled !== undefined) clearImmediate(scheduled)
    scheduled = undefined
    const batch = jobs
    jobs = []
    if (batch.length === 0) return
    let outcomes: Outcome[]
    try {
      outcomes = commitBatch.immediate(batch)
    } catch (error) {
      // The transaction did not commit: nothing in the batch is durable.
      log?.error({ err: error, jobs: batch.length }, 'store batch failed to commit')
      for (const job of batch) job.reject(error)
      return
    }
    batch.forEach((job, i) => {
      const outcome = outcomes[i]
      if (outcome?.ok !== true || job.committed === undefined) return
      try {
        job.committed(outcome.value)
      } catch (error) {
        log?.error({ err: error }, 'a commit listener failed')
      }
    })
    batch.forEach((job, i) => {
      const outcome = outcomes[i]
      if (outcome?.ok) job.resolve(outcome.value)
      else job.reject(outcome?.error)
    })
  }

  return {
    enqueue<T>(run: () => T, committed?: (value: T) => void): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        jobs.push({ run, committed: committed as ((value: unknown) => void) | undefined, resolve: resolve as (value: unknown) => void, reject })
        // setImmediate fires after the current I/O phase: every request parsed in this turn
        // joins the batch, and none waits for a timer.
        scheduled ??= setImmediate(flush)
      })
    },
    flush,
    get pending() {
      return jobs.length
    },
  }
}
