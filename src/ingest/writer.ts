/**
 * What the three importers share: their options and summaries, one input file's run (progress,
 * rejects, counts, time spent in the database), batch transactions retried with backoff, and the
 * pipeline that reads and parses the next batch while the database writes the current one.
 */
import { rm } from 'node:fs/promises'
import type { Readable } from 'node:stream'
import { Neo4jError } from 'neo4j-driver'
import type { ManagedTransaction, QueryResult } from 'neo4j-driver'
import type { Database } from '../db/database.js'
import { UnavailableError } from '../errors.js'
import { rejectDuplicates } from './batch.js'
import type { BatchKey } from './batch.js'
import { Progress } from './progress.js'
import type { ProgressCounts, ProgressStream } from './progress.js'
import { RECOMPUTE_RATINGS, RECOMPUTE_REVIEWS, staleMovies } from './queries.js'
import type { StaleFlag } from './queries.js'
import { RejectsWriter, rejectsPathFor } from './rejects.js'
import type { Located } from './rows.js'

export const DEFAULT_BATCH_SIZE = 5000
/** Two transactions keep both cores of a small server busy; more only queue on the same locks. */
export const DEFAULT_CONCURRENCY = 2

export interface ImportOptions {
  /** Rows per write transaction (default 5000). */
  batchSize?: number
  /** Write transactions in flight at once for ratings, tags and tweets (default 2). */
  concurrency?: number
  /** Where progress and each file's closing line go; nothing is written when absent. */
  progress?: ProgressStream
  /**
   * Where refused rows go instead of `<input>.rejects.jsonl`: a file for TMDB and tweets (needed
   * when reading stdin), a directory for MovieLens (one `<file>.rejects.jsonl` per input file).
   */
  rejectsPath?: string
  /** Tweets: the hashtag map (`{ "#Inception": { "tmdb_id": 27205 } }`). */
  hashtags?: string
  /** Stands in for process.stdin when the input is `-`. */
  stdin?: Readable
}

export type ImportCounts = ProgressCounts

export interface FileSummary extends ImportCounts {
  /** The input as given (`-` for stdin). */
  file: string
  /** Null when nothing was refused (and then no file is left behind). */
  rejectsPath: string | null
  elapsedMs: number
  rowsPerSecond: number
  /**
   * Time inside transactions, summed over those in flight at once: about elapsedMs times the
   * concurrency when the database is the bound, well below elapsedMs when parsing is.
   */
  databaseMs: number
}

export interface ImportSummary extends ImportCounts {
  elapsedMs: number
  rowsPerSecond: number
  /** One entry per input file, in the order they were loaded. */
  files: FileSummary[]
}

export function concurrencyOf(options: ImportOptions): number {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
    throw new Error(`concurrency must be a positive integer, got ${concurrency}`)
  }
  return concurrency
}

export function batchSizeOf(options: ImportOptions): number {
  const size = options.batchSize ?? DEFAULT_BATCH_SIZE
  if (!Number.isSafeInteger(size) || size < 1)
    throw new Error(`batch size must be a positive integer, got ${size}`)
  return size
}

/**
 * The rejects file of a single-file import: the override when given, else next to the input, and
 * for stdin `<kind>-stdin.rejects.jsonl` in the working directory.
 */
export function rejectsFileFor(input: string, kind: string, options: ImportOptions): string {
  return options.rejectsPath ?? rejectsPathFor(input, `${kind}-stdin.rejects.jsonl`)
}

const NOWHERE: ProgressStream = { write: () => true, isTTY: false }

/** One input file being loaded: its progress line, its rejects file and its counts. */
export class FileRun {
  readonly progress: Progress
  readonly rejects: RejectsWriter
  databaseMs = 0
  private readonly started = performance.now()

  private constructor(
    readonly file: string,
    rejectsPath: string,
    progress: Progress
  ) {
    this.rejects = new RejectsWriter(rejectsPath)
    this.progress = progress
  }

  /**
   * A stale rejects file from an earlier run is removed first: the file is only written when this
   * run refuses something, and one left over would describe rows this run may have taken.
   */
  static async open(
    file: string,
    rejectsPath: string,
    options: {
      progress?: ProgressStream | undefined
      totalBytes?: number | undefined
      bytesRead?: () => number
    }
  ): Promise<FileRun> {
    await rm(rejectsPath, { force: true })
    const progress = new Progress({
      label: file,
      stream: options.progress ?? NOWHERE,
      totalBytes: options.totalBytes,
      ...(options.bytesRead ? { bytesRead: options.bytesRead } : {})
    })
    return new FileRun(file, rejectsPath, progress)
  }

