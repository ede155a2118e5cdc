/** Job locks keep two whole-graph similarity rebuilds from removing each other's edges. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../src/db/database.js'
import { acquireLock, LockHeldError } from '../../src/data/locks/repository.js'
import { REBUILD_LOCK, rebuildSimilarity } from '../../src/data/similar/rebuild.js'
import { testDatabase, uid } from '../helpers/neo4j.js'
import { waitFor } from '../helpers/wait-for.js'

let db: Database
const lockNames: string[] = []
const name = () => {
  const n = uid('lock')
  lockNames.push(n)
  return n
}

beforeAll(() => {
  db = testDatabase()
})

afterAll(async () => {
  await db.writeRows('UNWIND $names AS n MATCH (l:JobLock {name: n}) DELETE l', { names: lockNames })
  await db.close()
})

describe('job locks', () => {
  it('lets one owner in and turns the next away until it is released', async () => {
    const lockName = name()
    const first = await acquireLock(db, lockName, 'run-a', 60_000)
    await expect(acquireLock(db, lockName, 'run-b', 60_000)).rejects.toThrow(/already running \(run run-a/)
    await first.release()
    const second = await acquireLock(db, lockName, 'run-b', 60_000)
    expect(second.owner).toBe('run-b')
    await second.release()
  })

  it('gives exactly one of many concurrent callers the lock', async () => {
    const lockName = name()
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => acquireLock(db, lockName, `run-${i}`, 60_000))
    )
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1)
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(LockHeldError)
    const [row] = await db.readRows<{ n: number }>('MATCH (l:JobLock {name: $name}) RETURN count(l) AS n', {
      name: lockName
    })
    expect(row?.n).toBe(1)
  })

  it('lets a new owner take over an expired lock, after which the old owner cannot renew it', async () => {
    const lockName = name()
    const stale = await acquireLock(db, lockName, 'run-dead', 1)
    // Expiry is judged by the database's clock, so that is the one to ask.
    await waitFor(
      `lock ${lockName} to expire`,
      async () => {
        const [row] = await db.readRows<{ expired: boolean }>(
          'MATCH (l:JobLock {name: $name}) RETURN l.expires_at < datetime() AS expired',
          { name: lockName }
        )
        return row?.expired
      },
      { timeoutMs: 5_000, intervalMs: 10 }
    )
    const fresh = await acquireLock(db, lockName, 'run-new', 60_000)
    await expect(stale.renew()).rejects.toBeInstanceOf(LockHeldError)
    await stale.release() // releasing a lock one no longer holds leaves it alone
    await expect(acquireLock(db, lockName, 'run-other', 60_000)).rejects.toBeInstanceOf(LockHeldError)
    await fresh.renew()
    await fresh.release()
  })

  it('stops a whole-graph similarity rebuild while another one holds the lock', async () => {
    // The rebuild's lock has one name for every caller, and other files run real rebuilds: wait
    // for theirs to finish rather than fail, and release only this test's own hold (never delete
    // the lock in cleanup, which would take it from a rebuild that is running).
    const running = await waitFor(
      `the ${REBUILD_LOCK} lock to be free`,
      () =>
        acquireLock(db, REBUILD_LOCK, uid('other-rebuild'), 60_000).catch((err: unknown) => {
          if (err instanceof LockHeldError) return undefined
          throw err
        }),
      { timeoutMs: 60_000, intervalMs: 250 }
    )
    try {
      await expect(rebuildSimilarity(db)).rejects.toThrow(/similarity-rebuild is already running/)
    } finally {
      await running.release()
    }
  })
})
