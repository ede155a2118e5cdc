/**
 * Eight writers sending the same keys at the same time, as importers replaying one stream or
 * clients retrying would: exactly one node per tweet_id and per tmdb_id, exactly one success per
 * key, and aggregates that match what is stored. Every key is new to this run.
 */
import { randomInt } from 'node:crypto'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { int } from '../../src/db/convert.js'
import type { Database } from '../../src/db/database.js'
import { buildTestApp } from '../helpers/app.js'
import { expectErrorShape } from '../helpers/http.js'
import { testDatabase, uid } from '../helpers/neo4j.js'

const WRITERS = 8

function tweetIds(count: number): string[] {
  return Array.from(
    { length: count },
    () => `${randomInt(1, 10)}${Array.from({ length: 17 }, () => randomInt(0, 10)).join('')}`
  )
}

/** Consecutive ids in the range movies.int.test.ts also draws from at random. */
function tmdbIds(count: number): number[] {
  const base = 1_100_000_000 + randomInt(0, 1_000_000_000)
  return Array.from({ length: count }, (_, i) => base + i)
}

/** Multiples of 1/8 add up exactly in floating point, so the expected sums are exact. */
const scoreOf = (i: number): number => ((i % 17) - 8) / 8

/** Runs `WRITERS` writers at once; each sends its requests one after another, in the same order. */
async function race<T>(
  keys: readonly T[],
  send: (key: T, writer: number) => Promise<LightMyRequestResponse>
): Promise<Map<T, LightMyRequestResponse[]>> {
  const byKey = new Map<T, LightMyRequestResponse[]>(keys.map((k) => [k, []]))
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, writer) => {
      for (const key of keys) byKey.get(key)?.push(await send(key, writer))
    })
  )
  return byKey
}

function statusesOf(responses: LightMyRequestResponse[]): number[] {
  return responses.map((r) => r.statusCode).sort()
}

interface Aggregates {
  review_count: number
  sentiment_sum: number
  sentiment_mean: number | null
  stored_count: number
  stored_sum: number
}

