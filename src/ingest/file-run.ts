/**
 * One input file's run, the skeleton every importer loads a file in: the input opened (a file or
 * stdin, plain or gzip), its rejects file named and an earlier run's removed, its progress line,
 * its counts and the time spent in the database, and at the end a summary, or after a failure the
 * rejects file closed with what it holds. Also the importers' options and summaries.
 */
import { rm } from 'node:fs/promises'
import { basename, join } from 'node:path'
import type { Readable } from 'node:stream'
import { batches, rejectDuplicates } from './batch.js'
import type { BatchKey } from './batch.js'
import type { ParseResult } from './fields.js'
import { openInput } from './input.js'
import type { Input } from './input.js'
import { Progress } from './progress.js'
import type { ProgressCounts, ProgressStream } from './progress.js'
import { RejectsWriter, rejectsPathFor } from './rejects.js'
import { parseRows } from './rows.js'
import type { Located, SourceRow } from './rows.js'

export const DEFAULT_BATCH_SIZE = 5000
/** Two transactions keep both cores of a small server busy; more only queue on the same locks. */
export const DEFAULT_CONCURRENCY = 2

export type ImportKind = 'movielens' | 'tmdb' | 'tweets'

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
 * The rejects file of an input: next to it unless `rejectsPath` says otherwise, and for stdin
 * `<kind>-stdin.rejects.jsonl` in the working directory. A MovieLens import reads several files,
 * so its `rejectsPath` is a directory holding one rejects file per input.
 */
export function rejectsFileFor(input: string, kind: ImportKind, options: ImportOptions): string {
  if (options.rejectsPath === undefined) return rejectsPathFor(input, `${kind}-stdin.rejects.jsonl`)
  return kind === 'movielens'
    ? rejectsPathFor(join(options.rejectsPath, basename(input)))
    : options.rejectsPath
}

const NOWHERE: ProgressStream = { write: () => true, isTTY: false }

/** One input file being loaded: its progress line, its rejects file and its counts. */
export class FileRun {
  readonly rejects: RejectsWriter
  databaseMs = 0
  private readonly started = performance.now()

  constructor(
    readonly file: string,
    rejectsPath: string,
    readonly progress: Progress
  ) {
    this.rejects = new RejectsWriter(rejectsPath)
  }

  /**
   * The rows of `source` that parse, in batches of `size` rows that hold each key once; a row that
   * does not parse, or whose key a later row of its batch repeats, goes to the rejects file.
   */
  batches<R, T>(
    source: AsyncIterable<SourceRow<R>>,
    parse: (raw: R) => ParseResult<T>,
    options: { size: number; key: (row: Located<T>) => BatchKey }
  ): AsyncGenerator<Located<T>[]> {
    return batches(parseRows(source, parse, this.rejects, this.progress), {
      ...options,
      onDuplicate: this.duplicates<T>()
    })
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
}

/**
 * Opens `path` (`-` for stdin) with its run and hands both to `load`. A rejects file an earlier run
 * left is removed first: the file is only written when this run refuses something, and one left
 * over would describe rows this run may have taken. When `load` fails, the rejects file is closed
 * keeping what it holds; the input is always closed.
 */
export async function withFileRun<T>(
  path: string,
  kind: ImportKind,
  options: ImportOptions,
  load: (input: Input, fileRun: FileRun) => Promise<T>
): Promise<T> {
  const input = await openInput(path, options.stdin ? { stdin: options.stdin } : {})
  try {
    const rejectsPath = rejectsFileFor(path, kind, options)
    await rm(rejectsPath, { force: true })
    const progress = new Progress({
      label: path,
      stream: options.progress ?? NOWHERE,
      totalBytes: input.totalBytes,
      bytesRead: () => input.bytesRead()
    })
    const fileRun = new FileRun(path, rejectsPath, progress)
    try {
      return await load(input, fileRun)
    } catch (error) {
      await fileRun.rejects.close().catch(() => undefined)
      throw error
    }
  } finally {
    input.close()
  }
}

/**
 * A one-file import (TMDB, tweets): the file's run, then its summary with whatever `load` adds to
 * it. The summary's time counts from the call, before the input is opened.
 */
export async function importOneFile<T extends object>(
  path: string,
  kind: ImportKind,
  options: ImportOptions,
  load: (input: Input, fileRun: FileRun) => Promise<T>
): Promise<ImportSummary & T> {
  const startedAt = performance.now()
  return withFileRun(path, kind, options, async (input, fileRun) => {
    const extra = await load(input, fileRun)
    return { ...summarize([await fileRun.finish()], startedAt), ...extra }
  })
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
