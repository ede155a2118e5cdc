import { randomUUID } from 'node:crypto'
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Command } from 'commander'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { registerSeedCommand } from '../../src/cli/seed-command.js'
import type { Database } from '../../src/db/database.js'
import { int } from '../../src/db/convert.js'
import { canonicalEndpoints, isSymmetric } from '../../src/domain/relationship-types.js'
import { scoreSentiment } from '../../src/lib/sentiment.js'
import { DEFAULT_DEMO_DIR, readDemoData } from '../../src/seed/demo-data.js'
import type { DemoData } from '../../src/seed/demo-data.js'
import { seedDemo } from '../../src/seed/demo.js'
import { testDatabase } from '../helpers/neo4j.js'

// The demo ids are fixed (tmdb-*, demo-*), so the analyst tests may seed at the same time; loading
// is idempotent, so every assertion here holds whichever load ran last.

interface MovieState {
  movie_id: string
  tmdb_type: string
  rating_count: number
  rating_sum: number
  rating_mean: number | null
  review_count: number
  sentiment_sum: number
  sentiment_mean: number | null
  created_at: string
  updated_at: string
  genres: string[]
  ratings: number
  reviews: number
  edges: number
  returned: number
  selected: number
}

/** Everything the demo load writes, as one comparable value. */
async function snapshot(db: Database, data: DemoData) {
  const movieIds = data.movies.map((m) => `tmdb-${m.tmdb_id}`)
  const movies = await db.readRows<MovieState>(
    `MATCH (m:Movie) WHERE m.movie_id IN $ids
     RETURN m.movie_id AS movie_id, valueType(m.tmdb_id) AS tmdb_type,
            m.rating_count AS rating_count, m.rating_sum AS rating_sum, m.rating_mean AS rating_mean,
            m.review_count AS review_count, m.sentiment_sum AS sentiment_sum, m.sentiment_mean AS sentiment_mean,
            m.created_at AS created_at, m.updated_at AS updated_at,
            COLLECT { MATCH (m)-[:IN_GENRE]->(g:Genre) RETURN g.name ORDER BY g.name } AS genres,
            COUNT { (m)<-[:RATES]-(:Rating) } AS ratings,
            COUNT { (m)<-[:REVIEWS]-(:Review) } AS reviews,
            COUNT { (m)-[:SIMILAR_TO|SAME_FRANCHISE|SEQUEL_OF|REMAKE_OF|SPINOFF_OF|INSPIRED_BY]-(:Movie) } AS edges,
            COUNT { (m)<-[:RETURNED]-(:Search) } AS returned,
            COUNT { (m)<-[:SELECTED]-(:Search) } AS selected
     ORDER BY movie_id`,
    { ids: movieIds }
  )
  const users = await db.readRows<Record<string, unknown>>(
    `MATCH (u:User) WHERE u.user_id IN $ids
     RETURN u.user_id AS user_id, u.created_at AS created_at,
            COUNT { (u)-[:GAVE]->(:Rating) } AS ratings, COUNT { (u)-[:WROTE]->(:Review) } AS reviews,
            COUNT { (u)-[:SEARCHED]->(:Search) } AS searches
     ORDER BY user_id`,
    { ids: data.users.map((u) => u.user_id) }
  )
  const searches = await db.readRows<{ search: Record<string, unknown>; returned: number; selected: number }>(
    `MATCH (s:Search) WHERE s.search_id IN $ids
     RETURN s {.*} AS search, COUNT { (s)-[:RETURNED]->() } AS returned, COUNT { (s)-[:SELECTED]->() } AS selected
     ORDER BY s.search_id`,
    { ids: data.searches.map((s) => s.search_id) }
  )
  const reviews = await db.readRows<{ review: Record<string, unknown>; movies: number }>(
    `MATCH (r:Review) WHERE r.review_id IN $ids
     RETURN r {.*} AS review, COUNT { (r)-[:REVIEWS]->() } AS movies ORDER BY r.review_id`,
    { ids: data.reviews.map((r) => r.review_id) }
  )
  const genres = await db.readRows<{ name: string; nodes: number; ids: number[] }>(
    `UNWIND $names AS name MATCH (g:Genre {name: name})
     RETURN name, count(g) AS nodes, collect(g.tmdb_genre_id) AS ids ORDER BY name`,
    { names: data.genres.map((g) => g.name) }
  )
  return { movies, users, searches, reviews, genres }
}

