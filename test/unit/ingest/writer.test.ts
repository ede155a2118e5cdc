import { describe, expect, it } from 'vitest'
import {
  KeyConflictError,
  batchSizeOf,
  chunks,
  concurrencyOf,
  pipeline,
  rejectsFileFor,
  summarize,
  writeOrSplit
} from '../../../src/ingest/writer.js'
import type { FileSummary } from '../../../src/ingest/writer.js'

async function* from<T>(items: T[]): AsyncGenerator<T> {
  for (const item of items) yield item
}

const tick = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms))

describe('pipeline', () => {
  it('keeps at most `concurrency` batches in flight and writes every batch', async () => {
    let inFlight = 0
    let most = 0
    const written: number[] = []
    await pipeline(
      from([[1], [2], [3], [4], [5]]),
      async ([n]) => {
        inFlight++
        most = Math.max(most, inFlight)
        await tick(5)
        written.push(n as number)
        inFlight--
      },
      { concurrency: 2 }
    )
    expect(most).toBe(2)
    expect(written.sort()).toEqual([1, 2, 3, 4, 5])
  })

  it('starts a batch that shares a key with one in flight only after that one is done', async () => {
    const events: string[] = []
    await pipeline(
      from([
        ['a', 'b'],
        ['c', 'd'],
        ['b', 'e']
      ]),
      async (batch) => {
        events.push(`start ${batch.join('')}`)
        await tick(batch[0] === 'a' ? 30 : 1)
        events.push(`end ${batch.join('')}`)
      },
      { concurrency: 3, keys: (batch) => batch }
    )
    expect(events.indexOf('start be')).toBeGreaterThan(events.indexOf('end ab'))
    expect(events.indexOf('start cd')).toBeLessThan(events.indexOf('end ab'))
  })

  it('stops reading after a failed batch and rethrows its error', async () => {
    let read = 0
    async function* source(): AsyncGenerator<number> {
      for (let n = 0; n < 100; n++) {
        read++
        yield n
      }
    }
    await expect(
      pipeline(source(), async (n) => {
        await tick(1)
        if (n === 1) throw new Error('boom')
      })
    ).rejects.toThrow('boom')
    expect(read).toBeLessThan(5)
  })
})

describe('writeOrSplit', () => {
  it('halves a refused batch until only the rows at fault are left, and writes the others', async () => {
    const written: number[] = []
    const refused: Array<[number, string]> = []
    await writeOrSplit(
      [1, 2, 3, 4, 5, 6, 7],
      async (rows) => {
        if (rows.includes(3) || rows.includes(6)) throw new KeyConflictError('Node already exists')
        written.push(...rows)
      },
      async (row, reason) => {
        refused.push([row, reason])
      }
    )
    expect(written.sort()).toEqual([1, 2, 4, 5, 7])
    expect(refused).toEqual([
      [3, 'conflicts with an existing record: Node already exists'],
      [6, 'conflicts with an existing record: Node already exists']
    ])
  })

  it('lets any other error through', async () => {
    await expect(
      writeOrSplit(
        [1, 2],
        async () => {
          throw new Error('database down')
        },
        async () => undefined
      )
    ).rejects.toThrow('database down')
  })
})

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

  it('splits a list into chunks', () => {
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]])
  })
})
