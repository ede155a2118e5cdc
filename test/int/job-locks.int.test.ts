/** Job locks keep two whole-graph similarity rebuilds from removing each other's edges. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../src/db/database.js'
import { acquireLock, LockHeldError } from '../../src/data/locks/repository.js'
import { REBUILD_LOCK, rebuildSimilarity } from '../../src/similarity/rebuild.js'
import { testDatabase, uid } from '../helpers/neo4j.js'

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
    await new Promise((resolve) => setTimeout(resolve, 20))
    const fresh = await acquireLock(db, lockName, 'run-new', 60_000)
    await expect(stale.renew()).rejects.toBeInstanceOf(LockHeldError)
    await stale.release() // releasing a lock one no longer holds leaves it alone
    await expect(acquireLock(db, lockName, 'run-other', 60_000)).rejects.toBeInstanceOf(LockHeldError)
    await fresh.renew()
    await fresh.release()
  })

  it('stops a whole-graph similarity rebuild while another one holds the lock', async () => {
    lockNames.push(REBUILD_LOCK)
    const running = await acquireLock(db, REBUILD_LOCK, uid('other-rebuild'), 60_000)
    try {
      await expect(rebuildSimilarity(db)).rejects.toThrow(/similarity-rebuild is already running/)
    } finally {
      await running.release()
    }
  })
})
