import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadQueryPack, runPackQuery } from '../../src/analyst/query-pack.js'
import type { PackQuery } from '../../src/analyst/query-pack.js'
import type { Database } from '../../src/db/database.js'
import { seedDemo } from '../../src/seed/demo.js'
import { testDatabase } from '../helpers/neo4j.js'

// Every pack query runs with the example values of its own :param line against the demo dataset.
// Other test files share the server but never touch tmdb-* movies or demo-* users, and their
// searches are stamped with the current time, far from the demo's 2025 windows. Queries that
// scan the whole graph are checked on their demo rows only.

type Row = Record<string, unknown>

const isDemo = (row: Row, key = 'movie_id'): boolean => String(row[key]).startsWith('tmdb-')

function pick(rows: Row[], keys: string[]): Row[] {
  return rows.map((r) => Object.fromEntries(keys.map((k) => [k, r[k]])))
}

function sortedBy(rows: Row[], key: string, direction: 'asc' | 'desc'): boolean {
  return rows.every((r, i) => {
    if (i === 0) return true
    const a = rows[i - 1]?.[key] as number
    const b = r[key] as number
    return direction === 'asc' ? a <= b : a >= b
  })
}

interface Expectation {
  columns: string[]
  check: (rows: Row[]) => void
}

const EXPECTED: Record<string, Expectation> = {
  '01-top-rated-by-genre': {
    columns: ['movie_id', 'title', 'year', 'rating_mean', 'rating_count'],
    check: (rows) => {
      const demo = rows.filter((r) => isDemo(r))
      expect(demo[0]).toMatchObject({
        movie_id: 'tmdb-1891',
        title: 'The Empire Strikes Back',
        rating_count: 21
      })
      expect(demo.map((r) => r.movie_id)).toContain('tmdb-157336')
      expect(rows.every((r) => (r.rating_count as number) >= 5)).toBe(true)
      expect(sortedBy(rows, 'rating_mean', 'desc')).toBe(true)
    }
  },
  '02-review-sentiment-by-month': {
    columns: ['movie_id', 'month', 'reviews', 'positive', 'negative', 'mean_sentiment'],
    check: (rows) => {
      expect(pick(rows, ['month', 'reviews', 'negative'])).toEqual([
        { month: '2025-01', reviews: 1, negative: 1 },
        { month: '2025-07', reviews: 3, negative: 3 },
        { month: '2025-08', reviews: 3, negative: 3 },
        { month: '2025-09', reviews: 2, negative: 2 }
      ])
      expect(rows.every((r) => (r.mean_sentiment as number) < -0.5)).toBe(true)
    }
  },
  '03-tweet-volume-by-week': {
    columns: ['movie_id', 'title', 'week', 'tweets', 'retweets'],
    check: (rows) => {
      expect(pick(rows, ['movie_id', 'week', 'tweets'])).toEqual([
        { movie_id: 'tmdb-27205', week: '2025-08-25', tweets: 1 },
        { movie_id: 'tmdb-27205', week: '2025-09-01', tweets: 1 },
        { movie_id: 'tmdb-27205', week: '2025-09-08', tweets: 1 },
        { movie_id: 'tmdb-27205', week: '2025-09-22', tweets: 1 },
        { movie_id: 'tmdb-693134', week: '2025-08-25', tweets: 2 },
        { movie_id: 'tmdb-693134', week: '2025-09-01', tweets: 4 },
        { movie_id: 'tmdb-693134', week: '2025-09-08', tweets: 1 },
        { movie_id: 'tmdb-693134', week: '2025-09-15', tweets: 3 }
      ])
    }
  },
  '04-trending-searches': {
    columns: ['query', 'searches', 'without_results', 'users', 'last_searched_at'],
    check: (rows) => {
      expect(pick(rows.slice(0, 3), ['query', 'searches', 'without_results', 'users'])).toEqual([
        { query: 'dune part two', searches: 5, without_results: 0, users: 3 },
        { query: 'dune', searches: 3, without_results: 0, users: 1 },
        { query: 'barbenheimer', searches: 2, without_results: 2, users: 0 }
      ])
      expect(rows).toHaveLength(10)
    }
  },
  '05-searches-without-results': {
    columns: ['query', 'searches', 'users', 'first_searched_at', 'last_searched_at'],
    check: (rows) => {
      expect(pick(rows, ['query', 'searches', 'users'])).toEqual([
        { query: 'barbenheimer', searches: 4, users: 1 },
        { query: 'la la land', searches: 2, users: 1 },
        { query: 'oppenheimer', searches: 2, users: 1 },
        { query: 'zzqx', searches: 1, users: 0 }
      ])
    }
  },
  '06-franchise-chain': {
    columns: ['position', 'movie_id', 'title', 'year', 'rating_mean'],
    check: (rows) => {
      expect(pick(rows, ['position', 'movie_id', 'title', 'year'])).toEqual([
        { position: 1, movie_id: 'tmdb-238', title: 'The Godfather', year: 1972 },
        { position: 2, movie_id: 'tmdb-240', title: 'The Godfather Part II', year: 1974 },
        { position: 3, movie_id: 'tmdb-242', title: 'The Godfather Part III', year: 1990 }
      ])
    }
  },
  '07-movie-neighbourhood': {
    columns: ['movie_id', 'title', 'year', 'hops', 'via', 'through'],
    check: (rows) => {
      const byId = new Map(rows.map((r) => [r.movie_id, r]))
      expect(byId.get('tmdb-604')).toMatchObject({ hops: 1, via: ['SEQUEL_OF'], through: [] })
      expect(byId.get('tmdb-605')).toMatchObject({
        hops: 2,
        via: ['SEQUEL_OF', 'SEQUEL_OF'],
        through: ['The Matrix Reloaded']
      })
      expect(byId.get('tmdb-9323')).toMatchObject({ hops: 1, via: ['INSPIRED_BY'] })
      expect(byId.get('tmdb-4977')).toMatchObject({ hops: 2, through: ['Inception'] })
      expect(byId.has('tmdb-603')).toBe(false)
      expect(rows.every((r) => r.hops === 1 || r.hops === 2)).toBe(true)
      expect(sortedBy(rows, 'hops', 'asc')).toBe(true)
    }
  },
  '08-similar-taste-users': {
    columns: ['user_id', 'common', 'agreement', 'mean_difference'],
    check: (rows) => {
      expect(rows[0]).toMatchObject({ user_id: 'demo-ben', common: 22 })
      expect(rows[0]?.agreement as number).toBeGreaterThan(0.97)
      expect(rows.every((r) => (r.common as number) >= 5 && r.user_id !== 'demo-ana')).toBe(true)
      expect(sortedBy(rows, 'agreement', 'desc')).toBe(true)
    }
  },
  '09-genre-co-occurrence': {
    columns: ['genre_a', 'genre_b', 'movies'],
    check: (rows) => {
      const pair = (a: string, b: string) => rows.find((r) => r.genre_a === a && r.genre_b === b)
      expect(pair('Crime', 'Drama')?.movies as number).toBeGreaterThanOrEqual(16)
      expect(pair('Adventure', 'Science Fiction')?.movies as number).toBeGreaterThanOrEqual(15)
      expect(pair('Action', 'Science Fiction')?.movies as number).toBeGreaterThanOrEqual(14)
      expect(rows.every((r) => (r.genre_a as string) < (r.genre_b as string))).toBe(true)
    }
  },
  '10-rating-sentiment-disagreement': {
    columns: ['movie_id', 'title', 'rating_normalized', 'sentiment_normalized', 'gap', 'ratings', 'reviews'],
    check: (rows) => {
      const demo = rows.filter((r) => isDemo(r))
      expect(demo[0]).toMatchObject({ movie_id: 'tmdb-475557', title: 'Joker', ratings: 18, reviews: 9 })
      expect(demo[0]?.gap as number).toBeGreaterThan(0.6)
      expect(demo[0]?.sentiment_normalized as number).toBeLessThan(0.2)
    }
  },
  '11-polarising-movies': {
    columns: [
      'movie_id',
      'title',
      'ratings',
      'rating_mean',
      'rating_stdev',
      'ratings_4_or_below',
      'ratings_8_or_above'
    ],
    check: (rows) => {
      const demo = rows.filter((r) => isDemo(r))
      expect(demo[0]).toMatchObject({
        movie_id: 'tmdb-604',
        title: 'The Matrix Reloaded',
        ratings: 14,
        ratings_4_or_below: 8,
        ratings_8_or_above: 6
      })
      expect(demo[0]?.rating_stdev as number).toBeGreaterThan(3)
      expect(sortedBy(rows, 'rating_stdev', 'desc')).toBe(true)
    }
  },
  '12-sequels-vs-originals': {
    columns: [
      'sequel_id',
      'sequel',
      'original_id',
      'original',
      'original_rating',
      'sequel_rating',
      'difference',
      'verdict'
    ],
    check: (rows) => {
      const verdict = (sequel: string) => rows.find((r) => r.sequel_id === sequel)?.verdict
      expect(verdict('tmdb-1891')).toBe('higher')
      expect(verdict('tmdb-693134')).toBe('higher')
      expect(verdict('tmdb-240')).toBe('lower')
      expect(verdict('tmdb-242')).toBe('lower')
      const demo = rows.filter((r) => isDemo(r, 'sequel_id'))
      expect(demo[0]).toMatchObject({ sequel: 'Dune: Part Two', original: 'Dune' })
      expect(sortedBy(rows, 'difference', 'desc')).toBe(true)
    }
  },
  '13-rating-distribution': {
    columns: ['movie_id', 'bucket', 'ratings', 'share'],
    check: (rows) => {
      expect(rows.map((r) => r.bucket)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
      expect(rows.map((r) => r.ratings)).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 5, 14, 4])
      expect(rows.reduce((s, r) => s + (r.share as number), 0)).toBeCloseTo(1, 2)
    }
  },
  '14-user-genre-preferences': {
    columns: ['genre', 'ratings', 'mean_score', 'versus_overall'],
    check: (rows) => {
      expect(rows[0]).toMatchObject({ genre: 'Science Fiction', ratings: 13 })
      expect(rows[0]?.versus_overall as number).toBeGreaterThan(0)
      expect(rows.every((r) => (r.ratings as number) >= 5)).toBe(true)
    }
  },
  '15-search-conversion': {
    columns: ['query', 'searches', 'with_selection', 'conversion', 'most_selected'],
    check: (rows) => {
      expect(rows.slice(0, 2)).toEqual([
        {
          query: 'dune part two',
          searches: 6,
          with_selection: 4,
          conversion: 0.67,
          most_selected: 'Dune: Part Two'
        },
        {
          query: 'godfather',
          searches: 5,
          with_selection: 4,
          conversion: 0.8,
          most_selected: 'The Godfather'
        }
      ])
      expect(rows.find((r) => r.query === 'dune')).toMatchObject({
        searches: 5,
        with_selection: 2,
        most_selected: 'Dune'
      })
    }
  },
  '16-derived-works': {
    columns: [
      'relationship',
      'movie_id',
      'title',
      'year',
      'source_id',
      'source_title',
      'source_year',
      'years_between',
      'rating_mean',
      'source_rating_mean'
    ],
    check: (rows) => {
      const demo = rows.filter((r) => isDemo(r))
      expect(pick(demo, ['relationship', 'movie_id', 'source_id', 'years_between'])).toEqual(
        expect.arrayContaining([
          { relationship: 'REMAKE_OF', movie_id: 'tmdb-161', source_id: 'tmdb-299', years_between: 41 },
          { relationship: 'REMAKE_OF', movie_id: 'tmdb-1091', source_id: 'tmdb-10785', years_between: 31 },
          { relationship: 'REMAKE_OF', movie_id: 'tmdb-111', source_id: 'tmdb-877', years_between: 51 },
          { relationship: 'SPINOFF_OF', movie_id: 'tmdb-330459', source_id: 'tmdb-11', years_between: 39 },
          { relationship: 'INSPIRED_BY', movie_id: 'tmdb-603', source_id: 'tmdb-9323', years_between: 4 }
        ])
      )
      expect(demo.filter((r) => r.relationship === 'REMAKE_OF')[0]).toMatchObject({
        title: 'Scarface',
        year: 1983
      })
    }
  },
  '17-recommendations-from-similar-users': {
    columns: ['movie_id', 'title', 'recommenders', 'peer_score', 'weight'],
    check: (rows) => {
      expect(pick(rows.slice(0, 2), ['movie_id', 'title', 'recommenders'])).toEqual([
        { movie_id: 'tmdb-335984', title: 'Blade Runner 2049', recommenders: 1 },
        { movie_id: 'tmdb-4977', title: 'Paprika', recommenders: 1 }
      ])
      expect(sortedBy(rows, 'weight', 'desc')).toBe(true)
    }
  }
}

describe('the analyst query pack on the demo dataset', async () => {
  const pack = await loadQueryPack()
  let db: Database

  beforeAll(async () => {
    db = testDatabase()
    await seedDemo(db)
  })

  afterAll(async () => {
    await db.close()
  })

  it('has a known answer for every query file', () => {
    expect(pack.map((q) => q.name).sort()).toEqual(Object.keys(EXPECTED).sort())
  })

  it.each(pack.map((q) => [q.name, q] as const))('%s', async (name: string, q: PackQuery) => {
    const expected = EXPECTED[name]
    if (!expected) throw new Error(`no expectation for ${name}`)
    const { keys, rows } = await runPackQuery<Row>(db, q)
    expect(keys).toEqual(expected.columns)
    expect(rows.length).toBeGreaterThan(0)
    expected.check(rows)
  })
})