  /** Refuses a row that parsed but could not be written (unknown movie, a key held by another node). */
  async reject(row: Located<unknown>, reason: string): Promise<void> {
    this.progress.add({ rejected: 1 })
    await this.rejects.reject(row.lineNumber, row.raw, reason)
  }

  /** The batcher's onDuplicate: the dropped row is refused, naming the line that was kept. */
  duplicates<T>(): (dropped: Located<T>, kept: Located<T>, key: BatchKey) => Promise<void> {
    const write = rejectDuplicates<T>(this.rejects)
    return async (dropped, kept, key) => {
      this.progress.add({ rejected: 1 })
      await write(dropped, kept, key)
    }
  }

  count(outcome: Partial<Pick<ImportCounts, 'created' | 'updated' | 'unchanged'>>): void {
    this.progress.add(outcome)
  }

  async finish(): Promise<FileSummary> {
    await this.rejects.close()
    this.progress.finish()
    const elapsedMs = performance.now() - this.started
    const counts = { ...this.progress.counts }
    return {
      file: this.file,
      ...counts,
      rejectsPath: this.rejects.created ? this.rejects.path : null,
      elapsedMs,
      rowsPerSecond: perSecond(counts.read, elapsedMs),
      databaseMs: this.databaseMs
    }
  }

  /** Closes the rejects file after a failure, keeping what it holds. */
  async abandon(): Promise<void> {
    await this.rejects.close().catch(() => undefined)
  }
}

export function perSecond(rows: number, ms: number): number {
  return ms > 0 ? Math.round((rows / ms) * 1000) : 0
}

export function summarize(files: FileSummary[], startedAt: number): ImportSummary {
  const elapsedMs = performance.now() - startedAt
  const total = { read: 0, created: 0, updated: 0, unchanged: 0, rejected: 0 }
  for (const file of files) {
    for (const key of Object.keys(total) as Array<keyof typeof total>) total[key] += file[key]
  }
  return { ...total, elapsedMs, rowsPerSecond: perSecond(total.read, elapsedMs), files }
}

/** A uniqueness constraint refused a write; carries the server's message, which names the key. */
export class KeyConflictError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'KeyConflictError'
  }
}

const CONSTRAINT_FAILED = 'Neo.ClientError.Schema.ConstraintValidationFailed'

/** Runs one statement, turning a constraint violation into a KeyConflictError with the server's words. */
export async function run(
  tx: ManagedTransaction,
  query: string,
  params: Record<string, unknown>
): Promise<QueryResult> {
  try {
    return await tx.run(query, params)
  } catch (error) {
    if (error instanceof Neo4jError && error.code === CONSTRAINT_FAILED)
      throw new KeyConflictError(error.message)
    throw error
  }
}

// After the driver's own retries (deadlocks, leader changes) are spent, a batch is tried again
// after a pause, with jitter so that two importers that collided do not collide again in step.
const RETRY_PAUSES_MS = [500, 2_000, 5_000, 10_000]

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms))

/** One batch in one write transaction; transient failures are retried, the time is booked on `run`. */
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
    if (!(error instanceof KeyConflictError)) throw error
    if (rows.length === 1) {
      await refuse(rows[0] as R, `conflicts with an existing record: ${error.message}`)
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
 * Recomputes the rating (or review) aggregates of every movie flagged stale, from its Rating (or
 * Review) nodes, and clears the flags; returns how many movies there were.
 */
export async function refreshStaleAggregates(
  db: Database,
  flag: StaleFlag,
  fileRun?: FileRun
): Promise<number> {
  const stale = (await db.readRows<{ movie_id: string }>(staleMovies(flag))).map((row) => row.movie_id)
  const query = flag === 'ratings_stale' ? RECOMPUTE_RATINGS : RECOMPUTE_REVIEWS
  for (const ids of chunks(stale, RECOMPUTE_BATCH)) {
    await writeBatch(db, fileRun, async (tx) => {
      await run(tx, query, { movie_ids: ids })
    })
  }
  return stale.length
}
