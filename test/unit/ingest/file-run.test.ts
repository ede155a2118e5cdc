import { describe, expect, it } from 'vitest'
import { batchSizeOf, concurrencyOf, rejectsFileFor, summarize } from '../../../src/ingest/file-run.js'
import type { FileSummary } from '../../../src/ingest/file-run.js'

describe('options and summaries', () => {
  it('checks batch size and concurrency', () => {
    expect(batchSizeOf({})).toBe(5000)
    expect(concurrencyOf({})).toBe(2)
    expect(() => batchSizeOf({ batchSize: 0 })).toThrow(/positive integer/)
    expect(() => concurrencyOf({ concurrency: 1.5 })).toThrow(/positive integer/)
  })

  it('puts rejects next to the input, in the working directory for stdin, or where asked', () => {
    expect(rejectsFileFor('/data/tweets.jsonl', 'tweets', {})).toBe('/data/tweets.jsonl.rejects.jsonl')
    expect(rejectsFileFor('-', 'tweets', {})).toBe('tweets-stdin.rejects.jsonl')
    expect(rejectsFileFor('-', 'tweets', { rejectsPath: '/tmp/r.jsonl' })).toBe('/tmp/r.jsonl')
    expect(rejectsFileFor('/data/ml/ratings.csv.gz', 'movielens', {})).toBe(
      '/data/ml/ratings.csv.gz.rejects.jsonl'
    )
    expect(rejectsFileFor('/data/ml/ratings.csv.gz', 'movielens', { rejectsPath: '/tmp/out' })).toBe(
      '/tmp/out/ratings.csv.gz.rejects.jsonl'
    )
  })

  it('adds up the files of a run', () => {
    const file = (read: number, created: number, rejected: number): FileSummary => ({
      file: 'x',
      read,
      created,
      updated: 0,
      unchanged: read - created - rejected,
      rejected,
      rejectsPath: null,
      elapsedMs: 10,
      rowsPerSecond: 0,
      databaseMs: 5
    })
    const summary = summarize([file(10, 8, 1), file(5, 5, 0)], performance.now())
    expect(summary).toMatchObject({ read: 15, created: 13, unchanged: 1, rejected: 1, updated: 0 })
    expect(summary.files).toHaveLength(2)
  })
})
