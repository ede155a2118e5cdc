import { describe, it, expect } from 'vitest'
import { openInput } from '../../../src/ingest/input.js'
import {
  imdbIdFromDigits,
  matchThroughLinks,
  movieLensMovieId,
  parseGenres,
  parseMovieLensLink,
  parseMovieLensMovie,
  parseMovieLensRating,
  parseMovieLensTag,
  readMovieLens,
  splitTitleYear
} from '../../../src/ingest/movielens.js'
import type { MovieLensFile } from '../../../src/ingest/movielens.js'
import { parseRows } from '../../../src/ingest/rows.js'
import type { CsvRecord } from '../../../src/ingest/csv.js'
import type { ParseResult } from '../../../src/ingest/fields.js'
import { collect, fixture, memoryRejects } from './helpers.js'

async function parseFixture<T>(file: MovieLensFile, parse: (record: CsvRecord) => ParseResult<T>) {
  const rejects = memoryRejects()
  const input = await openInput(fixture(`movielens/${file}.csv`))
  const good = await collect(parseRows(readMovieLens(input, file), parse, rejects))
  return { good, rejected: rejects.rejected.map(({ line, reason }) => [line, reason]) }
}

describe('splitTitleYear', () => {
  it.each([
    ['Toy Story (1995)', 'Toy Story', 1995],
    ['Seven (a.k.a. Se7en) (1995)', 'Seven (a.k.a. Se7en)', 1995],
    [
      'City of Lost Children, The (Cité des enfants perdus, La) (1995)',
      'City of Lost Children, The (Cité des enfants perdus, La)',
      1995
    ],
    ['1984 (1984)', '1984', 1984],
    ['(500) Days of Summer (2009)', '(500) Days of Summer', 2009],
    ['Babylon 5', 'Babylon 5', null],
    ['Fawlty Towers (1975-1979)', 'Fawlty Towers', 1975],
    ['Death Note: Desu nôto (2006–2007)', 'Death Note: Desu nôto', 2006],
    ['Nocturnal Animals (2016) ', 'Nocturnal Animals', 2016],
    ['In the Year (2525)', 'In the Year (2525)', null],
    ['(1995)', '(1995)', null]
  ])('%j', (text, title, year) => {
    expect(splitTitleYear(text)).toEqual({ title, year })
  })
})

describe('parseMovieLensMovie', () => {
  it('splits year and genres', () => {
    expect(
      parseMovieLensMovie({ movieId: '47', title: 'Seven (a.k.a. Se7en) (1995)', genres: 'Mystery|Thriller' })
    ).toEqual({
      ok: true,
      value: {
        movielens_id: 47,
        title: 'Seven',
        original_title: null,
        aka_titles: ['Se7en'],
        ml_title: 'Seven (a.k.a. Se7en) (1995)',
        year: 1995,
        genres: ['Mystery', 'Thriller']
      }
    })
  })

  it('reads "(no genres listed)" as none and drops empty or repeated genres', () => {
    expect(parseGenres('(no genres listed)')).toEqual([])
    expect(parseGenres('Drama||Drama| Comedy ')).toEqual(['Drama', 'Comedy'])
  })

  it.each([
    [{ movieId: '', title: 'A (1995)', genres: 'Drama' }, 'missing field movieId'],
    [{ title: 'A (1995)', genres: 'Drama' }, 'missing field movieId'],
    [{ movieId: '1', title: '  ', genres: 'Drama' }, 'missing field title'],
    [{ movieId: '1', title: 'A', genres: '' }, 'missing field genres'],
    [{ movieId: 'abc', title: 'A', genres: 'Drama' }, 'movieId must be an integer, got "abc"'],
    [{ movieId: '1.5', title: 'A', genres: 'Drama' }, 'movieId must be an integer, got "1.5"'],
    [{ movieId: '0', title: 'A', genres: 'Drama' }, 'movieId must be at least 1, got 0'],
    [
      { movieId: '99999999999999999999', title: 'A', genres: 'Drama' },
      'movieId 99999999999999999999 is too large'
    ]
  ])('refuses %j', (record, reason) => {
    expect(parseMovieLensMovie(record as Record<string, string>)).toEqual({ ok: false, reason })
  })
})

