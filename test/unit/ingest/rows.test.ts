import { describe, it, expect } from 'vitest'
import { fail, ok } from '../../../src/ingest/fields.js'
import { lineRows, parseRows } from '../../../src/ingest/rows.js'
import type { SourceRow } from '../../../src/ingest/rows.js'
import { Progress } from '../../../src/ingest/progress.js'
import { collect, memoryRejects } from './helpers.js'

async function* from<T>(items: T[]): AsyncGenerator<T> {
  yield* items
}

describe('parseRows', () => {
  it('yields parsed values with their lines and sends the rest to the rejects, counting both', async () => {
    const rows: Array<SourceRow<string>> = [
      { ok: true, lineNumber: 2, raw: '4' },
      { ok: true, lineNumber: 3, raw: 'x' },
      { ok: false, lineNumber: 4, raw: ['a'], reason: 'expected 2 fields, got 1' },
      { ok: true, lineNumber: 5, raw: '6' }
    ]
    const rejects = memoryRejects()
    const progress = new Progress({ stream: { write: () => true }, now: () => 0 })
    const parse = (text: string) =>
      /^\d+$/.test(text) ? ok(Number(text)) : fail<number>(`not a number: ${text}`)
    expect(await collect(parseRows(from(rows), parse, rejects, progress))).toEqual([
      { lineNumber: 2, value: 4, raw: '4' },
      { lineNumber: 5, value: 6, raw: '6' }
    ])
    expect(rejects.rejected).toEqual([
      { line: 3, row: 'x', reason: 'not a number: x' },
      { line: 4, row: ['a'], reason: 'expected 2 fields, got 1' }
    ])
    expect(progress.counts).toMatchObject({ read: 4, rejected: 2 })
  })
})

describe('lineRows', () => {
  it('skips blank lines of a JSON-lines file', async () => {
    const lines = [
      { line: '{}', lineNumber: 1 },
      { line: '  ', lineNumber: 2 },
      { line: '[]', lineNumber: 3 }
    ]
    expect(await collect(lineRows(from(lines)))).toEqual([
      { ok: true, lineNumber: 1, raw: '{}' },
      { ok: true, lineNumber: 3, raw: '[]' }
    ])
  })
})
