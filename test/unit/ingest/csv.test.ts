import { describe, it, expect } from 'vitest'
import { Readable } from 'node:stream'
import { CsvFormatError, readCsv } from '../../../src/ingest/csv.js'
import { collect } from './helpers.js'

const columns = ['movieId', 'title', 'genres']

function rows(text: string, chunk = 65536): Promise<unknown[]> {
  const bytes = Buffer.from(text)
  const chunks: Buffer[] = []
  for (let i = 0; i < bytes.length; i += chunk) chunks.push(bytes.subarray(i, i + chunk))
  return collect(readCsv(Readable.from(chunks, { objectMode: false }), { columns, name: 'movies.csv' }))
}

describe('readCsv', () => {
  it('reads records by header, with quoted commas and doubled quotes, numbering source lines', async () => {
    expect(
      await rows(
        'movieId,title,genres\n1,"American President, The (1995)",Comedy\n2,"The ""Heist"" (2001)",Crime\n'
      )
    ).toEqual([
      {
        ok: true,
        lineNumber: 2,
        raw: { movieId: '1', title: 'American President, The (1995)', genres: 'Comedy' }
      },
      { ok: true, lineNumber: 3, raw: { movieId: '2', title: 'The "Heist" (2001)', genres: 'Crime' } }
    ])
  })

  it('refuses rows with too few or too many fields, in file order, and goes on', async () => {
    const text = 'movieId,title,genres\n1,A (1995),Drama\n2,B (1996)\n3,C,D,E\n4,F (1997),Comedy'
    expect(await rows(text)).toEqual([
      { ok: true, lineNumber: 2, raw: { movieId: '1', title: 'A (1995)', genres: 'Drama' } },
      {
        ok: false,
        lineNumber: 3,
        raw: ['2', 'B (1996)'],
        reason: 'expected 3 fields (movieId,title,genres), got 2'
      },
      {
        ok: false,
        lineNumber: 4,
        raw: ['3', 'C', 'D', 'E'],
        reason: 'expected 3 fields (movieId,title,genres), got 4'
      },
      { ok: true, lineNumber: 5, raw: { movieId: '4', title: 'F (1997)', genres: 'Comedy' } }
    ])
  })

  it('keeps line numbers right across blank lines, a BOM, CRLF and fields spanning lines', async () => {
    for (const eol of ['\n', '\r\n']) {
      const text = [
        '\ufeffmovieId,title,genres',
        '1,A,Drama',
        '',
        '',
        `2,"Two${eol}lines",Drama`,
        '3,C',
        '4,D,Drama'
      ].join(eol)
      const result = (await rows(text, 7)) as Array<{ lineNumber: number; ok: boolean }>
      expect(result.map((row) => [row.lineNumber, row.ok])).toEqual([
        [2, true],
        [5, true],
        [7, false],
        [8, true]
      ])
      expect(result[1]).toMatchObject({ raw: { title: `Two${eol}lines` } })
    }
  })

  it('accepts extra columns and any column order', async () => {
    expect(await rows('genres,extra,movieId,title\nDrama,x,1,A\n')).toEqual([
      { ok: true, lineNumber: 2, raw: { genres: 'Drama', extra: 'x', movieId: '1', title: 'A' } }
    ])
  })

  it('fails when the header lacks a column', async () => {
    await expect(rows('movieId,name\n1,A\n')).rejects.toThrow(
      'movies.csv: header is missing columns title, genres (expected movieId,title,genres, found movieId,name)'
    )
  })

  it('stops at a broken quote, naming its line, rather than lose the rows after it', async () => {
    const error = await rows('movieId,title,genres\n1,A,Drama\n2,"B"x,Drama\n3,C,Drama\n').catch(
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(CsvFormatError)
    expect((error as CsvFormatError).lineNumber).toBe(3)
    expect((error as Error).message).toMatch(/^movies\.csv line 3: .*cannot read further$/)
  })

  it('refuses a line with a stray quote once, and reads on from the next line', async () => {
    const text = 'movieId,title,genres\n1,A,Drama\n2,The "Big" One,Drama\n3,x"y,5,6\n4,D,Drama\n'
    expect(await rows(text)).toEqual([
      { ok: true, lineNumber: 2, raw: { movieId: '1', title: 'A', genres: 'Drama' } },
      {
        ok: false,
        lineNumber: 3,
        raw: undefined,
        reason: 'a quote inside a field that does not start with one'
      },
      {
        ok: false,
        lineNumber: 4,
        raw: undefined,
        reason: 'a quote inside a field that does not start with one'
      },
      { ok: true, lineNumber: 5, raw: { movieId: '4', title: 'D', genres: 'Drama' } }
    ])
  })

  it('stops at a quote that is never closed', async () => {
    await expect(rows('movieId,title,genres\n1,"A,Drama\n2,B,Drama\n')).rejects.toThrow(CsvFormatError)
  })

  it('reads nothing but the header without complaint', async () => {
    expect(await rows('movieId,title,genres\n')).toEqual([])
  })
})