describe('parseMovieLensRating', () => {
  it('keeps the original score and scale and puts it on 0–10', () => {
    expect(
      parseMovieLensRating({ userId: '1', movieId: '47', rating: '3.5', timestamp: '964983815' })
    ).toEqual({
      ok: true,
      value: {
        rating_id: 'ml-1-47',
        user_id: 'ml-1',
        movielens_id: 47,
        original_score: 3.5,
        original_scale: { min: 0.5, max: 5 },
        score: 7,
        rated_at: '2000-07-30T19:03:35.000Z'
      }
    })
  })

  it('accepts both ends of the scale', () => {
    for (const [rating, score] of [
      ['0.5', 1],
      ['5', 10],
      ['5.0', 10]
    ] as const) {
      const result = parseMovieLensRating({ userId: '1', movieId: '1', rating, timestamp: '0' })
      expect(result.ok && result.value.score).toBe(score)
    }
  })

  it.each([
    [{ rating: '7' }, 'rating 7 is outside 0.5..5'],
    [{ rating: '0' }, 'rating 0 is outside 0.5..5'],
    [{ rating: '-1' }, 'rating -1 is outside 0.5..5'],
    [{ rating: '3.7' }, 'rating 3.7 is not a multiple of 0.5'],
    [{ rating: 'four' }, 'rating must be a number, got "four"'],
    [{ rating: 'NaN' }, 'rating must be a number, got "NaN"'],
    [{ rating: '' }, 'missing field rating'],
    [{ timestamp: 'yesterday' }, 'timestamp must be an integer, got "yesterday"'],
    [{ timestamp: '1.5e9' }, 'timestamp must be an integer, got "1.5e9"'],
    [{ timestamp: '-5' }, 'timestamp must be at least 0, got -5'],
    [{ timestamp: '999999999999' }, 'timestamp 999999999999 is after the year 9999'],
    [{ userId: 'u1' }, 'userId must be an integer, got "u1"'],
    [{ movieId: '' }, 'missing field movieId']
  ])('refuses %j', (change, reason) => {
    const record = { userId: '1', movieId: '1', rating: '4.0', timestamp: '964982703', ...change }
    expect(parseMovieLensRating(record)).toEqual({ ok: false, reason })
  })
})

describe('links', () => {
  it('renders imdb ids as tt and seven digits at least', () => {
    expect(imdbIdFromDigits('114709')).toEqual({ ok: true, value: 'tt0114709' })
    expect(imdbIdFromDigits('0114709')).toEqual({ ok: true, value: 'tt0114709' })
    expect(imdbIdFromDigits('tt0114709')).toEqual({ ok: true, value: 'tt0114709' })
    expect(imdbIdFromDigits('10872600')).toEqual({ ok: true, value: 'tt10872600' })
    expect(imdbIdFromDigits('0000000')).toEqual({ ok: false, reason: 'imdbId must not be zero' })
    expect(imdbIdFromDigits('12a')).toEqual({ ok: false, reason: 'imdbId must be digits, got "12a"' })
  })

  it('allows an empty tmdbId', () => {
    expect(parseMovieLensLink({ movieId: '114335', imdbId: '0050261', tmdbId: '' })).toEqual({
      ok: true,
      value: { movielens_id: 114335, imdb_id: 'tt0050261', tmdb_id: null }
    })
    expect(parseMovieLensLink({ movieId: '1', imdbId: '0114709', tmdbId: 'abc' })).toEqual({
      ok: false,
      reason: 'tmdbId must be an integer, got "abc"'
    })
  })

  it('derives movie_id: the matched one, else ml-<movieId>', () => {
    expect(movieLensMovieId(1)).toBe('ml-1')
    const links = [
      { movielens_id: 1, imdb_id: 'tt0114709', tmdb_id: 862 },
      { movielens_id: 2, imdb_id: 'tt0113497', tmdb_id: 8844 },
      { movielens_id: 3, imdb_id: 'tt0113228', tmdb_id: null }
    ]
    const everyTmdb = matchThroughLinks(links)
    expect([1, 2, 3, 4].map((id) => movieLensMovieId(id, everyTmdb))).toEqual([
      'tmdb-862',
      'tmdb-8844',
      'ml-3',
      'ml-4'
    ])
    const held = new Map([[862, 'tmdb-862']])
    const onlyHeld = matchThroughLinks(links, (tmdbId) => held.get(tmdbId))
    expect([1, 2].map((id) => movieLensMovieId(id, onlyHeld))).toEqual(['tmdb-862', 'ml-2'])
  })
})

