import { describe, it, expect } from 'vitest'
import { batches, compareKeys, duplicateKeyReason, rejectDuplicates } from '../../../src/ingest/batch.js'
import type { BatchKey } from '../../../src/ingest/batch.js'
import type { Located } from '../../../src/ingest/rows.js'
import { collect, memoryRejects } from './helpers.js'

interface Row {
  key: string
  n: number
}

const rows = (keys: string): Row[] => keys.split('').map((key, n) => ({ key, n }))

describe('batches', () => {
  it('cuts the input into batches of N rows, each sorted by key', async () => {
    const out = await collect(batches(rows('dcbagfe'), { size: 3, key: (row) => row.key }))
    expect(out.map((batch) => batch.map((row) => row.key).join(''))).toEqual(['bcd', 'afg', 'e'])
  })

  it('keeps the last row of a key by default, reporting the earlier one', async () => {
    const dropped: Array<[number, number, BatchKey]> = []
    const out = await collect(
      batches(rows('abab'), {
        size: 10,
        key: (row) => row.key,
        onDuplicate: (d, k, key) => void dropped.push([d.n, k.n, key])
      })
    )
    expect(out).toEqual([
      [
        { key: 'a', n: 2 },
        { key: 'b', n: 3 }
      ]
    ])
    expect(dropped).toEqual([
      [0, 2, 'a'],
      [1, 3, 'b']
    ])
  })

  it('can keep the first row instead', async () => {
    const dropped: number[] = []
    const out = await collect(
      batches(rows('aab'), {
        size: 10,
        key: (row) => row.key,
        duplicates: 'keep-first',
        onDuplicate: (d) => void dropped.push(d.n)
      })
    )
    expect(out[0]?.map((row) => row.n)).toEqual([0, 2])
    expect(dropped).toEqual([1])
  })

  it('only removes duplicates inside one batch: applying the batches in order still ends on the last row', async () => {
    const out = await collect(batches(rows('aaa'), { size: 2, key: (row) => row.key }))
    expect(out).toEqual([[{ key: 'a', n: 1 }], [{ key: 'a', n: 2 }]])
  })

  it('sorts numbers by value, before strings, and strings by code unit rather than locale', () => {
    const keys: BatchKey[] = ['b', 10, 'B', 9, 'é', 'e']
    expect(keys.sort(compareKeys)).toEqual([9, 10, 'B', 'b', 'e', 'é'])
  })

  it('sends a dropped row to the rejects with its line and the line kept', async () => {
    const rejects = memoryRejects()
    const located: Array<Located<{ id: string }>> = [
      { lineNumber: 2, value: { id: 'ml-1-1' }, raw: { userId: '1', movieId: '1', rating: '4.0' } },
      { lineNumber: 13, value: { id: 'ml-1-1' }, raw: { userId: '1', movieId: '1', rating: '3.5' } }
    ]
    const out = await collect(
      batches(located, { size: 100, key: (row) => row.value.id, onDuplicate: rejectDuplicates(rejects) })
    )
    expect(out[0]?.map((row) => row.lineNumber)).toEqual([13])
    expect(rejects.rejected).toEqual([
      {
        line: 2,
        row: { userId: '1', movieId: '1', rating: '4.0' },
        reason: 'duplicate key ml-1-1 inside one batch (line 13 kept)'
      }
    ])
    expect(duplicateKeyReason(7)).toBe('duplicate key 7 inside one batch')
  })

  it('yields nothing for no input and refuses a bad size', async () => {
    expect(await collect(batches([], { size: 3, key: () => 1 }))).toEqual([])
    await expect(collect(batches([1], { size: 0, key: () => 1 }))).rejects.toThrow(
      'batch size must be a positive integer'
    )
  })
})
