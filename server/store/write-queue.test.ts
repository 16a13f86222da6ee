import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createWriteQueue } from './write-queue.js'

describe('write queue (group commit)', () => {
  let db: Database.Database
  let batches: number
  let insert: Database.Statement<[number]>

  beforeEach(() => {
    db = new Database(':memory:')
    db.exec('CREATE TABLE items (n INTEGER PRIMARY KEY)')
    insert = db.prepare('INSERT INTO items (n) VALUES (?)')
    batches = 0
  })
  afterEach(() => db.close())

  const count = (): number => db.prepare('SELECT count(*) FROM items').pluck().get() as number

  it('commits the writes of one tick in a single transaction, and resolves after it', async () => {
    const queue = createWriteQueue(db, { beforeCommit: () => batches++ })
    const inTransaction: boolean[] = []

    const results = await Promise.all(
      Array.from({ length: 100 }, (_, n) =>
        queue.enqueue(() => {
          inTransaction.push(db.inTransaction)
          insert.run(n)
          return n
        }),
      ),
    )

    expect(results).toEqual(Array.from({ length: 100 }, (_, n) => n))
    expect(batches).toBe(1)
    expect(inTransaction.every(Boolean)).toBe(true)
    expect(count()).toBe(100)
  })

  it('starts a new batch for writes made after the previous one was committed', async () => {
    const queue = createWriteQueue(db, { beforeCommit: () => batches++ })
    await queue.enqueue(() => insert.run(1))
    await queue.enqueue(() => insert.run(2))
    expect(batches).toBe(2)
  })

  it('rejects and rolls back a failing write alone, committing the rest of its batch', async () => {
    const queue = createWriteQueue(db)
    const outcomes = await Promise.allSettled([
      queue.enqueue(() => insert.run(1)),
      queue.enqueue(() => {
        insert.run(2)
        insert.run(1) // duplicate key: this job's first insert must be undone too
      }),
      queue.enqueue(() => insert.run(3)),
    ])

    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect(db.prepare('SELECT n FROM items ORDER BY n').pluck().all()).toEqual([1, 3])
  })

  it('rejects every write of a batch that fails to commit, and keeps none of them', async () => {
    const queue = createWriteQueue(db, {
      beforeCommit: () => {
        throw new Error('disk full')
      },
    })
    const outcomes = await Promise.allSettled([queue.enqueue(() => insert.run(1)), queue.enqueue(() => insert.run(2))])

    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected'])
    expect(count()).toBe(0)
  })

  it('commits pending writes synchronously on flush', () => {
    const queue = createWriteQueue(db)
    void queue.enqueue(() => insert.run(1))
    expect(queue.pending).toBe(1)

    queue.flush()

    expect(queue.pending).toBe(0)
    expect(count()).toBe(1)
  })
})
