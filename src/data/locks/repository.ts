import type { Database } from '../../db/database.js'
import { int } from '../../db/convert.js'
import { ConflictError } from '../../errors.js'
import { ACQUIRE_LOCK, RELEASE_LOCK, RENEW_LOCK } from './queries.js'

export interface JobLock {
  name: string
  owner: string
  /** Extends the expiry; throws when another job took the lock over after it expired. */
  renew(): Promise<void>
  release(): Promise<void>
}

export class LockHeldError extends ConflictError {}

export async function acquireLock(
  db: Database,
  name: string,
  owner: string,
  ttlMs: number
): Promise<JobLock> {
  const params = { name, owner, ttl_ms: int(ttlMs) }
  const [row] = await db.writeRows<{
    acquired: boolean
    owner: string
    acquired_at: string
    expires_at: string
  }>(ACQUIRE_LOCK, params)
  if (!row?.acquired) {
    throw new LockHeldError(
      `${name} is already running (run ${row?.owner ?? 'unknown'}, since ${row?.acquired_at ?? 'unknown'}; ` +
        `the lock expires at ${row?.expires_at ?? 'unknown'} unless that run renews it)`,
      { lock: name, owner: row?.owner, expires_at: row?.expires_at }
    )
  }
  return {
    name,
    owner,
    async renew() {
      const renewed = await db.writeRows(RENEW_LOCK, params)
      if (renewed.length === 0) throw new LockHeldError(`${name}: the lock of run ${owner} was taken over`)
    },
    async release() {
      await db.writeRows(RELEASE_LOCK, params)
    }
  }
}