describe('seedDemo', () => {
  let db: Database
  let data: DemoData
  let first: Awaited<ReturnType<typeof snapshot>>
  let second: Awaited<ReturnType<typeof snapshot>>

  beforeAll(async () => {
    db = testDatabase()
    data = await readDemoData()
    const summary = await seedDemo(db)
    expect(summary).toMatchObject({
      movies: data.movies.length,
      ratings: data.ratings.length,
      reviews: data.reviews.length,
      searches: data.searches.length
    })
    first = await snapshot(db, data)
    await seedDemo(db)
    second = await snapshot(db, data)
  })

  afterAll(async () => {
    await db.close()
  })

  it('ships a dataset of the intended size', () => {
    expect(data.movies.length).toBeGreaterThanOrEqual(60)
    expect(data.movies.length).toBeLessThanOrEqual(80)
    expect(data.users.length).toBeGreaterThanOrEqual(40)
    expect(data.reviews.length).toBeGreaterThanOrEqual(150)
    expect(data.searches.length).toBeGreaterThanOrEqual(60)
  })

  it('leaves the same graph, aggregates and timestamps when loaded a second time', () => {
    expect(second).toEqual(first)
  })

  it('writes every record of the dataset exactly once', () => {
    expect(first.movies).toHaveLength(data.movies.length)
    expect(first.users).toHaveLength(data.users.length)
    expect(first.searches).toHaveLength(data.searches.length)
    expect(first.reviews).toHaveLength(data.reviews.length)
    expect(first.genres.every((g) => g.nodes === 1)).toBe(true)
    expect(first.movies.reduce((n, m) => n + m.ratings, 0)).toBe(data.ratings.length)
    expect(first.movies.reduce((n, m) => n + m.reviews, 0)).toBe(data.reviews.length)
    expect(first.reviews.every((r) => r.movies === 1)).toBe(true)
    expect(first.movies.every((m) => m.tmdb_type === 'INTEGER NOT NULL')).toBe(true)
  })

  it('keeps aggregates equal to what the Rating and Review nodes say', async () => {
    const actual = await db.readRows<{
      movie_id: string
      count: number
      sum: number
      reviews: number
      sentiment: number
    }>(
      `MATCH (m:Movie) WHERE m.movie_id IN $ids
       CALL (m) {
         OPTIONAL MATCH (m)<-[:RATES]-(r:Rating)
         RETURN count(r) AS count, coalesce(sum(r.score), 0.0) AS sum
       }
       CALL (m) {
         OPTIONAL MATCH (m)<-[:REVIEWS]-(v:Review)
         RETURN count(v) AS reviews, coalesce(sum(v.sentiment_score), 0.0) AS sentiment
       }
       RETURN m.movie_id AS movie_id, count, sum, reviews, sentiment
       ORDER BY movie_id`,
      { ids: data.movies.map((m) => `tmdb-${m.tmdb_id}`) }
    )
    const stored = new Map(second.movies.map((m) => [m.movie_id, m]))
    for (const row of actual) {
      const m = stored.get(row.movie_id) as MovieState
      expect(m.rating_count).toBe(row.count)
      expect(m.rating_sum).toBeCloseTo(row.sum, 9)
      expect(m.review_count).toBe(row.reviews)
      expect(m.sentiment_sum).toBeCloseTo(row.sentiment, 9)
      if (row.count === 0) expect(m.rating_mean).toBeNull()
      else expect(m.rating_mean).toBeCloseTo(row.sum / row.count, 9)
      if (row.reviews === 0) expect(m.sentiment_mean).toBeNull()
      else expect(m.sentiment_mean).toBeCloseTo(row.sentiment / row.reviews, 9)
    }
    // The file's ratings alone give the same counts, since no other test touches tmdb-* movies.
    const perMovie = new Map<string, number>()
    for (const r of data.ratings)
      perMovie.set(`tmdb-${r.tmdb_id}`, (perMovie.get(`tmdb-${r.tmdb_id}`) ?? 0) + 1)
    for (const [id, n] of perMovie) expect(stored.get(id)?.rating_count).toBe(n)
  })

  it('stores tweet ids as strings and scores sentiment only where the data gives none', async () => {
    const byId = new Map(second.reviews.map((r) => [r.review.review_id as string, r.review]))
    for (const r of data.reviews) {
      const stored = byId.get(r.review_id) as Record<string, unknown>
      expect(stored.sentiment_score).toBe(r.sentiment_score ?? scoreSentiment(r.content).score)
      if (r.tweet_id !== undefined) expect(stored.tweet_id).toBe(r.tweet_id)
    }
    const [types] = await db.readRows<{ types: string[] }>(
      `MATCH (r:Review {source: 'tweet'}) WHERE r.review_id IN $ids RETURN collect(DISTINCT valueType(r.tweet_id)) AS types`,
      { ids: data.reviews.map((r) => r.review_id) }
    )
    expect(types?.types).toEqual(['STRING NOT NULL'])
    expect(data.reviews.some((r) => r.language !== 'en' && /[^ -~]/.test(r.content))).toBe(true)
  })

  it('stores each movie-to-movie edge once, symmetric ones from the smaller movie_id', async () => {
    for (const r of data.relationships) {
      const a = `tmdb-${r.from_tmdb_id}`
      const b = `tmdb-${r.to_tmdb_id}`
      const { from, to } = canonicalEndpoints(r.type, a, b)
      const [row] = await db.readRows<{ stored: number; reversed: number; source: string }>(
        `MATCH (a:Movie {movie_id: $from}), (b:Movie {movie_id: $to})
         RETURN COUNT { (a)-[:${r.type}]->(b) } AS stored, COUNT { (b)-[:${r.type}]->(a) } AS reversed,
                [(a)-[e:${r.type}]->(b) | e.source][0] AS source`,
        { from, to }
      )
      expect(row).toEqual({ stored: 1, reversed: 0, source: 'editorial' })
      if (isSymmetric(r.type)) expect(from < to).toBe(true)
    }
  })

  it('loads beside a genre that already holds one of its TMDB genre ids, leaving the id there', async () => {
    const tag = randomUUID().slice(0, 8)
    const [holder, newcomer] = [`Holder ${tag}`, `Newcomer ${tag}`]
    const tmdbGenreId = 1_000_000_000 + Math.floor(Math.random() * 1_000_000_000)
    const dir = await mkdtemp(join(tmpdir(), 'cinegraph-demo-'))
    try {
      await cp(DEFAULT_DEMO_DIR, dir, { recursive: true })
      await writeFile(
        join(dir, 'genres.json'),
        JSON.stringify([...data.genres, { name: newcomer, tmdb_genre_id: tmdbGenreId }])
      )
      await db.writeRows('CREATE (:Genre {name: $holder, tmdb_genre_id: $id, created_at: datetime()})', {
        holder,
        id: int(tmdbGenreId)
      })
      for (let run = 0; run < 2; run++) {
        await seedDemo(db, { dir })
        const genres = await db.readRows<{ name: string; id: number | null }>(
          'MATCH (g:Genre) WHERE g.name IN $names RETURN g.name AS name, g.tmdb_genre_id AS id ORDER BY name',
          { names: [holder, newcomer] }
        )
        expect(genres).toEqual([
          { name: holder, id: tmdbGenreId },
          { name: newcomer, id: null }
        ])
      }
      // The demo's own genres still carry their ids.
      expect((await snapshot(db, data)).genres).toEqual(second.genres)
    } finally {
      await db.writeRows('MATCH (g:Genre) WHERE g.name IN $names DETACH DELETE g', {
        names: [holder, newcomer]
      })
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('records searches with normalized text, the returned and the selected movies', async () => {
    const search = second.searches.find((s) => s.search.search_id === 'demo-search-042')
    expect(search?.search).toMatchObject({
      query: 'Dune Part Two',
      normalized_query: 'dune part two',
      filters: '{}',
      result_count: 2,
      returned_movie_ids: ['tmdb-693134', 'tmdb-438631'],
      selected_movie_ids: []
    })
    const filtered = second.searches.find((s) => s.search.search_id === 'demo-search-022')
    expect(filtered?.search.filters).toBe('{"year_from":2000}')
    const empty = second.searches.filter((s) => s.search.result_count === 0)
    expect(empty.length).toBeGreaterThan(5)
    expect(empty.every((s) => s.returned === 0 && s.selected === 0)).toBe(true)
  })
})

describe('cinegraph seed demo', () => {
  it('loads the dataset and prints what it loaded', async () => {
    const lines: string[] = []
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk))
      return true
    })
    try {
      const program = new Command('cinegraph').exitOverride()
      registerSeedCommand(program, async () => testDatabase())
      await program.parseAsync(['node', 'cinegraph', 'seed', 'demo'])
    } finally {
      spy.mockRestore()
    }
    const text = lines.join('')
    expect(process.exitCode ?? 0).toBe(0)
    expect(text).toMatch(/loaded the demo dataset from .*data[/\\]demo/)
    expect(text).toMatch(/movies\s+74/)
    expect(text).toMatch(/searches\s+60/)
  })
})
