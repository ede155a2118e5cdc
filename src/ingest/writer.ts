/**
 * The write side the importers share: batch transactions retried with backoff, a batch split
 * around the rows a uniqueness constraint refuses, the pipeline that reads and parses the next
 * batch while the database writes the current one, and the movie aggregates recomputed at the end.
 */
import type { ManagedTransaction } from 'neo4j-driver'
import { recomputeAggregates, staleMovies } from '../data/movies/aggregates.js'
import type { AggregateKind } from '../data/movies/aggregates.js'
import type { Database } from '../db/database.js'
import { ConflictError, UnavailableError } from '../errors.js'
import type { BatchKey } from './batch.js'
import type { FileRun } from './file-run.js'

// After the driver's own retries (deadlocks, leader changes) are spent, a batch is tried again
// after a pause, with jitter so that two importers that collided do not collide again in step.
const RETRY_PAUSES_MS = [500, 2_000, 5_000, 10_000]

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms))

/** One batch in one write transaction; transient failures are retried, the time is booked on `fileRun`. */
export async function writeBatch<T>(
  db: Database,
  fileRun: FileRun | undefined,
  work: (tx: ManagedTransaction) => Promise<T>
): Promise<T> {
  const started = performance.now()
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        return await db.write(work)
      } catch (error) {
        const pause = RETRY_PAUSES_MS[attempt]
        if (!(error instanceof UnavailableError) || pause === undefined) throw error
        await sleep(pause * (0.5 + Math.random()))
      }
    }
  } finally {
    if (fileRun) fileRun.databaseMs += performance.now() - started
  }
}

/**
 * What a uniqueness constraint's refusal says, or undefined for any other error. The database
 * module reports such a refusal as a conflict listing the clashing properties; its other conflict,
 * a node deleted under a write, lists none and is no row's fault.
 */
function keyConflict(error: unknown): string | undefined {
  if (!(error instanceof ConflictError)) return undefined
  const fields = (error.details as { fields?: unknown } | undefined)?.fields
  if (!Array.isArray(fields)) return undefined
  return fields.length > 0 ? `another record already has this ${fields.join(' and ')}` : error.message
}

/**
 * Writes rows in one transaction; when a uniqueness constraint refuses the batch, it is halved
 * until each row at fault stands alone, and those rows are handed to `refuse`. The other rows are
 * written as usual, so one bad key never costs the rest of its batch.
 */
export async function writeOrSplit<R>(
  rows: R[],
  write: (rows: R[]) => Promise<void>,
  refuse: (row: R, reason: string) => Promise<void>
): Promise<void> {
  if (rows.length === 0) return
  try {
    await write(rows)
  } catch (error) {
    const conflict = keyConflict(error)
    if (conflict === undefined) throw error
    if (rows.length === 1) {
      await refuse(rows[0] as R, `conflicts with an existing record: ${conflict}`)
      return
    }
    const half = Math.ceil(rows.length / 2)
    await writeOrSplit(rows.slice(0, half), write, refuse)
    await writeOrSplit(rows.slice(half), write, refuse)
  }
}

export interface PipelineOptions<B> {
  /** Batches written at the same time (default 1). */
  concurrency?: number
  /** The keys of a batch; a batch sharing a key with one still being written waits for it. */
  keys?: (batch: B) => Iterable<BatchKey>
}

function overlaps(a: ReadonlySet<BatchKey>, b: ReadonlySet<BatchKey>): boolean {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a]
  for (const key of small) if (large.has(key)) return true
  return false
}

/**
 * Hands batches to `write` while the next one is read and parsed, with up to `concurrency` of
 * them in flight, so the parser and the database (and, with two, both of the database's cores)
 * work at the same time while memory stays bounded. A row's last occurrence in the file still
 * wins: a batch holding a key that an earlier batch in flight also holds starts after it.
 */
export async function pipeline<B>(
  batches: AsyncIterable<B>,
  write: (batch: B) => Promise<void>,
  options: PipelineOptions<B> = {}
): Promise<void> {
  const limit = Math.max(1, options.concurrency ?? 1)
  const inFlight = new Set<{ done: Promise<void>; keys: ReadonlySet<BatchKey> | undefined }>()
  let failure: { error: unknown } | undefined
  for await (const batch of batches) {
    if (failure) break
    const keys = options.keys && limit > 1 ? new Set(options.keys(batch)) : undefined
    for (const other of [...inFlight]) {
      if (keys && other.keys && overlaps(keys, other.keys)) await other.done
    }
    while (inFlight.size >= limit) await Promise.race([...inFlight].map((entry) => entry.done))
    if (failure) break
    const entry: { done: Promise<void>; keys: ReadonlySet<BatchKey> | undefined } = {
      done: Promise.resolve(),
      keys
    }
    // Caught at once: a failure must not surface as an unhandled rejection while the next batch is read.
    entry.done = write(batch)
      .catch((error: unknown) => {
        failure ??= { error }
      })
      .finally(() => {
        inFlight.delete(entry)
      })
    inFlight.add(entry)
  }
  await Promise.all([...inFlight].map((entry) => entry.done))
  if (failure) throw failure.error
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/** Movies recomputed per transaction: a popular one can have hundreds of thousands of ratings. */
const RECOMPUTE_BATCH = 200

/**
 * Recomputes the rating (or review) aggregates of every movie flagged stale for them, and clears
 * the flags; returns how many movies there were.
 */
export async function refreshStaleAggregates(
  db: Database,
  kind: AggregateKind,
  fileRun?: FileRun
): Promise<number> {
  const stale = (await db.readRows<{ movie_id: string }>(staleMovies(kind))).map((row) => row.movie_id)
  const query = recomputeAggregates([kind])
  for (const ids of chunks(stale, RECOMPUTE_BATCH)) {
    await writeBatch(db, fileRun, async (tx) => {
      await tx.run(query, { movie_ids: ids })
    })
  }
  return stale.length
}