describe('parseMovieLensTag', () => {
  it('keeps the tag as written, trimmed', () => {
    expect(
      parseMovieLensTag({ userId: '62', movieId: '5618', tag: ' 宮崎駿 ', timestamp: '1528152550' })
    ).toEqual({
      ok: true,
      value: { user_id: 'ml-62', movielens_id: 5618, tag: '宮崎駿', tagged_at: '2018-06-04T22:49:10.000Z' }
    })
  })
})

describe('MovieLens fixtures', () => {
  it('movies.csv (BOM, CRLF, no final newline): good rows, and each bad row on its line', async () => {
    const { good, rejected } = await parseFixture('movies', parseMovieLensMovie)
    expect(rejected).toEqual([
      [7, 'movieId must be an integer, got "abc"'],
      [13, 'missing field title'],
      [14, 'expected 3 fields (movieId,title,genres), got 2']
    ])
    expect(good.map((row) => row.lineNumber)).toEqual([2, 3, 4, 5, 6, 8, 9, 10, 11, 15, 16, 17, 18])
    const byId = new Map(good.map((row) => [row.value.movielens_id, row.value]))
    expect(byId.get(11)).toEqual({
      movielens_id: 11,
      title: 'The American President',
      original_title: null,
      aka_titles: [],
      ml_title: 'American President, The (1995)',
      year: 1995,
      genres: ['Comedy', 'Drama', 'Romance']
    })
    expect(byId.get(29)).toMatchObject({
      title: 'The City of Lost Children',
      original_title: 'La Cité des enfants perdus'
    })
    expect(byId.get(4973)).toMatchObject({
      title: 'Amelie',
      original_title: "Le Fabuleux destin d'Amélie Poulain"
    })
    expect(byId.get(5618)).toMatchObject({
      title: 'Spirited Away',
      original_title: '千と千尋の神隠し',
      year: 2001
    })
    expect(byId.get(114335)?.genres).toEqual([])
    expect(byId.get(40697)).toMatchObject({ title: 'Babylon 5', year: null })
    expect(byId.get(91529)).toMatchObject({
      title: 'The Dark Knight Rises',
      year: 2012,
      genres: ['Action', 'Adventure', 'Crime', 'IMAX']
    })
  })

  it('ratings.csv', async () => {
    const { good, rejected } = await parseFixture('ratings', parseMovieLensRating)
    expect(rejected).toEqual([
      [7, 'rating 7 is outside 0.5..5'],
      [8, 'rating 3.7 is not a multiple of 0.5'],
      [9, 'missing field rating'],
      [10, 'rating must be a number, got "four"'],
      [11, 'expected 4 fields (userId,movieId,rating,timestamp), got 3'],
      [12, 'timestamp must be an integer, got "yesterday"']
    ])
    expect(good.map((row) => [row.lineNumber, row.value.rating_id, row.value.score])).toEqual([
      [2, 'ml-1-1', 8],
      [3, 'ml-1-47', 10],
      [4, 'ml-1-2959', 10],
      [5, 'ml-2-79132', 8],
      [6, 'ml-3-5618', 1],
      [13, 'ml-1-1', 7],
      [14, 'ml-10-4973', 9]
    ])
  })

  it('links.csv', async () => {
    const { good, rejected } = await parseFixture('links', parseMovieLensLink)
    expect(rejected).toEqual([
      [13, 'expected 3 fields (movieId,imdbId,tmdbId), got 2'],
      [14, 'missing field imdbId'],
      [15, 'imdbId must be digits, got "tt0112715x"'],
      [16, 'tmdbId must be an integer, got "abc"']
    ])
    expect(good).toHaveLength(11)
    expect(good.find((row) => row.value.movielens_id === 79132)?.value).toEqual({
      movielens_id: 79132,
      imdb_id: 'tt1375666',
      tmdb_id: 27205
    })
  })

  it('tags.csv', async () => {
    const { good, rejected } = await parseFixture('tags', parseMovieLensTag)
    expect(rejected).toEqual([
      [7, 'missing field tag'],
      [8, 'timestamp must be an integer, got "soon"'],
      [9, 'expected 4 fields (userId,movieId,tag,timestamp), got 3']
    ])
    expect(good.map((row) => row.value.tag)).toEqual([
      'dreamlike',
      'mind-bending, clever',
      'Paris',
      '宮崎駿',
      'Studio Ghibli'
    ])
  })
})
