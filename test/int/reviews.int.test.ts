import { randomInt } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import type { Database } from '../../src/db/database.js'
import { buildTestApp } from '../helpers/app.js'
import { digitsBetween, INT64_MAX, MAX_SAFE, tmdbId, tweetId } from '../helpers/ids.js'
import { insertMovie, removeTaggedAndClose, storedAggregates } from '../helpers/movies.js'
import type { ReviewAggregates } from '../helpers/movies.js'
import { testDatabase, uid } from '../helpers/neo4j.js'

const POSITIVE = 'I absolutely loved this movie! The acting was wonderful and the story is beautiful.'
const NEGATIVE = 'This was a terrible, boring and awful film. I hated every minute of it.'

interface Review {
  review_id: string
  movie_id: string
  source: string
  tweet_id: string | null
  author: string | null
  author_id: string | null
  content: string
  language: string | null
  url: string | null
  created_at: string
  updated_at: string
  sentiment_score: number
  sentiment_label: string
  retweet_count: number
}

describe('reviews', () => {
  let app: FastifyInstance
  let db: Database
  const tag = uid('reviews-test')

  beforeAll(async () => {
    app = await buildTestApp()
    db = testDatabase()
  })

  afterAll(() => removeTaggedAndClose(tag, db, app))

  /** Stands in for POST /movies: a movie with zeroed aggregates, as the movie routes create it. */
  async function createMovie(withTmdbId = false): Promise<{ movie_id: string; tmdb_id: number | null }> {
    const movie = { movie_id: uid('movie'), tmdb_id: withTmdbId ? tmdbId() : null }
    await insertMovie(db, tag, movie)
    return movie
  }

  /** The movie's stored aggregates agree with its reviews as they are now. */
  async function expectExactAggregates(movie_id: string, count: number): Promise<ReviewAggregates> {
    const a = await storedAggregates(db, movie_id, 'reviews')
    expect(a.locked).toBe(false)
    expect(a.actual_count).toBe(count)
    expect(a.review_count).toBe(count)
    expect(a.sentiment_sum).toBeCloseTo(a.actual_sum, 9)
    if (count === 0) expect(a.sentiment_mean).toBeNull()
    else expect(a.sentiment_mean!).toBeCloseTo(a.actual_sum / count, 9)
    return a
  }

  function post(movie_id: string, body: unknown) {
    return app.inject({ method: 'POST', url: `/movies/${movie_id}/reviews`, payload: body as object })
  }

  async function created(movie_id: string, body: Record<string, unknown>): Promise<Review> {
    const res = await post(movie_id, { source: 'user', ...body })
    expect(res.statusCode, res.body).toBe(201)
    return res.json()
  }

  describe('single reviews', () => {
    it('creates, reads, updates and deletes a review, keeping the movie aggregates exact', async () => {
      const { movie_id } = await createMovie()
      const author_id = `${tag}-user-${randomInt(1e9)}`
      const tweet_id = tweetId()
      const sent = {
        source: 'tweet',
        tweet_id,
        author: 'Ana',
        author_id,
        content: POSITIVE,
        language: 'en',
        url: 'https://example.org/status/1',
        retweet_count: 3
      }
      const res = await post(movie_id, sent)
      expect(res.statusCode).toBe(201)
      const review: Review = res.json()
      expect(review).toMatchObject({ movie_id, ...sent, sentiment_label: 'positive' })
      expect(review.review_id).toMatch(/^[0-9a-f-]{36}$/)
      expect(review.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
      await expectExactAggregates(movie_id, 1)

      const [user] = await db.readRows<{ n: number; created: boolean }>(
        `MATCH (u:User {user_id: $author_id})-[:WROTE]->(:Review {review_id: $review_id})
         RETURN count(u) AS n, u.created_at IS NOT NULL AS created`,
        { author_id, review_id: review.review_id }
      )
      expect(user).toEqual({ n: 1, created: true })

      expect((await app.inject(`/reviews/${review.review_id}`)).json()).toEqual(review)
      expect((await app.inject(`/reviews/by-tweet/${tweet_id}`)).json()).toEqual(review)

      const patched = await app.inject({
        method: 'PATCH',
        url: `/reviews/${review.review_id}`,
        payload: { content: NEGATIVE, author: null, language: 'pt-BR' }
      })
      expect(patched.statusCode).toBe(200)
      const after: Review = patched.json()
      expect(after).toMatchObject({
        content: NEGATIVE,
        author: null,
        language: 'pt-BR',
        sentiment_label: 'negative'
      })
      expect(after.sentiment_score).toBeLessThan(-0.5)
      expect(after.created_at).toBe(review.created_at)
      expect(after.updated_at >= review.updated_at).toBe(true)
      const a = await expectExactAggregates(movie_id, 1)
      expect(a.sentiment_mean).toBeCloseTo(after.sentiment_score, 9)

      const deleted = await app.inject({ method: 'DELETE', url: `/reviews/${review.review_id}` })
      expect(deleted.statusCode).toBe(204)
      expect(deleted.body).toBe('')
      expect((await app.inject(`/reviews/${review.review_id}`)).statusCode).toBe(404)
      const empty = await expectExactAggregates(movie_id, 0)
      expect(empty.sentiment_sum).toBe(0)
      const again = await app.inject({ method: 'DELETE', url: `/reviews/${review.review_id}` })
      expect(again.statusCode).toBe(404)
      expect(again.json().error.code).toBe('NOT_FOUND')
    })

    it('scores sentiment when absent and keeps what the caller gives', async () => {
      const { movie_id } = await createMovie()
      const good = await created(movie_id, { content: POSITIVE })
      expect(good.sentiment_label).toBe('positive')
      expect(good.sentiment_score).toBeGreaterThan(0.5)
      const bad = await created(movie_id, { content: NEGATIVE })
      expect(bad.sentiment_label).toBe('negative')
      expect(bad.sentiment_score).toBeLessThan(-0.5)

      const given = await created(movie_id, { content: POSITIVE, sentiment_score: -0.3 })
      expect(given).toMatchObject({ sentiment_score: -0.3, sentiment_label: 'negative' })
      const both = await created(movie_id, {
        content: NEGATIVE,
        sentiment_score: 0.02,
        sentiment_label: 'positive'
      })
      expect(both).toMatchObject({ sentiment_score: 0.02, sentiment_label: 'positive' })
      const neutral = await created(movie_id, { content: 'fine', sentiment_score: 0.04 })
      expect(neutral.sentiment_label).toBe('neutral')

      // A PATCH with a score keeps it; one that only changes the label leaves the score alone.
      const scored = await app.inject({
        method: 'PATCH',
        url: `/reviews/${good.review_id}`,
        payload: { content: NEGATIVE, sentiment_score: 0.9 }
      })
      expect(scored.json()).toMatchObject({
        content: NEGATIVE,
        sentiment_score: 0.9,
        sentiment_label: 'positive'
      })
      const relabelled = await app.inject({
        method: 'PATCH',
        url: `/reviews/${bad.review_id}`,
        payload: { sentiment_label: 'neutral' }
      })
      expect(relabelled.json()).toMatchObject({
        sentiment_score: bad.sentiment_score,
        sentiment_label: 'neutral'
      })
      // Sending the same content again is not new content: the explicit score stays.
      const same = await app.inject({
        method: 'PATCH',
        url: `/reviews/${given.review_id}`,
        payload: { content: POSITIVE, url: 'https://example.org/r' }
      })
      expect(same.json()).toMatchObject({ sentiment_score: -0.3, url: 'https://example.org/r' })
      await expectExactAggregates(movie_id, 5)
    })

    it('round-trips 19-digit tweet ids as strings, beyond the 64-bit range too', async () => {
      const { movie_id } = await createMovie()
      // 19 digits up to 2^63 - 1, and 19 digits above it that no 64-bit integer can hold; all
      // far beyond 2^53, where a number on the way would lose the last digits.
      const ids = [
        digitsBetween(INT64_MAX - MAX_SAFE, INT64_MAX),
        digitsBetween(INT64_MAX + 1n, 10n ** 19n - 1n)
      ]
      for (const id of ids) {
        expect(id).toMatch(/^[0-9]{19}$/)
        expect(BigInt(id) > MAX_SAFE).toBe(true)
      }
      for (const id of ids) {
        const res = await post(movie_id, { source: 'tweet', tweet_id: id, content: 'same id as ever' })
        expect(res.statusCode, res.body).toBe(201)
        expect(res.json().tweet_id).toBe(id)
        const byTweet = await app.inject(`/reviews/by-tweet/${id}`)
        expect(byTweet.statusCode).toBe(200)
        expect(byTweet.json().tweet_id).toBe(id)
        expect(byTweet.payload).toContain(`"tweet_id":"${id}"`)
        const [stored] = await db.readRows<{ type: string }>(
          'MATCH (r:Review {review_id: $id}) RETURN valueType(r.tweet_id) AS type',
          { id: res.json().review_id }
        )
        expect(stored?.type).toBe('STRING NOT NULL')
        await app.inject({ method: 'DELETE', url: `/reviews/${res.json().review_id}` })
      }
      await expectExactAggregates(movie_id, 0)

      // 2^64 - 1 has 20 digits: longer than any tweet id.
      const tooLong = await post(movie_id, {
        source: 'tweet',
        tweet_id: '18446744073709551615',
        content: 'x'
      })
      expect(tooLong.statusCode).toBe(400)
      expect(tooLong.json().error.code).toBe('VALIDATION_FAILED')
      // As a JSON number the id has lost digits before the service sees it: refused, not rounded.
      const numeric = await app.inject({
        method: 'POST',
        url: `/movies/${movie_id}/reviews`,
        headers: { 'content-type': 'application/json' },
        payload: '{"source":"tweet","tweet_id":9223372036854775807,"content":"x"}'
      })
      expect(numeric.statusCode).toBe(400)
      expect(numeric.json().error).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: [{ path: '/tweet_id' }]
      })
      expect((await app.inject('/reviews/by-tweet/12ab')).statusCode).toBe(400)
      expect((await app.inject('/reviews/by-tweet/18446744073709551615')).statusCode).toBe(400)
      const unknown = await app.inject(`/reviews/by-tweet/${tweetId()}`)
      expect(unknown.statusCode).toBe(404)
      expect(unknown.json().error.code).toBe('NOT_FOUND')
    })

    it('answers 409 for a taken tweet_id or review_id and leaves the aggregates alone', async () => {
      const { movie_id } = await createMovie()
      const other = await createMovie()
      const tweet_id = tweetId()
      const first = await created(movie_id, { source: 'tweet', tweet_id, content: POSITIVE })
      const dupTweet = await post(other.movie_id, { source: 'tweet', tweet_id, content: NEGATIVE })
      expect(dupTweet.statusCode).toBe(409)
      expect(dupTweet.json().error).toMatchObject({
        code: 'CONFLICT',
        details: { field: 'tweet_id', review_id: first.review_id }
      })
      const dupId = await post(movie_id, { source: 'user', review_id: first.review_id, content: NEGATIVE })
      expect(dupId.statusCode).toBe(409)
      expect(dupId.json().error.code).toBe('CONFLICT')
      await expectExactAggregates(movie_id, 1)
      await expectExactAggregates(other.movie_id, 0)
    })

    it('keeps a caller-chosen review_id and created_at, normalized to UTC milliseconds', async () => {
      const { movie_id } = await createMovie()
      const review_id = uid('rev')
      const review = await created(movie_id, {
        review_id,
        content: 'ok',
        created_at: '2021-06-01T12:30:00.123456+02:00'
      })
      expect(review.review_id).toBe(review_id)
      expect(review.created_at).toBe('2021-06-01T10:30:00.123Z')
      // An offset beyond Neo4j's ±18:00 is still a real instant, stored in UTC like any other.
      const farOffset = await created(movie_id, { content: 'ok', created_at: '2021-06-01T23:30:00+23:00' })
      expect(farOffset.created_at).toBe('2021-06-01T00:30:00.000Z')
    })

    it('answers 404 for an unknown movie or review everywhere', async () => {
      const missingMovie = uid('no-movie')
      const missingReview = uid('no-review')
      const responses = await Promise.all([
        post(missingMovie, { source: 'user', content: 'hello' }),
        app.inject(`/movies/${missingMovie}/reviews`),
        app.inject(`/reviews/${missingReview}`),
        app.inject({ method: 'PATCH', url: `/reviews/${missingReview}`, payload: { content: 'x' } }),
        app.inject({ method: 'DELETE', url: `/reviews/${missingReview}` })
      ])
      for (const res of responses) {
        expect(res.statusCode).toBe(404)
        expect(res.json().error.code).toBe('NOT_FOUND')
      }
    })

    it('answers 400 for what the schema refuses', async () => {
      const { movie_id } = await createMovie()
      const { review_id } = await created(movie_id, { content: 'kept' })
      const bad: unknown[] = [
        { source: 'user', content: 'x'.repeat(10_001) },
        { source: 'user', content: '' },
        { source: 'user', content: 'x', sentiment_score: 1.5 },
        { source: 'user', content: 'x', sentiment_score: -1.01 },
        { source: 'user', content: 'x', sentiment_label: 'great' },
        { source: 'user', content: 'x', rating: 5 },
        { source: 'blog', content: 'x' },
        { source: 'tweet', content: 'no tweet id' },
        { source: 'user', content: 'x', url: 'javascript:alert(1)' },
        { source: 'user', content: 'x', language: 'english please' },
        { source: 'user', content: 'x', retweet_count: -1 },
        { source: 'user', content: 'x', created_at: 'yesterday' },
        { source: 'user', content: 'x', review_id: 'has spaces' },
        { content: 'no source' }
      ]
      for (const body of bad) {
        const res = await post(movie_id, body)
        expect(res.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400)
        expect(res.json().error.code).toBe('VALIDATION_FAILED')
      }
      // Valid date-time syntax, but no instant the service can store: refused up front, not a 500.
      for (const created_at of [
        '2016-12-31T23:59:60Z',
        '2020-01-01T00:00:00Z[Europe/Paris]',
        '2021-02-30T00:00:00Z'
      ]) {
        const res = await post(movie_id, { source: 'user', content: 'x', created_at })
        expect(res.statusCode, created_at).toBe(400)
        expect(res.json().error.code).toBe('VALIDATION_FAILED')
      }

      for (const payload of [
        {},
        { content: 'x'.repeat(10_001) },
        { sentiment_score: 2 },
        { movie_id: 'x' }
      ]) {
        const res = await app.inject({ method: 'PATCH', url: `/reviews/${review_id}`, payload })
        expect(res.statusCode).toBe(400)
        expect(res.json().error.code).toBe('VALIDATION_FAILED')
      }
      for (const qs of ['limit=0', 'limit=101', 'sentiment=happy', 'source=blog', 'colour=red']) {
        const res = await app.inject(`/movies/${movie_id}/reviews?${qs}`)
        expect(res.statusCode, qs).toBe(400)
        expect(res.json().error.code).toBe('VALIDATION_FAILED')
      }
      const badCursor = await app.inject(`/movies/${movie_id}/reviews?cursor=not-a-cursor`)
      expect(badCursor.statusCode).toBe(400)
      const forged = Buffer.from(JSON.stringify(['created_at_desc', 'no date', 'x'])).toString('base64url')
      expect((await app.inject(`/movies/${movie_id}/reviews?cursor=${forged}`)).statusCode).toBe(400)
      await expectExactAggregates(movie_id, 1)
    })
  })

  describe('listing', () => {
    it('pages newest first with no duplicates or gaps while reviews arrive between pages', async () => {
      const { movie_id } = await createMovie()
      const base = Date.parse('2022-03-01T00:00:00.000Z')
      // Groups of three share a created_at, so the review_id tie-breaker is exercised.
      const originals = await Promise.all(
        Array.from({ length: 25 }, (_, i) =>
          created(movie_id, {
            content: `review ${i}`,
            created_at: new Date(base + Math.floor(i / 3) * 1000).toISOString()
          })
        )
      )
      const seen: Review[] = []
      let cursor: string | null = null
      let page = 0
      do {
        const res = await app.inject(
          `/movies/${movie_id}/reviews?limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`
        )
        expect(res.statusCode).toBe(200)
        const body: { items: Review[]; next_cursor: string | null } = res.json()
        seen.push(...body.items)
        cursor = body.next_cursor
        // Newer than everything, older than everything, and a tie with what the next page holds.
        await created(movie_id, { content: `newest ${page}` })
        await created(movie_id, {
          content: `oldest ${page}`,
          created_at: new Date(base - 60_000 - page).toISOString()
        })
        await created(movie_id, { content: `tie ${page}`, created_at: new Date(base + 4000).toISOString() })
        page++
      } while (cursor !== null && page < 20)

      const ids = seen.map((r) => r.review_id)
      expect(new Set(ids).size).toBe(ids.length)
      for (const o of originals) expect(ids.filter((id) => id === o.review_id)).toHaveLength(1)
      for (let i = 1; i < seen.length; i++) {
        const [a, b] = [seen[i - 1]!, seen[i]!]
        const ordered =
          a.created_at > b.created_at || (a.created_at === b.created_at && a.review_id > b.review_id)
        expect(ordered, `${a.created_at} ${a.review_id} before ${b.created_at} ${b.review_id}`).toBe(true)
      }
      expect(seen.some((r) => r.content.startsWith('newest'))).toBe(false)
    })

    it('filters by source and by sentiment', async () => {
      const { movie_id } = await createMovie()
      await created(movie_id, { source: 'tweet', tweet_id: tweetId(), content: POSITIVE })
      await created(movie_id, { source: 'tweet', tweet_id: tweetId(), content: NEGATIVE })
      await created(movie_id, { source: 'tmdb', content: POSITIVE })
      await created(movie_id, { source: 'user', content: 'It is a film.', sentiment_score: 0 })

      const list = async (qs: string): Promise<Review[]> => {
        const res = await app.inject(`/movies/${movie_id}/reviews?${qs}`)
        expect(res.statusCode).toBe(200)
        return res.json().items
      }
      expect(await list('')).toHaveLength(4)
      const tweets = await list('source=tweet')
      expect(tweets).toHaveLength(2)
      expect(tweets.every((r) => r.source === 'tweet')).toBe(true)
      const positive = await list('sentiment=positive')
      expect(positive.map((r) => r.source).sort()).toEqual(['tmdb', 'tweet'])
      expect(await list('sentiment=neutral')).toMatchObject([{ source: 'user' }])
      expect(await list('source=tweet&sentiment=negative')).toMatchObject([{ content: NEGATIVE }])
      expect(await list('source=user&sentiment=negative')).toEqual([])
      const empty = await createMovie()
      const none = await app.inject(`/movies/${empty.movie_id}/reviews`)
      expect(none.json()).toEqual({ items: [], next_cursor: null })
    })
  })

  describe('concurrency', () => {
    it('keeps aggregates exact under 50 concurrent creates on one movie', async () => {
      const { movie_id } = await createMovie()
      const responses = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          post(movie_id, {
            source: 'user',
            content: i % 2 ? POSITIVE : NEGATIVE,
            sentiment_score: (i % 21) / 10 - 1
          })
        )
      )
      expect(responses.map((r) => r.statusCode)).toEqual(Array(50).fill(201))
      const a = await expectExactAggregates(movie_id, 50)
      const expectedSum = Array.from({ length: 50 }, (_, i) => (i % 21) / 10 - 1).reduce((s, x) => s + x, 0)
      expect(a.sentiment_sum).toBeCloseTo(expectedSum, 9)
    })

    it('keeps aggregates exact when creates, patches and deletes race', async () => {
      const { movie_id } = await createMovie()
      const existing = await Promise.all(
        Array.from({ length: 20 }, (_, i) => created(movie_id, { content: `r${i}`, sentiment_score: 0.5 }))
      )
      const work = [
        ...existing.slice(0, 10).map((r) => app.inject({ method: 'DELETE', url: `/reviews/${r.review_id}` })),
        ...existing.slice(10).map((r) =>
          app.inject({
            method: 'PATCH',
            url: `/reviews/${r.review_id}`,
            payload: { sentiment_score: -0.25 }
          })
        ),
        ...Array.from({ length: 15 }, () =>
          post(movie_id, { source: 'user', content: 'new', sentiment_score: 1 })
        )
      ]
      const statuses = (await Promise.all(work)).map((r) => r.statusCode)
      expect(statuses).toEqual([...Array(10).fill(204), ...Array(10).fill(200), ...Array(15).fill(201)])
      const a = await expectExactAggregates(movie_id, 25)
      expect(a.sentiment_sum).toBeCloseTo(10 * -0.25 + 15, 9)
    })
  })

  describe('batch import', () => {
    function batch(reviews: unknown) {
      return app.inject({ method: 'POST', url: '/reviews/batch', payload: { reviews } })
    }

    async function graphState(movie_ids: string[]) {
      return db.readRows<Record<string, unknown>>(
        `MATCH (m:Movie) WHERE m.movie_id IN $movie_ids
         OPTIONAL MATCH (r:Review)-[:REVIEWS]->(m)
         OPTIONAL MATCH (u:User)-[:WROTE]->(r)
         WITH m, r, u ORDER BY r.review_id
         RETURN m.movie_id AS movie_id, m.review_count AS review_count, m.sentiment_sum AS sentiment_sum,
                m.sentiment_mean AS sentiment_mean, collect(properties(r)) AS reviews, collect(u.user_id) AS users
         ORDER BY movie_id`,
        { movie_ids }
      )
    }

    it('creates once, answers unchanged when sent again, and rejects bad items with reasons', async () => {
      const a = await createMovie(true)
      const b = await createMovie(true)
      const [t1, t2, t3] = [tweetId(), tweetId(), tweetId()]
      const author_id = `${tag}-user-${randomInt(1e9)}`
      const review_id = uid('batch-rev')
      const items: unknown[] = [
        { movie_id: a.movie_id, source: 'tweet', tweet_id: t1, content: POSITIVE, author_id },
        { tmdb_id: b.tmdb_id, source: 'tweet', tweet_id: t2, content: NEGATIVE, retweet_count: 2 },
        { movie_id: b.movie_id, source: 'tweet', tweet_id: t1, content: 'duplicate inside the batch' },
        { movie_id: uid('no-movie'), source: 'user', content: 'orphan' },
        { movie_id: a.movie_id, source: 'user', content: '' },
        { movie_id: a.movie_id, source: 'tweet', content: 'tweet without its id' },
        42,
        { movie_id: a.movie_id, source: 'user', content: 'by id', review_id, author_id },
        {
          movie_id: a.movie_id,
          tmdb_id: a.tmdb_id,
          source: 'tweet',
          tweet_id: t3,
          content: 'meh',
          sentiment_score: 0.1
        },
        { movie_id: a.movie_id, tmdb_id: b.tmdb_id, source: 'user', content: 'two different movies' },
        { source: 'user', content: 'no movie named' },
        { movie_id: a.movie_id, source: 'user', content: 'x', extra: true },
        { movie_id: a.movie_id, source: 'tweet', tweet_id: 123, content: 'numeric tweet id' }
      ]
      const first = await batch(items)
      expect(first.statusCode).toBe(200)
      const body = first.json()
      expect(body.summary).toEqual({ created: 4, unchanged: 0, updated: 0, rejected: 9 })
      expect(body.results.map((r: { index: number }) => r.index)).toEqual(items.map((_, i) => i))
      const status = body.results.map((r: { status: string }) => r.status)
      expect(status).toEqual([
        'created',
        'created',
        'rejected',
        'rejected',
        'rejected',
        'rejected',
        'rejected',
        'created',
        'created',
        'rejected',
        'rejected',
        'rejected',
        'rejected'
      ])
      const reason = (i: number): string => body.results[i].reason
      expect(reason(2)).toMatch(/duplicate tweet_id \d+ in this batch \(first at index 0\)/)
      expect(reason(3)).toMatch(/movie not found/)
      expect(reason(4)).toMatch(/invalid item: \/content/)
      expect(reason(5)).toMatch(/tweet_id is required when source is tweet/)
      expect(reason(6)).toMatch(/invalid item/)
      expect(reason(9)).toMatch(/movie not found/)
      expect(reason(10)).toMatch(/movie_id or tmdb_id is required/)
      expect(reason(11)).toMatch(/unknown properties: extra/)
      expect(reason(12)).toMatch(/\/tweet_id/)
      expect(body.results[7].review_id).toBe(review_id)
      for (const i of [0, 1, 7, 8]) expect(body.results[i].review_id).toBeTypeOf('string')
      for (const i of [2, 3, 4]) expect(body.results[i].review_id).toBeUndefined()

      const one = (await app.inject(`/reviews/by-tweet/${t1}`)).json()
      expect(one).toMatchObject({ movie_id: a.movie_id, author_id, sentiment_label: 'positive' })
      expect((await app.inject(`/reviews/by-tweet/${t2}`)).json()).toMatchObject({
        movie_id: b.movie_id,
        retweet_count: 2,
        sentiment_label: 'negative'
      })
      expect((await app.inject(`/reviews/by-tweet/${t3}`)).json()).toMatchObject({
        sentiment_score: 0.1,
        sentiment_label: 'positive'
      })
      await expectExactAggregates(a.movie_id, 3)
      await expectExactAggregates(b.movie_id, 1)

      const before = await graphState([a.movie_id, b.movie_id])
      const second = await batch(items)
      expect(second.statusCode).toBe(200)
      expect(second.json().summary).toEqual({ created: 0, unchanged: 4, updated: 0, rejected: 9 })
      for (const i of [0, 1, 7, 8]) {
        expect(second.json().results[i]).toEqual({
          index: i,
          status: 'unchanged',
          review_id: body.results[i].review_id
        })
      }
      expect(await graphState([a.movie_id, b.movie_id])).toEqual(before)
    })

    it('updates a known tweet whose content changed and keeps the aggregates exact', async () => {
      const a = await createMovie(true)
      const b = await createMovie()
      const [t1, t2, t3, t4, t5] = [tweetId(), tweetId(), tweetId(), tweetId(), tweetId()]
      const first = await batch([
        { tmdb_id: a.tmdb_id, source: 'tweet', tweet_id: t1, content: POSITIVE },
        { movie_id: a.movie_id, source: 'tweet', tweet_id: t2, content: 'plain', retweet_count: 1 },
        { movie_id: a.movie_id, source: 'tweet', tweet_id: t3, content: NEGATIVE },
        { movie_id: a.movie_id, source: 'tweet', tweet_id: t5, content: 'stays', author: 'Bo' }
      ])
      expect(first.json().summary).toMatchObject({ created: 4 })
      const t2Before = (await app.inject(`/reviews/by-tweet/${t2}`)).json()

      const second = await batch([
        { tmdb_id: a.tmdb_id, source: 'tweet', tweet_id: t1, content: NEGATIVE },
        { movie_id: a.movie_id, source: 'tweet', tweet_id: t2, content: 'plain', retweet_count: 7 },
        { movie_id: a.movie_id, source: 'tweet', tweet_id: t5, content: 'stays', author: 'Bo' },
        { movie_id: a.movie_id, source: 'tweet', tweet_id: t4, content: POSITIVE },
        { movie_id: b.movie_id, source: 'tweet', tweet_id: t3, content: NEGATIVE },
        { movie_id: a.movie_id, source: 'tweet', tweet_id: t4, content: 'second t4' },
        { movie_id: a.movie_id, source: 'user', tweet_id: t3, content: NEGATIVE }
      ])
      expect(second.statusCode).toBe(200)
      const results = second.json().results
      expect(results.map((r: { status: string }) => r.status)).toEqual([
        'updated',
        'updated',
        'unchanged',
        'created',
        'rejected',
        'rejected',
        'rejected'
      ])
      expect(results[4].reason).toMatch(/different movie/)
      expect(results[5].reason).toMatch(/duplicate tweet_id/)
      expect(results[6].reason).toMatch(/duplicate tweet_id/)
      const t1After = (await app.inject(`/reviews/by-tweet/${t1}`)).json()
      expect(t1After).toMatchObject({ content: NEGATIVE, sentiment_label: 'negative' })
      const t2After = (await app.inject(`/reviews/by-tweet/${t2}`)).json()
      expect(t2After).toMatchObject({ retweet_count: 7, sentiment_score: t2Before.sentiment_score })
      expect(t2After.created_at).toBe(t2Before.created_at)
      await expectExactAggregates(a.movie_id, 5)
      await expectExactAggregates(b.movie_id, 0)
    })

    it('links reviews whose movie was deleted by hand to the movie when it comes back', async () => {
      const a = await createMovie(true)
      const [t1, t2] = [tweetId(), tweetId()]
      const items = [
        { movie_id: a.movie_id, source: 'tweet', tweet_id: t1, content: POSITIVE },
        { movie_id: a.movie_id, source: 'tweet', tweet_id: t2, content: NEGATIVE, author_id: uid('author') }
      ]
      expect((await batch(items)).json().summary).toMatchObject({ created: 2 })
      // Relinking is a write, so only updated_at may differ from the clean state.
      const withoutUpdatedAt = async () =>
        (await graphState([a.movie_id])).map((m: Record<string, unknown>) => ({
          ...m,
          reviews: (m.reviews as Record<string, unknown>[]).map(({ updated_at: _, ...r }) => r)
        }))
      const clean = await withoutUpdatedAt()

      // DETACH DELETE of a movie leaves its Review nodes behind, without their REVIEWS edge.
      await db.writeRows('MATCH (m:Movie {movie_id: $id}) DETACH DELETE m', { id: a.movie_id })
      await insertMovie(db, tag, a)
      const again = await batch(items)
      expect(again.statusCode).toBe(200)
      expect(again.json().summary).toEqual({ created: 0, updated: 2, unchanged: 0, rejected: 0 })
      expect(await withoutUpdatedAt()).toEqual(clean)
      await expectExactAggregates(a.movie_id, 2)

      // Once linked, the same batch changes nothing.
      expect((await batch(items)).json().summary).toMatchObject({ unchanged: 2 })
    })

    it('lets concurrent identical batches create each review once', async () => {
      const a = await createMovie()
      const items = Array.from({ length: 30 }, (_, i) => ({
        movie_id: a.movie_id,
        source: 'tweet',
        tweet_id: tweetId(),
        content: i % 2 ? POSITIVE : NEGATIVE
      }))
      const responses = await Promise.all([batch(items), batch(items), batch(items)])
      expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 200])
      const created = responses.map((r) => r.json().summary.created).sort()
      expect(created).toEqual([0, 0, 30])
      await expectExactAggregates(a.movie_id, 30)
    })

    it('answers 400 for a body that is not a bounded list of reviews', async () => {
      const item = { movie_id: 'x', source: 'user', content: 'x' }
      const bodies: unknown[] = [
        {},
        { reviews: [] },
        { reviews: item },
        { reviews: 'x' },
        { reviews: [item], extra: 1 },
        { reviews: Array.from({ length: 1001 }, () => item) }
      ]
      for (const payload of bodies) {
        const res = await app.inject({ method: 'POST', url: '/reviews/batch', payload: payload as object })
        expect(res.statusCode, JSON.stringify(payload).slice(0, 60)).toBe(400)
        expect(res.json().error.code).toBe('VALIDATION_FAILED')
      }
    })
  })
})
