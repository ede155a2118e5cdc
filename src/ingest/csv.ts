/**
 * Streaming CSV with a header row, on csv-parse. A row with the wrong number of fields becomes a
 * refused row with its line number; a broken quote is fatal, because csv-parse cannot find the
 * start of the next record after one and would silently swallow the rest of the file.
 */
import { pipeline } from 'node:stream'
import { Parser } from 'csv-parse'
import type { CsvError, Info, Options } from 'csv-parse'
import type { Input } from './input.js'
import type { SourceRow } from './rows.js'

export type CsvRecord = Record<string, string>

export interface ReadCsvOptions {
  /** Columns the header must contain (in any order; extra columns are allowed and kept). */
  columns: readonly string[]
  /** Names the file in errors; defaults to the input path. */
  name?: string
  /** One record larger than this is fatal; it bounds memory when a quote is never closed. */
  maxRecordBytes?: number
}

export class CsvFormatError extends Error {
  constructor(
    message: string,
    readonly lineNumber: number | undefined
  ) {
    super(message)
    this.name = 'CsvFormatError'
  }
}

// Errors after which csv-parse has lost track of where records start.
const FATAL_CODES = new Set(['CSV_INVALID_CLOSING_QUOTE', 'CSV_QUOTE_NOT_CLOSED', 'CSV_MAX_RECORD_SIZE'])

const NONE: Pending[] = []

type Pending = { lineNumber: number; fields: unknown; reason: string } | { fatal: CsvFormatError }

interface Tagged {
  record: CsvRecord
  lineNumber: number
  /** Refused rows that came before this record. */
  before: Pending[]
}

/**
 * Hands every record to `tag` together with the parser's position at the moment the record is
 * emitted. csv-parse can pass the same numbers to an on_record callback, but it builds a fresh
 * context object for every record to do so, which makes parsing 2–3 times slower; its `info` is
 * one live object, read here instead.
 */
class LineTrackingParser extends Parser {
  constructor(
    options: Options,
    private readonly tag: (record: CsvRecord, info: Info) => Tagged | undefined
  ) {
    super(options)
  }

  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    if (chunk === null) return super.push(null, encoding)
    const tagged = this.tag(chunk as CsvRecord, this.info)
    return tagged === undefined ? true : super.push(tagged, encoding)
  }
}

export async function* readCsv(
  source: Input | AsyncIterable<Buffer | string>,
  options: ReadCsvOptions
): AsyncGenerator<SourceRow<CsvRecord>> {
  const name = options.name ?? ('path' in source ? source.path : 'CSV input')
  const expected = options.columns
  let columnCount = 0
  // Refused rows are reported in file order by riding along with the next good record.
  let pending: Pending[] = []
  // Line bookkeeping: csv-parse reports where a record ends; rows start after the previous one.
  let previousEnd = 1
  let previousEmpty = 0
  // csv-parse counts a CRLF inside a quoted field as two lines; undo that.
  let overcount = 0

  const parserOptions: Options = {
    bom: true,
    columns: (header: string[]) => {
      const missing = expected.filter((column) => !header.includes(column))
      if (missing.length > 0) {
        throw new CsvFormatError(
          `${name}: header is missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ` +
            `(expected ${expected.join(',')}, found ${header.join(',')})`,
          1
        )
      }
      columnCount = header.length
      return header
    },
    relax_column_count: false,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: options.maxRecordBytes ?? 16 * 1024 * 1024,
    on_skip: (error: CsvError | undefined) => {
      if (!error) return
      const lines = Number(error['lines'] ?? previousEnd + 1)
      // After a stray quote csv-parse may report the rest of the same line again: one reject a line.
      if (lines - overcount <= previousEnd) return
      const empty = Number(error['empty_lines'] ?? previousEmpty)
      const lineNumber = previousEnd + 1 + (empty - previousEmpty)
      previousEnd = lines - overcount
      previousEmpty = empty
      if (FATAL_CODES.has(error.code)) {
        pending.push({
          fatal: new CsvFormatError(
            `${name} line ${lineNumber}: ${error.message}; cannot read further`,
            lineNumber
          )
        })
        return
      }
      const fields = error['record']
      const got = Array.isArray(fields) ? fields.length : undefined
      const reason =
        error.code === 'CSV_RECORD_INCONSISTENT_COLUMNS' ||
        error.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH'
          ? `expected ${columnCount} fields (${expected.join(',')}), got ${got ?? 'a different number'}`
          : error.code === 'INVALID_OPENING_QUOTE'
            ? 'a quote inside a field that does not start with one'
            : error.message
      pending.push({ lineNumber, fields, reason })
    }
  }
  const parser = new LineTrackingParser(parserOptions, (record, info) => {
    // The remains of a line already refused are not a record.
    if (info.lines - overcount <= previousEnd) return undefined
    // Only a quoted field can hold a line break; the cheap test spares the others the split.
    for (const key in record) {
      const value = record[key] as string
      if (value.length > 1 && value.includes('\r\n')) overcount += value.split('\r\n').length - 1
    }
    const lineNumber = previousEnd + 1 + (info.empty_lines - previousEmpty)
    previousEnd = info.lines - overcount
    previousEmpty = info.empty_lines
    const before = pending.length === 0 ? NONE : pending
    if (pending.length > 0) pending = []
    return { record, lineNumber, before }
  })

  const stream: AsyncIterable<Buffer | string> = 'bytesRead' in source ? source.stream : source
  // A read error surfaces on the parser, where the loop below sees it.
  pipeline(stream, parser, () => undefined)

  function* release(items: Pending[]): Generator<SourceRow<CsvRecord>> {
    for (const item of items) {
      if ('fatal' in item) throw item.fatal
      yield { ok: false, lineNumber: item.lineNumber, raw: item.fields, reason: item.reason }
    }
  }

  try {
    for await (const tagged of parser as AsyncIterable<Tagged>) {
      if (tagged.before.length > 0) yield* release(tagged.before)
      yield { ok: true, lineNumber: tagged.lineNumber, raw: tagged.record }
    }
    yield* release(pending)
  } finally {
    parser.destroy()
  }
}
