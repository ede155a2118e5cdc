/**
 * The rejects file: one JSON object per refused row, `{ line, row, reason }`, next to the input as
 * `<input>.rejects.jsonl`. It is created on the first reject only, so a clean import leaves no file;
 * rejects are counted per kind of reason. An earlier run's file is replaced as soon as this run refuses something.
 */
import { createWriteStream } from 'node:fs'
import type { WriteStream } from 'node:fs'
import type { RejectSink } from './rows.js'

export const REJECTS_SUFFIX = '.rejects.jsonl'

/**
 * The kind of a reason, for counting: details that vary from row to row are blanked out, so
 * "rating 7 is outside 0.5..5" and "rating 12 is outside 0.5..5" count together, and an engine's
 * message after "invalid JSON:" does not split the count.
 */
export function reasonKind(reason: string): string {
  const colon = reason.indexOf(': ')
  const head = colon === -1 ? reason : reason.slice(0, colon)
  return head.replace(/"(?:[^"\\]|\\.)*"…?/g, '"…"').replace(/\d+(?:\.\d+)?/g, 'N')
}

/** Kinds counted separately; any further kind is counted under OTHER_REASONS. */
const DEFAULT_MAX_DISTINCT_REASONS = 200
export const OTHER_REASONS = '(other reasons)'

export interface RejectLine {
  line: number
  /** The raw line text, or the parsed CSV record (fields by column), or the fields of a short row. */
  row: unknown
  reason: string
}

/** Where the rejects of an input go; stdin has no name to derive one from, so the caller must give it. */
export function rejectsPathFor(inputPath: string, stdinRejectsPath?: string): string {
  if (inputPath === '-') {
    if (!stdinRejectsPath) throw new Error('reading from stdin needs a path for the rejects file')
    return stdinRejectsPath
  }
  return `${inputPath}${REJECTS_SUFFIX}`
}

export class RejectsWriter implements RejectSink {
  private out: WriteStream | undefined
  private failure: Error | undefined
  private closed = false
  private readonly perReason = new Map<string, number>()
  private rejected = 0
  private readonly maxDistinctReasons: number

  constructor(
    readonly path: string,
    options: { maxDistinctReasons?: number } = {}
  ) {
    this.maxDistinctReasons = options.maxDistinctReasons ?? DEFAULT_MAX_DISTINCT_REASONS
  }

  static forInput(inputPath: string, stdinRejectsPath?: string): RejectsWriter {
    return new RejectsWriter(rejectsPathFor(inputPath, stdinRejectsPath))
  }

  get total(): number {
    return this.rejected
  }

  /** Whether a file was written (at least one reject). */
  get created(): boolean {
    return this.out !== undefined
  }

  /** Rejects per kind of reason (see reasonKind), most frequent first. */
  counts(): Array<[reason: string, count: number]> {
    return [...this.perReason].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
  }

  async reject(lineNumber: number, row: unknown, reason: string): Promise<void> {
    if (this.closed) throw new Error(`rejects file ${this.path} is already closed`)
    if (this.failure) throw this.failure
    this.rejected++
    const kind = reasonKind(reason)
    const key =
      this.perReason.has(kind) || this.perReason.size < this.maxDistinctReasons ? kind : OTHER_REASONS
    this.perReason.set(key, (this.perReason.get(key) ?? 0) + 1)
    const entry: RejectLine = { line: lineNumber, row: row ?? null, reason }
    const out = this.open()
    if (!out.write(`${JSON.stringify(entry)}\n`)) {
      // Respect backpressure: a file that is all rejects must not pile up in memory.
      await settled(out, 'drain')
      if (this.failure) throw this.failure
    }
  }

  /** Flushes and closes the file; rejects any write error that happened on the way. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    const out = this.out
    if (!out) return
    if (!this.failure) {
      out.end()
      await settled(out, 'close')
    }
    if (this.failure) throw this.failure
  }

  private open(): WriteStream {
    if (!this.out) {
      this.out = createWriteStream(this.path, { flags: 'w', encoding: 'utf8' })
      this.out.on('error', (error) => {
        this.failure ??= new Error(`cannot write rejects file ${this.path}: ${error.message}`)
      })
    }
    return this.out
  }
}

/** Waits for `event` or an error, whichever comes first; the error itself is kept by the writer. */
function settled(out: WriteStream, event: 'drain' | 'close'): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      out.off(event, done)
      out.off('error', done)
      resolve()
    }
    out.on(event, done)
    out.on('error', done)
  })
}
