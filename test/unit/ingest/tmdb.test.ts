import { describe, it, expect } from 'vitest'
import { openInput, readLines } from '../../../src/ingest/input.js'
import { lineRows, parseRows } from '../../../src/ingest/rows.js'
import { parseTmdbLine, parseTmdbMovie, tmdbMovieId } from '../../../src/ingest/tmdb.js'
import { collect, fixture, memoryRejects } from './helpers.js'

const minimal = { id: 27205, title: 'Inception' }

function reason(details: Record<string, unknown>): string | undefined {
  const result = parseTmdbMovie(details)
  return result.ok ? undefined : result.reason
}

describe('parseTmdbMovie', () => {
  it('fills what the API may leave out', () => {
    expect(parseTmdbMovie(minimal)).toEqual({
      ok: true,
      value: {
        movie: {
          tmdb_id: 27205,
          imdb_id: null,
          title: 'Inception',
          original_title: 'Inception',
          overview: null,
          release_date: null,
          year: null,
          runtime: null,
          genres: [],
          popularity: null,
          vote_average: null,
          vote_count: null,
          original_language: null,
          poster_path: null
        },
        genre_ids: [],
        collection: null,
        similar: [],
        recommended: []
      }
    })
  })

  it("keeps TMDB's genre ids beside the names, each genre once", () => {
    const result = parseTmdbMovie({
      ...minimal,
      genres: [
        { id: 28, name: 'Action' },
        { name: 'Heist' },
        { id: 878, name: 'Science Fiction' },
        { id: 28, name: 'Action' }
      ]
    })
    expect(result.ok && [result.value.movie.genres, result.value.genre_ids]).toEqual([
      ['Action', 'Heist', 'Science Fiction'],
      [
        { name: 'Action', tmdb_genre_id: 28 },
        { name: 'Science Fiction', tmdb_genre_id: 878 }
      ]
    ])
  })

  it("reads TMDB's empty values as unknown: '' dates and overviews, runtime 0", () => {
    const result = parseTmdbMovie({ ...minimal, release_date: '', overview: '', runtime: 0 })
    expect(result.ok && result.value.movie).toMatchObject({
      release_date: null,
      year: null,
      overview: null,
      runtime: null
    })
  })

  it('lists similar and recommended ids once each, in order, without the movie itself', () => {
    const result = parseTmdbMovie({
      ...minimal,
      similar: { page: 1, results: [{ id: 155 }, { id: 27205 }, { id: 157336 }, { id: 155 }] },
      recommendations: { results: [] }
    })
    expect(result.ok && [result.value.similar, result.value.recommended]).toEqual([[155, 157336], []])
  })

  it.each([
    [{ id: undefined }, 'missing field id'],
    [{ id: '27205' }, 'id must be a positive integer, got "27205"'],
    [{ id: 1.5 }, 'id must be a positive integer, got 1.5'],
    [{ title: '' }, 'missing field title'],
    [{ title: 42 }, 'title must be a string, got 42'],
    [{ imdb_id: 'nm0000001' }, 'imdb_id must look like tt0114709, got "nm0000001"'],
    [{ release_date: '2010-07' }, 'release_date must be YYYY-MM-DD, got "2010-07"'],
    [{ release_date: '2010-02-30' }, 'release_date 2010-02-30 is not a calendar date'],
    [{ runtime: 'two hours' }, 'runtime must be a number, got "two hours"'],
    [{ runtime: 148.5 }, 'runtime must be an integer, got 148.5'],
    [{ vote_average: 11.5 }, 'vote_average 11.5 is outside 0..10'],
    [{ popularity: -1 }, 'popularity -1 is outside 0..∞'],
    [{ original_language: 'English' }, 'original_language must be an ISO 639 code, got "English"'],
    [{ poster_path: 'poster.jpg' }, 'poster_path must start with /, got "poster.jpg"'],
    [{ genres: [{ id: 18 }] }, 'missing field genres[0].name'],
    [{ genres: [{ id: '18', name: 'Drama' }] }, 'genres[0].id must be a positive integer, got "18"'],
    [{ genres: [{ id: 0, name: 'Drama' }] }, 'genres[0].id must be a positive integer, got 0'],
    [{ genres: 'Drama' }, 'genres must be an array, got "Drama"'],
    [{ belongs_to_collection: { id: 263 } }, 'missing field belongs_to_collection.name'],
    [{ similar: { results: [{ id: 'x' }] } }, 'similar.results[0].id must be a positive integer, got "x"'],
    [{ recommendations: [1, 2] }, 'recommendations must be an object with results, got [1,2]']
  ])('refuses %j', (change, expected) => {
    expect(reason({ ...minimal, ...change })).toBe(expected)
  })

  it('reports broken JSON with the engine message', () => {
    expect(parseTmdbLine('{"id":550,"title":"Fight Club",')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^invalid JSON: /)
    })
    expect(parseTmdbLine('[1,2]')).toEqual({ ok: false, reason: 'expected a JSON object, got an array' })
  })

  it('names movies first seen in TMDB tmdb-<id>', () => {
    expect(tmdbMovieId(862)).toBe('tmdb-862')
  })
})

describe('tmdb.jsonl fixture', () => {
  it('parses the good lines and refuses each bad one on its line', async () => {
    const rejects = memoryRejects()
    const input = await openInput(fixture('tmdb.jsonl'))
    const good = await collect(parseRows(lineRows(readLines(input)), parseTmdbLine, rejects))
    expect(
      rejects.rejected.map(({ line, reason }) => [line, reason.replace(/^(invalid JSON): .*/, '$1')])
    ).toEqual([
      [7, 'invalid JSON'],
      [8, 'missing field title'],
      [9, 'runtime must be a number, got "one hundred and four"'],
      [10, 'release_date 1995-02-30 is not a calendar date'],
      [11, 'id must be a positive integer, got "9087"']
    ])
    // Line 4 is blank: skipped, not refused. Line 12 repeats Toy Story; batching deals with that.
    expect(good.map((row) => [row.lineNumber, row.value.movie.tmdb_id])).toEqual([
      [1, 862],
      [2, 27205],
      [3, 194],
      [5, 129],
      [6, 49026],
      [12, 862]
    ])
    const [toyStory, , amelie, spiritedAway, darkKnightRises] = good.map((row) => row.value)
    expect(toyStory?.collection).toEqual({ tmdb_id: 10194, name: 'Toy Story Collection' })
    expect(toyStory?.similar).toEqual([863, 10193, 585])
    expect(toyStory?.movie).toMatchObject({
      imdb_id: 'tt0114709',
      year: 1995,
      runtime: 81,
      genres: ['Animation', 'Adventure', 'Family', 'Comedy']
    })
    expect(amelie?.movie).toMatchObject({
      title: 'Amélie',
      original_title: "Le Fabuleux Destin d'Amélie Poulain",
      original_language: 'fr'
    })
    expect(spiritedAway?.movie.original_title).toBe('千と千尋の神隠し')
    expect(spiritedAway?.similar).toEqual([4935, 128])
    expect(darkKnightRises?.recommended).toEqual([155, 272, 27205])
  })
})
