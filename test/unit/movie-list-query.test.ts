import { describe, expect, it } from 'vitest'
import { listMoviesQuery } from '../../src/data/movies/queries.js'
import type { ListMoviesShape } from '../../src/data/movies/queries.js'
import { MOVIE_SORTS } from '../../src/schemas/movie.js'

const base: ListMoviesShape = {
  sort: 'title',
  order: 'asc',
  genre: false,
  yearFrom: false,
  yearTo: false,
  minRating: false,
  titlePrefix: false,
  after: null
}

describe('listMoviesQuery', () => {
  it('puts rows without a sort value last in both orders, tie-broken by movie_id', () => {
    for (const sort of MOVIE_SORTS) {
      for (const order of ['asc', 'desc'] as const) {
        const text = listMoviesQuery({ ...base, sort, order })
        const dir = order.toUpperCase()
        expect(text).toMatch(new RegExp(`ORDER BY (\\S+) IS NULL, \\1 ${dir}, m\\.movie_id ${dir}`))
      }
    }
  })

  it('starts from the genre when one is given and adds only the filters asked for', () => {
    const plain = listMoviesQuery(base)
    expect(plain).toContain('MATCH (m:Movie)')
    expect(plain).not.toContain('WHERE')
    const filtered = listMoviesQuery({
      ...base,
      genre: true,
      yearFrom: true,
      minRating: true,
      titlePrefix: true
    })
    expect(filtered).toContain('MATCH (:Genre {name: $genre})<-[:IN_GENRE]-(m:Movie)')
    expect(filtered).toContain('m.year >= $year_from')
    expect(filtered).not.toContain('$year_to')
    expect(filtered).toContain('m.rating_mean >= $min_rating')
    expect(filtered).toContain('STARTS WITH toLower($title_prefix)')
  })

  it('continues strictly after the cursor row, in the direction of the order', () => {
    const asc = listMoviesQuery({ ...base, sort: 'year', after: 'key' })
    expect(asc).toContain(
      'm.year IS NULL OR m.year > $after_key OR (m.year = $after_key AND m.movie_id > $after_id)'
    )
    const desc = listMoviesQuery({ ...base, sort: 'year', order: 'desc', after: 'null-key' })
    expect(desc).toContain('m.year IS NULL AND m.movie_id < $after_id')
  })

  it('keeps every value a parameter', () => {
    const text = listMoviesQuery({
      ...base,
      sort: 'created',
      genre: true,
      yearFrom: true,
      yearTo: true,
      minRating: true,
      titlePrefix: true,
      after: 'key'
    })
    expect(text).not.toMatch(/'[^']*'/)
    expect(text).toContain('datetime({epochSeconds: $after_key[0], nanosecond: $after_key[1]})')
  })
})
