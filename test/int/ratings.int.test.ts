import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import type { Database } from '../../src/db/database.js'
import { ratingId } from '../../src/data/ratings/repository.js'
import { encodeCursor } from '../../src/lib/cursor.js'
import { buildTestApp } from '../helpers/app.js'
import { insertMovie, removeTaggedAndClose, storedAggregates } from '../helpers/movies.js'
import type { RatingAggregates } from '../helpers/movies.js'
import { testDatabase, uid } from '../helpers/neo4j.js'

interface Rating {
  rating_id: string
  user_id: string
  movie_id: string
  score: number
  original_score: number
  original_scale: { min: number; max: number }
  source: string
  rated_at: string
  updated_at: string
  title?: string | null
}

describe('ratings', () => {
  let app: FastifyInstance
  let db: Database
  const tag = uid('ratings-test')
  let n = 0

  /** A movie of this test file, straight into the graph: nothing here is about the movie routes. */
  async function createMovie(title = 'Rated Movie'): Promise<string> {
    const movieId = `${tag}-m${++n}`
    await insertMovie(db, tag, { movie_id: movieId, title, year: 1999, popularity: 1 })
    return movieId
  }

  function user(): string {
    return `${tag}-u${++n}`
  }

  const stored = (movieId: string): Promise<RatingAggregates> => storedAggregates(db, movieId, 'ratings')

  function put(movieId: string, userId: string, body: unknown, on: FastifyInstance = app) {
    return on.inject({ method: 'PUT', url: `/movies/${movieId}/ratings/${userId}`, payload: body as object })
  }

  beforeAll(async () => {
    app = await buildTestApp()
    db = testDatabase()
  })

  afterAll(() => removeTaggedAndClose(tag, db, app))

  describe('PUT /movies/:movie_id/ratings/:user_id', () => {
    it('creates a rating (201), merges the user, and moves the aggregates', async () => {
      const movieId = await createMovie()
      const userId = user()
      const res = await put(movieId, userId, { score: 7.5, rated_at: '2021-03-04T05:06:07.000Z' })
      expect(res.statusCode).toBe(201)
      const body = res.json<Rating>()
      expect(body).toEqual({
        rating_id: ratingId(userId, movieId),
        user_id: userId,
        movie_id: movieId,
        score: 7.5,
        original_score: 7.5,
        original_scale: { min: 0, max: 10 },
        source: 'user',
        rated_at: '2021-03-04T05:06:07.000Z',
        updated_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
      })
      expect(await stored(movieId)).toEqual({
        rating_count: 1,
        rating_sum: 7.5,
        rating_mean: 7.5,
        locked: false,
        actual_count: 1,
        actual_sum: 7.5
      })
      const [graph] = await db.readRows<{ users: number; gave: number }>(
        `MATCH (u:User {user_id: $user_id})
         RETURN count(u) AS users, COUNT { (u)-[:GAVE]->(:Rating)-[:RATES]->(:Movie {movie_id: $movie_id}) } AS gave`,
        { user_id: userId, movie_id: movieId }
      )
      expect(graph).toEqual({ users: 1, gave: 1 })
    })

    it('replaces the rating on a second PUT (200) and adjusts the aggregates by the delta', async () => {
      const movieId = await createMovie()
      const [a, b] = [user(), user()]
      expect((await put(movieId, a, { score: 4 })).statusCode).toBe(201)
      expect((await put(movieId, b, { score: 8 })).statusCode).toBe(201)
      const again = await put(movieId, a, { score: 9, source: 'tmdb' })
      expect(again.statusCode).toBe(200)
      expect(again.json<Rating>()).toMatchObject({
        score: 9,
        source: 'tmdb',
        rating_id: ratingId(a, movieId)
      })
      expect(await stored(movieId)).toEqual({
        rating_count: 2,
        rating_sum: 17,
        rating_mean: 8.5,
        locked: false,
        actual_count: 2,
        actual_sum: 17
      })
      const [nodes] = await db.readRows<{ n: number }>(
        `MATCH (r:Rating {rating_id: $id}) RETURN count(r) AS n`,
        { id: ratingId(a, movieId) }
      )
      expect(nodes?.n).toBe(1)
    })

    it('converts a value on another scale to 0–10 and keeps the value as given', async () => {
      const movieId = await createMovie()
      const res = await put(movieId, user(), { value: 3.5, scale: { min: 0.5, max: 5 }, source: 'movielens' })
      expect(res.statusCode).toBe(201)
      expect(res.json<Rating>()).toMatchObject({
        score: 6.6667,
        original_score: 3.5,
        original_scale: { min: 0.5, max: 5 },
        source: 'movielens'
      })
      const top = await put(movieId, user(), { value: 5, scale: { min: 0.5, max: 5 } })
      expect(top.json<Rating>().score).toBe(10)
      const bottom = await put(movieId, user(), { value: 0.5, scale: { min: 0.5, max: 5 } })
      expect(bottom.json<Rating>().score).toBe(0)
      expect(await stored(movieId)).toMatchObject({ rating_count: 3, rating_sum: 16.6667, actual_count: 3 })
    })

    it('defaults rated_at to now', async () => {
      const movieId = await createMovie()
      const before = Date.now()
      const res = await put(movieId, user(), { score: 5 })
      const ratedAt = Date.parse(res.json<Rating>().rated_at)
      expect(ratedAt).toBeGreaterThanOrEqual(before - 5_000)
      expect(ratedAt).toBeLessThanOrEqual(Date.now() + 5_000)
    })

    it('answers 404 for an unknown movie and writes nothing', async () => {
      const userId = user()
      const res = await put(`${tag}-no-such-movie`, userId, { score: 5 })
      expect(res.statusCode).toBe(404)
      expect(res.json().error.code).toBe('NOT_FOUND')
      const [row] = await db.readRows<{ n: number }>(`MATCH (u:User {user_id: $id}) RETURN count(u) AS n`, {
        id: userId
      })
      expect(row?.n).toBe(0)
    })

    it.each([
      ['a score above 10', { score: 10.5 }],
      ['a negative score', { score: -0.1 }],
      ['a score that is not a number', { score: 'high' }],
      ['no score and no value', { source: 'user' }],
      ['both a score and a value', { score: 5, value: 3, scale: { min: 0, max: 5 } }],
      ['a value without its scale', { value: 3 }],
      ['a value outside its scale', { value: 5.5, scale: { min: 0.5, max: 5 } }],
      ['a value below its scale', { value: 0, scale: { min: 0.5, max: 5 } }],
      ['a scale with min = max', { value: 1, scale: { min: 1, max: 1 } }],
      ['a scale with min > max', { value: 3, scale: { min: 5, max: 1 } }],
      ['an unknown source', { score: 5, source: 'rotten' }],
      ['an unknown property', { score: 5, stars: 3 }],
      ['a rated_at that is not a date-time', { score: 5, rated_at: 'yesterday' }],
      ['a leap-second rated_at', { score: 5, rated_at: '2016-12-31T23:59:60Z' }],
      ['a huge scale bound', { value: 1, scale: { min: 0, max: 1e300 } }]
    ])('answers 400 VALIDATION_FAILED for %s, writing nothing', async (_name, body) => {
      const movieId = await createMovie()
      const res = await put(movieId, user(), body)
      expect(res.statusCode).toBe(400)
      expect(res.json().error.code).toBe('VALIDATION_FAILED')
      expect(await stored(movieId)).toMatchObject({ rating_count: 0, actual_count: 0, locked: false })
    })

    it('answers 400 for ids outside the id pattern', async () => {
      const movieId = await createMovie()
      const res = await put(movieId, 'bad%20id', { score: 5 })
      expect(res.statusCode).toBe(400)
      expect(res.json().error.code).toBe('VALIDATION_FAILED')
    })
  })

  describe('DELETE /movies/:movie_id/ratings/:user_id', () => {
    it('deletes the rating (204) and takes it out of the aggregates', async () => {
      const movieId = await createMovie()
      const [a, b] = [user(), user()]
      await put(movieId, a, { score: 3 })
      await put(movieId, b, { score: 6 })
      const res = await app.inject({ method: 'DELETE', url: `/movies/${movieId}/ratings/${a}` })
      expect(res.statusCode).toBe(204)
      expect(res.body).toBe('')
      expect(await stored(movieId)).toEqual({
        rating_count: 1,
        rating_sum: 6,
        rating_mean: 6,
        locked: false,
        actual_count: 1,
        actual_sum: 6
      })
      const last = await app.inject({ method: 'DELETE', url: `/movies/${movieId}/ratings/${b}` })
      expect(last.statusCode).toBe(204)
      expect(await stored(movieId)).toEqual({
        rating_count: 0,
        rating_sum: 0,
        rating_mean: null,
        locked: false,
        actual_count: 0,
        actual_sum: 0
      })
      const users = await db.readRows<{ user_id: string }>(
        `MATCH (u:User) WHERE u.user_id IN [$a, $b] RETURN u.user_id AS user_id`,
        { a, b }
      )
      expect(users).toHaveLength(2)
    })

    it('answers 404 when the rating, or the movie, does not exist', async () => {
      const movieId = await createMovie()
      const userId = user()
      await put(movieId, userId, { score: 5 })
      const noRating = await app.inject({ method: 'DELETE', url: `/movies/${movieId}/ratings/${user()}` })
      expect(noRating.statusCode).toBe(404)
      expect(noRating.json().error.code).toBe('NOT_FOUND')
      const noMovie = await app.inject({ method: 'DELETE', url: `/movies/${tag}-nothing/ratings/${userId}` })
      expect(noMovie.statusCode).toBe(404)
      await app.inject({ method: 'DELETE', url: `/movies/${movieId}/ratings/${userId}` })
      const twice = await app.inject({ method: 'DELETE', url: `/movies/${movieId}/ratings/${userId}` })
      expect(twice.statusCode).toBe(404)
      expect(await stored(movieId)).toMatchObject({ rating_count: 0, actual_count: 0, locked: false })
    })
  })

  describe('GET /movies/:movie_id/ratings', () => {
    it('summarises count and mean from the aggregates and the distribution by whole point', async () => {
      const movieId = await createMovie()
      const scores = [0, 0.5, 1, 4.25, 4.75, 9.99, 10, 10]
      for (const score of scores) await put(movieId, user(), { score })
      const res = await app.inject(`/movies/${movieId}/ratings?limit=2`)
      expect(res.statusCode).toBe(200)
      const { summary, items } = res.json()
      expect(items).toHaveLength(2)
      const expected = [2, 1, 0, 0, 2, 0, 0, 0, 0, 1, 2]
      expect(summary).toEqual({
        count: 8,
        mean: scores.reduce((a, b) => a + b, 0) / 8,
        distribution: expected.map((count, bucket) => ({ bucket, count }))
      })
    })

    it('serves count and mean from the movie node, not from a scan', async () => {
      const movieId = await createMovie()
      await put(movieId, user(), { score: 2 })
      await db.writeRows(`MATCH (m:Movie {movie_id: $id}) SET m.rating_count = 41, m.rating_mean = 6.5`, {
        id: movieId
      })
      const { summary } = (await app.inject(`/movies/${movieId}/ratings`)).json()
      expect(summary.count).toBe(41)
      expect(summary.mean).toBe(6.5)
    })

    it('gives an empty page, count 0, mean null and eleven empty buckets for an unrated movie', async () => {
      const movieId = await createMovie()
      const res = await app.inject(`/movies/${movieId}/ratings`)
      expect(res.statusCode).toBe(200)
      expect(res.json()).toEqual({
        items: [],
        next_cursor: null,
        summary: {
          count: 0,
          mean: null,
          distribution: Array.from({ length: 11 }, (_, bucket) => ({ bucket, count: 0 }))
        }
      })
    })

    it('pages newest first without duplicates or gaps while ratings arrive between pages', async () => {
      const movieId = await createMovie()
      // Three share one instant, so the rating id has to break the tie.
      const times = [
        '2020-01-01T00:00:07.000Z',
        '2020-01-01T00:00:06.000Z',
        '2020-01-01T00:00:05.000Z',
        '2020-01-01T00:00:05.000Z',
        '2020-01-01T00:00:05.000Z',
        '2020-01-01T00:00:04.000Z',
        '2020-01-01T00:00:03.000Z'
      ]
      const originals: string[] = []
      for (const [i, rated_at] of times.entries()) {
        const userId = user()
        originals.push(ratingId(userId, movieId))
        expect((await put(movieId, userId, { score: i, rated_at })).statusCode).toBe(201)
      }
      const seen: Rating[] = []
      let cursor: string | null = null
      let pages = 0
      do {
        const url: string = `/movies/${movieId}/ratings?limit=3${cursor ? `&cursor=${cursor}` : ''}`
        const res = await app.inject(url)
        expect(res.statusCode).toBe(200)
        const page = res.json<{ items: Rating[]; next_cursor: string | null }>()
        seen.push(...page.items)
        cursor = page.next_cursor
        pages++
        // Newer than everything seen: lands before the cursor and must not shift the pages.
        await put(movieId, user(), { score: 1, rated_at: `2020-01-02T00:00:0${pages}.000Z` })
      } while (cursor)
      expect(pages).toBe(3)
      const ids = seen.map((r) => r.rating_id)
      expect(new Set(ids).size).toBe(ids.length)
      expect([...ids].sort()).toEqual([...originals].sort())
      const order = seen.map((r) => [r.rated_at, r.rating_id] as const)
      const sorted = [...order].sort((x, y) =>
        x[0] === y[0] ? y[1].localeCompare(x[1]) : y[0].localeCompare(x[0])
      )
      expect(order).toEqual(sorted)
    })

    it('keeps pages exact for timestamps finer than a millisecond', async () => {
      const movieId = await createMovie()
      const users = [user(), user(), user()]
      for (const u of users) await put(movieId, u, { score: 5 })
      // Same millisecond, different microseconds: a millisecond cursor would skip one of them.
      await db.writeRows(
        `UNWIND range(0, size($ids) - 1) AS i
         MATCH (r:Rating {rating_id: $ids[i]})
         SET r.rated_at = datetime('2022-05-05T10:00:00.123' + toString(400 + i) + 'Z')`,
        { ids: users.map((u) => ratingId(u, movieId)) }
      )
      const first = (await app.inject(`/movies/${movieId}/ratings?limit=1`)).json()
      const second = (
        await app.inject(`/movies/${movieId}/ratings?limit=1&cursor=${first.next_cursor}`)
      ).json()
      const third = (
        await app.inject(`/movies/${movieId}/ratings?limit=1&cursor=${second.next_cursor}`)
      ).json()
      expect([first, second, third].map((p) => p.items[0].user_id)).toEqual([...users].reverse())
      expect(third.next_cursor).toBeNull()
    })

    it('answers 404 for an unknown movie and 400 for bad paging', async () => {
      const missing = await app.inject(`/movies/${tag}-none/ratings`)
      expect(missing.statusCode).toBe(404)
      expect(missing.json().error.code).toBe('NOT_FOUND')
      const movieId = await createMovie()
      for (const query of ['limit=0', 'limit=101', 'limit=abc', 'cursor=', 'other=1']) {
        const res = await app.inject(`/movies/${movieId}/ratings?${query}`)
        expect(res.statusCode, query).toBe(400)
        expect(res.json().error.code, query).toBe('VALIDATION_FAILED')
      }
      const forged = [
        'not-a-cursor',
        encodeCursor({ sort: 'searched_at_desc', key: '1:0', id: 'x' }),
        encodeCursor({ sort: 'rated_at_desc', key: 'yesterday', id: 'x' }),
        encodeCursor({ sort: 'rated_at_desc', key: 12, id: 'x' }),
        encodeCursor({ sort: 'rated_at_desc', key: '999999999999:0', id: 'x' })
      ]
      for (const cursor of forged) {
        const res = await app.inject(`/movies/${movieId}/ratings?cursor=${cursor}`)
        expect(res.statusCode, cursor).toBe(400)
        expect(res.json().error.code, cursor).toBe('VALIDATION_FAILED')
      }
    })
  })

  describe('GET /users/:user_id/ratings', () => {
    it("pages a user's ratings newest first with movie id and title", async () => {
      const userId = user()
      const movies = [
        await createMovie('First Film'),
        await createMovie('Second Film'),
        await createMovie('Third Film')
      ]
      await put(movies[0] as string, userId, { score: 1, rated_at: '2020-01-01T00:00:00.000Z' })
      await put(movies[1] as string, userId, { score: 2, rated_at: '2020-01-03T00:00:00.000Z' })
      await put(movies[2] as string, userId, { score: 3, rated_at: '2020-01-02T00:00:00.000Z' })
      const first = await app.inject(`/users/${userId}/ratings?limit=2`)
      expect(first.statusCode).toBe(200)
      const page1 = first.json<{ items: Rating[]; next_cursor: string | null }>()
      expect(page1.items.map((r) => [r.movie_id, r.title, r.score])).toEqual([
        [movies[1], 'Second Film', 2],
        [movies[2], 'Third Film', 3]
      ])
      expect(page1.items[0]).toMatchObject({
        user_id: userId,
        rating_id: ratingId(userId, movies[1] as string)
      })
      // A rating older than the cursor arriving between pages belongs on the later page.
      const late = await createMovie('Late Film')
      await put(late, userId, { score: 4, rated_at: '2019-12-31T00:00:00.000Z' })
      const page2 = (await app.inject(`/users/${userId}/ratings?limit=2&cursor=${page1.next_cursor}`)).json()
      expect(page2.items.map((r: Rating) => [r.movie_id, r.title])).toEqual([
        [movies[0], 'First Film'],
        [late, 'Late Film']
      ])
      expect(page2.next_cursor).toBeNull()
    })

    it('answers 404 for a user that does not exist, 200 with no items for one without ratings', async () => {
      const missing = await app.inject(`/users/${tag}-nobody/ratings`)
      expect(missing.statusCode).toBe(404)
      expect(missing.json().error.code).toBe('NOT_FOUND')
      const movieId = await createMovie()
      const userId = user()
      await put(movieId, userId, { score: 5 })
      await app.inject({ method: 'DELETE', url: `/movies/${movieId}/ratings/${userId}` })
      const empty = await app.inject(`/users/${userId}/ratings`)
      expect(empty.statusCode).toBe(200)
      expect(empty.json()).toEqual({ items: [], next_cursor: null })
    })
  })

  describe('aggregates under concurrent writers', () => {
    // Hundreds of writers queue on one movie's lock by design, holding pool connections while
    // they wait; on a server shared with other test files that can outlast the default 5 s
    // acquisition timeout. This block is about exactness, so it gives the queue time.
    let patient: FastifyInstance

    beforeAll(async () => {
      patient = await buildTestApp({ NEO4J_CONNECTION_TIMEOUT_MS: '60000', NEO4J_TX_TIMEOUT_MS: '60000' })
    })

    afterAll(async () => {
      await patient?.close()
    })

    /** Quarter points are exact in binary floating point, so sums can be compared exactly. */
    function quarter(i: number, salt: number): number {
      return ((i * 7 + salt * 13) % 41) / 4
    }

    it('stay exact after 200 concurrent first ratings by 200 users', async () => {
      const movieId = await createMovie()
      const users = Array.from({ length: 200 }, () => user())
      const responses = await Promise.all(
        users.map((u, i) => put(movieId, u, { score: quarter(i, 1) }, patient))
      )
      expect(responses.map((r) => r.statusCode)).toEqual(users.map(() => 201))
      const expectedSum = users.reduce((sum, _u, i) => sum + quarter(i, 1), 0)
      const s = await stored(movieId)
      expect(s).toEqual({
        rating_count: 200,
        rating_sum: expectedSum,
        rating_mean: expectedSum / 200,
        locked: false,
        actual_count: 200,
        actual_sum: expectedSum
      })
    })

    it('stay exact with concurrent re-rates by the same users, new raters and deletions', async () => {
      const movieId = await createMovie()
      const users = Array.from({ length: 200 }, () => user())
      await Promise.all(users.map((u, i) => put(movieId, u, { score: quarter(i, 2) }, patient)))

      // Every user re-rates twice at once; 50 newcomers rate twice at once; 20 users delete.
      const newcomers = Array.from({ length: 50 }, () => user())
      const leaving = users.slice(0, 20)
      const staying = users.slice(20)
      const requests = [
        ...staying.flatMap((u, i) => [
          put(movieId, u, { score: quarter(i, 3) }, patient),
          put(movieId, u, { score: quarter(i, 4) }, patient)
        ]),
        ...newcomers.flatMap((u, i) => [
          put(movieId, u, { score: quarter(i, 5) }, patient),
          put(movieId, u, { score: quarter(i, 6) }, patient)
        ]),
        ...leaving.map((u) => patient.inject({ method: 'DELETE', url: `/movies/${movieId}/ratings/${u}` }))
      ]
      const statuses = (await Promise.all(requests)).map((r) => r.statusCode)
      expect(statuses.filter((s) => s === 201)).toHaveLength(50)
      expect(statuses.filter((s) => s === 200)).toHaveLength(180 * 2 + 50)
      expect(statuses.filter((s) => s === 204)).toHaveLength(20)

      const s = await stored(movieId)
      expect(s.locked).toBe(false)
      expect(s.actual_count).toBe(230)
      expect(s.rating_count).toBe(s.actual_count)
      expect(s.rating_sum).toBe(s.actual_sum)
      expect(s.rating_mean).toBe(s.actual_sum / s.actual_count)

      const [graph] = await db.readRows<{ ratings: number; per_user_max: number }>(
        `MATCH (m:Movie {movie_id: $movie_id})<-[:RATES]-(r:Rating)<-[:GAVE]-(u:User)
         WITH u, count(r) AS n
         RETURN count(u) AS ratings, max(n) AS per_user_max`,
        { movie_id: movieId }
      )
      expect(graph).toEqual({ ratings: 230, per_user_max: 1 })

      const { summary } = (await patient.inject(`/movies/${movieId}/ratings`)).json()
      expect(summary.count).toBe(230)
      expect(summary.mean).toBe(s.actual_sum / 230)
      expect(summary.distribution.reduce((sum: number, b: { count: number }) => sum + b.count, 0)).toBe(230)
    })
  })
})
