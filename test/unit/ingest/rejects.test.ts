import { describe, it, expect } from 'vitest'
import { access, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { OTHER_REASONS, RejectsWriter, reasonKind, rejectsPathFor } from '../../../src/ingest/rejects.js'
import { useTempDirs } from './helpers.js'

const tempDir = useTempDirs()

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false
  )
}

async function jsonLines(path: string): Promise<unknown[]> {
  return (await readFile(path, 'utf8'))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as unknown)
}

describe('rejectsPathFor', () => {
  it('puts the file beside the input, and needs a path for stdin', () => {
    expect(rejectsPathFor('/data/ratings.csv.gz')).toBe('/data/ratings.csv.gz.rejects.jsonl')
    expect(rejectsPathFor('-', '/tmp/stdin.rejects.jsonl')).toBe('/tmp/stdin.rejects.jsonl')
    expect(() => rejectsPathFor('-')).toThrow('reading from stdin needs a path for the rejects file')
  })
})

describe('reasonKind', () => {
  it('counts reasons that differ only in their values together', () => {
    expect(reasonKind('rating 7 is outside 0.5..5')).toBe(reasonKind('rating 12 is outside 0.5..5'))
    expect(reasonKind('invalid JSON: Unexpected token } in JSON at position 57')).toBe('invalid JSON')
    expect(reasonKind('movieId must be an integer, got "abc"')).toBe('movieId must be an integer, got "…"')
    expect(reasonKind('missing field movieId')).toBe('missing field movieId')
  })
})

describe('RejectsWriter', () => {
  it('creates no file when nothing is rejected', async () => {
    const input = join(await tempDir(), 'ratings.csv')
    const rejects = RejectsWriter.forInput(input)
    await rejects.close()
    expect(rejects.created).toBe(false)
    expect(await exists(`${input}.rejects.jsonl`)).toBe(false)
  })

  it('writes one JSON object per reject, raw lines and CSV records alike, and counts per kind', async () => {
    const input = join(await tempDir(), 'ratings.csv')
    const rejects = RejectsWriter.forInput(input)
    await rejects.reject(
      7,
      { userId: '4', movieId: '1', rating: '7', timestamp: '964982703' },
      'rating 7 is outside 0.5..5'
    )
    await rejects.reject(
      9,
      '{"id":"1","text":"日本語',
      'invalid JSON: Unterminated string in JSON at position 22'
    )
    await rejects.reject(
      12,
      { userId: '5', movieId: '2', rating: '9', timestamp: '1' },
      'rating 9 is outside 0.5..5'
    )
    await rejects.reject(13, undefined, 'expected 4 fields')
    await rejects.close()
    expect(await jsonLines(`${input}.rejects.jsonl`)).toEqual([
      {
        line: 7,
        row: { userId: '4', movieId: '1', rating: '7', timestamp: '964982703' },
        reason: 'rating 7 is outside 0.5..5'
      },
      {
        line: 9,
        row: '{"id":"1","text":"日本語',
        reason: 'invalid JSON: Unterminated string in JSON at position 22'
      },
      {
        line: 12,
        row: { userId: '5', movieId: '2', rating: '9', timestamp: '1' },
        reason: 'rating 9 is outside 0.5..5'
      },
      { line: 13, row: null, reason: 'expected 4 fields' }
    ])
    expect(rejects.total).toBe(4)
    expect(rejects.counts()).toEqual([
      ['rating N is outside N..N', 2],
      ['expected N fields', 1],
      ['invalid JSON', 1]
    ])
  })

  it('replaces the file of an earlier run on the first reject', async () => {
    const path = join(await tempDir(), 'x.rejects.jsonl')
    await writeFile(path, '{"line":1,"row":"old","reason":"old"}\n')
    const rejects = new RejectsWriter(path)
    await rejects.reject(2, 'new', 'new')
    await rejects.close()
    expect(await jsonLines(path)).toEqual([{ line: 2, row: 'new', reason: 'new' }])
  })

  it('keeps memory flat for a file that is all rejects, and flushes everything on close', async () => {
    const path = join(await tempDir(), 'all.rejects.jsonl')
    const rejects = new RejectsWriter(path)
    const row = 'x'.repeat(500)
    for (let line = 1; line <= 20_000; line++) await rejects.reject(line, row, 'bad')
    await rejects.close()
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n')
    expect(lines).toHaveLength(20_000)
    expect(JSON.parse(lines[19_999] as string)).toEqual({ line: 20_000, row, reason: 'bad' })
  })

  it('caps the number of kinds it counts separately', async () => {
    const rejects = new RejectsWriter(join(await tempDir(), 'r.jsonl'), { maxDistinctReasons: 2 })
    for (const reason of ['a', 'b', 'c', 'd', 'a']) await rejects.reject(1, '', reason)
    await rejects.close()
    expect(rejects.counts()).toEqual([
      [OTHER_REASONS, 2],
      ['a', 2],
      ['b', 1]
    ])
  })

  it('reports a file it cannot write, and refuses rejects after close', async () => {
    const rejects = new RejectsWriter(join(await tempDir(), 'missing-dir', 'r.jsonl'))
    await rejects.reject(1, 'row', 'bad')
    await expect(rejects.close()).rejects.toThrow(/cannot write rejects file .*ENOENT/)
    const closed = new RejectsWriter(join(await tempDir(), 'r.jsonl'))
    await closed.close()
    await expect(closed.reject(1, 'row', 'bad')).rejects.toThrow('is already closed')
  })
})
