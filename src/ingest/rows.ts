/**
 * The shapes that flow between reading and writing: a source row with its line number, either
 * readable or already refused by the reader, and the loop that turns rows into clean values while
 * sending everything else to the rejects file.
 */
import type { ParseResult } from './fields.js'
import type { Line } from './input.js'

export interface Located<T> {
  lineNumber: number
  value: T
  /** The row it came from (line text or CSV record), for a reject found later, e.g. a duplicate. */
  raw: unknown
}

export type SourceRow<R> =
  | { ok: true; lineNumber: number; raw: R }
  /** Refused before any parser saw it (a CSV row with the wrong number of fields). */
  | { ok: false; lineNumber: number; raw: unknown; reason: string }

export interface RejectSink {
  reject(lineNumber: number, row: unknown, reason: string): void | Promise<void>
}

export interface RowCounter {
  /** One row read from the source, good or bad. */
  tick(): void
  add(counts: { rejected?: number }): void
}

/** JSON-lines rows: blank lines are spacing, not records, so they are skipped rather than refused. */
export async function* lineRows(lines: AsyncIterable<Line>): AsyncGenerator<SourceRow<string>> {
  for await (const { line, lineNumber } of lines) {
    if (line.trim() === '') continue
    yield { ok: true, lineNumber, raw: line }
  }
}

/** Yields the rows that parse; every other row goes to `rejects` with its line number and reason. */
export async function* parseRows<R, T>(
  rows: AsyncIterable<SourceRow<R>>,
  parse: (raw: R) => ParseResult<T>,
  rejects: RejectSink,
  counter?: RowCounter
): AsyncGenerator<Located<T>> {
  for await (const row of rows) {
    counter?.tick()
    const result: ParseResult<T> = row.ok ? parse(row.raw) : { ok: false, reason: row.reason }
    if (result.ok) {
      yield { lineNumber: row.lineNumber, value: result.value, raw: row.raw }
    } else {
      counter?.add({ rejected: 1 })
      await rejects.reject(row.lineNumber, row.raw, result.reason)
    }
  }
}
