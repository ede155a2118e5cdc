import { Command } from 'commander'
import { describe, expect, it } from 'vitest'
import {
  IMPORT_EXIT_CODES,
  formatImportSummary,
  registerImportCommand
} from '../../../src/cli/import-command.js'
import type { Database } from '../../../src/db/database.js'
import type { ImportSummary } from '../../../src/ingest/file-run.js'

const file = {
  read: 1234,
  created: 1000,
  updated: 30,
  unchanged: 200,
  rejected: 4,
  elapsedMs: 2500,
  rowsPerSecond: 494,
  databaseMs: 2000
}

describe('cinegraph import', () => {
  it('documents its exit codes', () => {
    expect(IMPORT_EXIT_CODES).toEqual({ ok: 0, failed: 1, rejected: 2 })
  })

  it('prints one line per file, where its rejects went, and a total', () => {
    const summary: ImportSummary = {
      ...file,
      read: 2468,
      created: 2000,
      updated: 60,
      unchanged: 400,
      rejected: 8,
      elapsedMs: 5000,
      rowsPerSecond: 494,
      files: [
        { ...file, file: 'ml/movies.csv', rejectsPath: 'ml/movies.csv.rejects.jsonl' },
        { ...file, file: 'ml/ratings.csv', rejectsPath: null }
      ]
    }
    expect(formatImportSummary(summary)).toEqual([
      'ml/movies.csv: read 1,234, created 1,000, updated 30, unchanged 200, rejected 4 in 2.5s (494 rows/s)',
      '  rejected rows: ml/movies.csv.rejects.jsonl',
      'ml/ratings.csv: read 1,234, created 1,000, updated 30, unchanged 200, rejected 4 in 2.5s (494 rows/s)',
      'total: read 2,468, created 2,000, updated 60, unchanged 400, rejected 8 in 5.0s (494 rows/s)'
    ])
  })

  it('says what the TMDB links did', () => {
    const summary = {
      ...file,
      files: [{ ...file, file: 'tmdb.jsonl', rejectsPath: null }],
      links: { similar: 12, franchise: 3, pending: 2 }
    }
    expect(formatImportSummary(summary).at(-1)).toBe(
      'links: 12 SIMILAR_TO and 3 SAME_FRANCHISE edges written, 2 movies still name movies not loaded yet'
    )
  })

  it('refuses a batch size that is not a positive integer before connecting', async () => {
    let connected = false
    const program = new Command('cinegraph').exitOverride().configureOutput({ writeErr: () => undefined })
    registerImportCommand(program, async () => {
      connected = true
      return {} as Database
    })
    await expect(
      program.parseAsync(['import', 'tmdb', 'x.jsonl', '--batch-size', '0'], { from: 'user' })
    ).rejects.toThrow(/integer from 1 to 100000/)
    expect(connected).toBe(false)
  })
})