describe(`${WRITERS} concurrent writers`, () => {
  let app: FastifyInstance
  let db: Database
  const movies = [uid('cw-a'), uid('cw-b')]

  beforeAll(async () => {
    app = await buildTestApp()
    db = testDatabase()
    for (const movie_id of movies) {
      const res = await app.inject({ method: 'POST', url: '/movies', payload: { movie_id, title: movie_id } })
      expect(res.statusCode, res.body).toBe(201)
    }
  })
  afterAll(async () => {
    await app?.close()
    await db?.close()
  })

  async function aggregates(movieId: string): Promise<Aggregates> {
    const [row] = await db.readRows<Aggregates>(
      `MATCH (m:Movie {movie_id: $movie_id})
       OPTIONAL MATCH (r:Review)-[:REVIEWS]->(m)
       RETURN m.review_count AS review_count, m.sentiment_sum AS sentiment_sum,
              m.sentiment_mean AS sentiment_mean,
              count(r) AS stored_count, coalesce(sum(r.sentiment_score), 0.0) AS stored_sum`,
      { movie_id: movieId }
    )
    if (!row) throw new Error(`movie ${movieId} is gone`)
    return row
  }

  function expectExact(a: Aggregates): void {
    expect(a.review_count).toBe(a.stored_count)
    expect(a.sentiment_sum).toBe(a.stored_sum)
    expect(a.sentiment_mean).toBe(a.stored_count === 0 ? null : a.stored_sum / a.stored_count)
  }

  async function reviewsPerTweet(ids: readonly string[]): Promise<Map<string, string[]>> {
    const rows = await db.readRows<{ tweet_id: string; movies: string[] }>(
      `UNWIND $ids AS id
       OPTIONAL MATCH (r:Review {tweet_id: id})-[:REVIEWS]->(m:Movie)
       RETURN id AS tweet_id, collect(m.movie_id) AS movies`,
      { ids }
    )
    return new Map(rows.map((r) => [r.tweet_id, r.movies]))
  }

  /** Movie nodes per tmdb_id, in the order given. */
  async function moviesPerTmdbId(ids: readonly number[]): Promise<number[]> {
    const rows = await db.readRows<{ i: number; n: number }>(
      `UNWIND range(0, size($ids) - 1) AS i
       OPTIONAL MATCH (m:Movie {tmdb_id: $ids[i]})
       RETURN i, count(m) AS n ORDER BY i`,
      { ids: ids.map(int) }
    )
    return rows.map((r) => r.n)
  }

  it('posting overlapping tweet_ids to two movies: one review per tweet, one 201 per tweet, exact aggregates', async () => {
    const tweets = tweetIds(12)
    const before = await Promise.all(movies.map(aggregates))
    const byTweet = await race(tweets, (tweet_id, writer) =>
      app.inject({
        method: 'POST',
        url: `/movies/${movies[writer % 2]}/reviews`,
        payload: {
          source: 'tweet',
          tweet_id,
          content: `Tweet ${tweet_id} as sent by writer ${writer}`,
          sentiment_score: scoreOf(tweets.indexOf(tweet_id))
        }
      })
    )

    const stored = await reviewsPerTweet(tweets)
    for (const [tweet, responses] of byTweet) {
      expect(statusesOf(responses), tweet).toEqual([201, ...Array<number>(WRITERS - 1).fill(409)])
      for (const r of responses.filter((r) => r.statusCode === 409)) {
        expectErrorShape(r.json())
        expect(r.json<{ error: { code: string } }>().error.code).toBe('CONFLICT')
      }
      const winner = responses.find((r) => r.statusCode === 201)?.json<{ movie_id: string }>()
      // Exactly one node, on the movie whose request won.
      expect(stored.get(tweet), tweet).toEqual([winner?.movie_id])
    }

    const after = await Promise.all(movies.map(aggregates))
    for (const a of after) expectExact(a)
    const added =
      after.reduce((n, a) => n + a.stored_count, 0) - before.reduce((n, a) => n + a.stored_count, 0)
    expect(added).toBe(tweets.length)
    // What the API reports is what is stored.
    for (const [i, movieId] of movies.entries()) {
      const movie = (await app.inject(`/movies/${movieId}`)).json<{
        reviews: { count: number; sentiment_mean: number | null }
      }>()
      expect(movie.reviews).toEqual({
        count: after[i]?.stored_count,
        sentiment_mean: after[i]?.sentiment_mean
      })
    }
  })

  it('importing the same batch of tweets at once: each tweet created once, exact aggregates', async () => {
    const tweets = tweetIds(20)
    const movieId = movies[0] as string
    const before = await aggregates(movieId)
    const batch = tweets.map((tweet_id, i) => ({
      movie_id: movieId,
      source: 'tweet',
      tweet_id,
      content: `Batch tweet ${tweet_id}`,
      sentiment_score: scoreOf(i)
    }))
    const responses = await Promise.all(
      Array.from({ length: WRITERS }, () =>
        app.inject({ method: 'POST', url: '/reviews/batch', payload: { reviews: batch } })
      )
    )
    let created = 0
    for (const res of responses) {
      expect(res.statusCode, res.body).toBe(200)
      const { summary } = res.json<{ summary: Record<string, number> }>()
      expect(summary.rejected).toBe(0)
      expect(summary.updated).toBe(0)
      expect((summary.created ?? 0) + (summary.unchanged ?? 0)).toBe(tweets.length)
      created += summary.created ?? 0
    }
    expect(created).toBe(tweets.length)
    const stored = await reviewsPerTweet(tweets)
    for (const tweet of tweets) expect(stored.get(tweet), tweet).toEqual([movieId])
    const after = await aggregates(movieId)
    expectExact(after)
    expect(after.stored_count - before.stored_count).toBe(tweets.length)
  })

  it('posting overlapping tmdb_ids to POST /movies: one movie per tmdb_id, one 201 each, exact genre count', async () => {
    const ids = tmdbIds(10)
    const genre = `Concurrent ${uid('g')}`
    const byTmdb = await race(ids, (tmdb_id, writer) =>
      app.inject({
        method: 'POST',
        url: '/movies',
        payload: { tmdb_id, title: `TMDB ${tmdb_id} by writer ${writer}`, genres: [genre] }
      })
    )
    for (const [tmdb, responses] of byTmdb) {
      expect(statusesOf(responses), String(tmdb)).toEqual([201, ...Array<number>(WRITERS - 1).fill(409)])
      for (const r of responses.filter((r) => r.statusCode === 409)) expectErrorShape(r.json())
    }
    expect(await moviesPerTmdbId(ids)).toEqual(ids.map(() => 1))
    const [g] = await db.readRows<{ nodes: number; movies: number }>(
      `MATCH (g:Genre {name: $name})
       RETURN count(DISTINCT g) AS nodes, COUNT { (:Movie)-[:IN_GENRE]->(g) } AS movies`,
      { name: genre }
    )
    expect(g).toEqual({ nodes: 1, movies: ids.length })
    const listed = (await app.inject(`/genres/${encodeURIComponent(genre)}`)).json<{ movie_count: number }>()
    expect(listed.movie_count).toBe(ids.length)
  })

  it('upserting overlapping tmdb_ids with PUT /movies/by-tmdb: one 201 and the rest 200, one movie each', async () => {
    const ids = tmdbIds(10)
    const byTmdb = await race(ids, (tmdb_id) =>
      app.inject({
        method: 'PUT',
        url: `/movies/by-tmdb/${tmdb_id}`,
        payload: { title: `Upserted ${tmdb_id}`, year: 1999 }
      })
    )
    for (const [tmdb, responses] of byTmdb) {
      expect(statusesOf(responses), String(tmdb)).toEqual([200, 200, 200, 200, 200, 200, 200, 201])
      const movieIds = new Set(responses.map((r) => r.json<{ movie_id: string }>().movie_id))
      expect(movieIds.size, String(tmdb)).toBe(1)
    }
    expect(await moviesPerTmdbId(ids)).toEqual(ids.map(() => 1))
  })
})
