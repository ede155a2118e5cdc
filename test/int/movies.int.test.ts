import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import type { Database } from '../../src/db/database.js'
import { int } from '../../src/db/convert.js'
import { RELATIONSHIP_TYPES, SYMMETRIC_TYPES } from '../../src/domain/relationship-types.js'
import { buildTestApp } from '../helpers/app.js'
import { expectError } from '../helpers/http.js'
import { imdbId, tmdbId } from '../helpers/ids.js'
import { postMovie } from '../helpers/movies.js'
import { testDatabase, uid } from '../helpers/neo4j.js'

interface MovieJson {
  movie_id: string
  tmdb_id: number | null
  imdb_id: string | null
  title: string
  overview: string | null
  release_date: string | null
  year: number | null
  popularity: number | null
  genres: string[]
  ratings: { count: number; mean: number | null }
  reviews: { count: number; sentiment_mean: number | null }
  relationships: Record<string, number | { out: number; in: number }>
  created_at: string
  updated_at: string
}

describe('movies', () => {
  let app: FastifyInstance
  let db: Database
  const created: string[] = []
  const genresMade: string[] = []

  beforeAll(async () => {
    app = await buildTestApp()
    db = testDatabase()
  })
  afterAll(async () => {
    await db.writeRows('UNWIND $ids AS id MATCH (m:Movie {movie_id: id}) DETACH DELETE m', { ids: created })
    await db.writeRows('UNWIND $names AS name MATCH (g:Genre {name: name}) DETACH DELETE g', {
      names: genresMade
    })
    await db.close()
    await app.close()
  })

  function genre(): string {
    const name = uid('genre')
    genresMade.push(name)
    return name
  }

  async function post(body: Record<string, unknown>): Promise<MovieJson> {
    const movie = (await postMovie(app, body)).json<MovieJson>()
    created.push(movie.movie_id)
    return movie
  }

  describe('create and read', () => {
    it('creates a movie with derived year, genres, empty aggregates and zero relationship counts', async () => {
      const g1 = genre()
      const g2 = genre()
      const tmdb = tmdbId()
      const res = await postMovie(app, {
        tmdb_id: tmdb,
        imdb_id: imdbId(),
        title: '  The Test Movie  ',
        release_date: '1999-03-31',
        runtime: 136,
        popularity: 12.5,
        original_language: 'en',
        genres: [g2, ` ${g1} `, g2]
      })
      const movie = res.json<MovieJson>()
      created.push(movie.movie_id)
      expect(res.headers.location).toBe(`/movies/${movie.movie_id}`)
      expect(movie.movie_id).toMatch(/^[0-9a-f-]{36}$/)
      expect(movie).toMatchObject({
        tmdb_id: tmdb,
        title: 'The Test Movie',
        release_date: '1999-03-31',
        year: 1999,
        runtime: 136,
        popularity: 12.5,
        overview: null,
        genres: [g1, g2].sort(),
        ratings: { count: 0, mean: null },
        reviews: { count: 0, sentiment_mean: null }
      })
      expect(movie.created_at).toBe(movie.updated_at)
      for (const type of RELATIONSHIP_TYPES) {
        expect(movie.relationships[type]).toEqual(
          (SYMMETRIC_TYPES as readonly string[]).includes(type) ? 0 : { out: 0, in: 0 }
        )
      }
    })

    it('stores tmdb_id and the aggregate counts as Integers, release_date as a Date, sums as Floats', async () => {
      const movie = await post({ tmdb_id: tmdbId(), title: 'Typed', release_date: '2001-02-03', runtime: 90 })
      const [row] = await db.readRows<Record<string, string | null>>(
        `MATCH (m:Movie {movie_id: $id})
         RETURN valueType(m.tmdb_id) AS tmdb_id, valueType(m.release_date) AS release_date,
                valueType(m.year) AS year, valueType(m.runtime) AS runtime,
                valueType(m.rating_count) AS rating_count, valueType(m.rating_sum) AS rating_sum,
                valueType(m.review_count) AS review_count, valueType(m.sentiment_sum) AS sentiment_sum,
                m.rating_mean AS rating_mean, m.sentiment_mean AS sentiment_mean, m.title_lower AS title_lower`,
        { id: movie.movie_id }
      )
      expect(row?.tmdb_id).toMatch(/^INTEGER/)
      expect(row?.release_date).toMatch(/^DATE/)
      expect(row?.year).toMatch(/^INTEGER/)
      expect(row?.runtime).toMatch(/^INTEGER/)
      expect(row?.rating_count).toMatch(/^INTEGER/)
      expect(row?.review_count).toMatch(/^INTEGER/)
      expect(row?.rating_sum).toMatch(/^FLOAT/)
      expect(row?.sentiment_sum).toMatch(/^FLOAT/)
      expect(row?.rating_mean).toBeNull()
      expect(row?.sentiment_mean).toBeNull()
      expect(row?.title_lower).toBe('typed')
    })

    it('reads a movie by movie_id and by tmdb_id, with a caller-chosen movie_id', async () => {
      const id = uid('movie')
      const tmdb = tmdbId()
      const movie = await post({ movie_id: id, tmdb_id: tmdb, title: 'Chosen id', year: 1984 })
      expect(movie.movie_id).toBe(id)
      expect(movie.release_date).toBeNull()
      expect(movie.year).toBe(1984)
      const byId = await app.inject(`/movies/${id}`)
      expect(byId.statusCode).toBe(200)
      expect(byId.json()).toEqual(movie)
      const byTmdb = await app.inject(`/movies/by-tmdb/${tmdb}`)
      expect(byTmdb.statusCode).toBe(200)
      expect(byTmdb.json()).toEqual(movie)
    })

    it('answers 404 for an unknown movie_id or tmdb_id', async () => {
      expectError(await app.inject(`/movies/${uid('missing')}`), 404, ['NOT_FOUND'])
      expectError(await app.inject(`/movies/by-tmdb/${tmdbId()}`), 404, ['NOT_FOUND'])
    })

    it('answers 409 naming the field when movie_id, tmdb_id or imdb_id is taken', async () => {
      const tmdb = tmdbId()
      const imdb = imdbId()
      const first = await post({ tmdb_id: tmdb, imdb_id: imdb, title: 'Original' })
      const cases: [Record<string, unknown>, string][] = [
        [{ movie_id: first.movie_id, title: 'Same id' }, 'movie_id'],
        [{ tmdb_id: tmdb, title: 'Same tmdb' }, 'tmdb_id'],
        [{ imdb_id: imdb, title: 'Same imdb' }, 'imdb_id']
      ]
      for (const [body, field] of cases) {
        const res = await app.inject({ method: 'POST', url: '/movies', payload: body })
        expectError(res, 409, ['CONFLICT'])
        expect(res.json().error.details).toEqual({ fields: [field] })
      }
      const [row] = await db.readRows<{ n: number }>('MATCH (m:Movie {tmdb_id: $t}) RETURN count(m) AS n', {
        t: int(tmdb)
      })
      expect(row?.n).toBe(1)
    })

    it('refuses a year that disagrees with release_date', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/movies',
        payload: { title: 'Mismatch', release_date: '2001-01-01', year: 2002 }
      })
      expectError(res, 400, ['VALIDATION_FAILED'])
    })
  })

  describe('validation', () => {
    const tooLong = (n: number) => 'x'.repeat(n)
    const badBodies: [string, Record<string, unknown>][] = [
      ['unknown field', { title: 'x', colour: 'red' }],
      ['aggregate field', { title: 'x', rating_mean: 4 }],
      ['missing title', { year: 2000 }],
      ['blank title', { title: '   ' }],
      ['over-long title', { title: tooLong(501) }],
      ['over-long overview', { title: 'x', overview: tooLong(10_001) }],
      ['year too early', { title: 'x', year: 1869 }],
      ['year too late', { title: 'x', year: 2101 }],
      ['runtime out of range', { title: 'x', runtime: 2001 }],
      ['negative runtime', { title: 'x', runtime: -1 }],
      ['negative popularity', { title: 'x', popularity: -0.5 }],
      ['zero tmdb_id', { title: 'x', tmdb_id: 0 }],
      ['fractional tmdb_id', { title: 'x', tmdb_id: 1.5 }],
      ['huge tmdb_id', { title: 'x', tmdb_id: 2 ** 53 }],
      ['non-numeric tmdb_id', { title: 'x', tmdb_id: 'abc' }],
      ['bad imdb_id', { title: 'x', imdb_id: 'nm0000001' }],
      ['impossible date', { title: 'x', release_date: '2020-02-30' }],
      ['date out of range', { title: 'x', release_date: '1850-01-01' }],
      ['bad movie_id', { title: 'x', movie_id: 'has space' }],
      ['too many genres', { title: 'x', genres: Array.from({ length: 21 }, (_, i) => `g${i}`) }],
      ['over-long genre', { title: 'x', genres: [tooLong(101)] }],
      ['blank genre', { title: 'x', genres: ['  '] }],
      ['bad language', { title: 'x', original_language: 'english!' }]
    ]
    it.each(badBodies)('answers 400 for %s', async (_name, payload) => {
      const res = await app.inject({ method: 'POST', url: '/movies', payload })
      expectError(res, 400, ['VALIDATION_FAILED'])
    })

    it('answers 400 for malformed path parameters', async () => {
      expectError(await app.inject('/movies/by-tmdb/abc'), 400, ['VALIDATION_FAILED'])
      expectError(await app.inject('/movies/by-tmdb/0'), 400, ['VALIDATION_FAILED'])
      expectError(await app.inject('/movies/by-tmdb/99999999999'), 400, ['VALIDATION_FAILED'])
      expectError(await app.inject('/movies/%20bad'), 400, ['VALIDATION_FAILED'])
      expectError(await app.inject(`/movies/${'a'.repeat(129)}`), 400, ['VALIDATION_FAILED'])
    })

    it('answers 400 for a body that is not JSON', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/movies',
        headers: { 'content-type': 'application/json' },
        payload: '{"title":'
      })
      expect(res.statusCode).toBe(400)
      expect(res.json().error.code).toBe('INVALID_JSON')
    })
  })

  describe('patch', () => {
    it('changes, clears and derives fields, keeps aggregates, and leaves updated_at alone on a no-op', async () => {
      const g = genre()
      const movie = await post({
        title: 'Before',
        overview: 'Old text',
        release_date: '1990-05-05',
        genres: [g]
      })
      await db.writeRows(
        `MATCH (m:Movie {movie_id: $id})
         SET m.rating_count = 2, m.rating_sum = 7.0, m.rating_mean = 3.5,
             m.review_count = 1, m.sentiment_sum = 0.25, m.sentiment_mean = 0.25`,
        { id: movie.movie_id }
      )
      const res = await app.inject({
        method: 'PATCH',
        url: `/movies/${movie.movie_id}`,
        payload: { title: 'After', overview: null, release_date: '1995-01-02', genres: [] }
      })
      expect(res.statusCode, res.body).toBe(200)
      const after = res.json() as MovieJson
      expect(after).toMatchObject({
        movie_id: movie.movie_id,
        title: 'After',
        overview: null,
        release_date: '1995-01-02',
        year: 1995,
        genres: [],
        ratings: { count: 2, mean: 3.5 },
        reviews: { count: 1, sentiment_mean: 0.25 }
      })
      expect(after.created_at).toBe(movie.created_at)
      expect(after.updated_at > movie.updated_at).toBe(true)
      const [row] = await db.readRows<{ lower: string; sum: number; has_overview: boolean }>(
        `MATCH (m:Movie {movie_id: $id})
         RETURN m.title_lower AS lower, m.rating_sum AS sum, m.overview IS NOT NULL AS has_overview`,
        { id: movie.movie_id }
      )
      expect(row).toEqual({ lower: 'after', sum: 7, has_overview: false })

      const again = await app.inject({
        method: 'PATCH',
        url: `/movies/${movie.movie_id}`,
        payload: { title: 'After' }
      })
      expect(again.statusCode).toBe(200)
      expect(again.json().updated_at).toBe(after.updated_at)
    })

    it('checks year against the stored release_date', async () => {
      const movie = await post({ title: 'Dated', release_date: '2010-10-10' })
      const url = `/movies/${movie.movie_id}`
      expectError(await app.inject({ method: 'PATCH', url, payload: { year: 2011 } }), 400, [
        'VALIDATION_FAILED'
      ])
      expectError(await app.inject({ method: 'PATCH', url, payload: { year: null } }), 400, [
        'VALIDATION_FAILED'
      ])
      const ok = await app.inject({ method: 'PATCH', url, payload: { year: 2010 } })
      expect(ok.statusCode).toBe(200)
      const cleared = await app.inject({ method: 'PATCH', url, payload: { release_date: null, year: null } })
      expect(cleared.statusCode).toBe(200)
      expect(cleared.json()).toMatchObject({ release_date: null, year: null })
    })

    it('answers 409 naming the field for a tmdb_id or imdb_id another movie has', async () => {
      const tmdb = tmdbId()
      const imdb = imdbId()
      await post({ title: 'Holder', tmdb_id: tmdb, imdb_id: imdb })
      const movie = await post({ title: 'Patched' })
      const url = `/movies/${movie.movie_id}`
      const t = await app.inject({ method: 'PATCH', url, payload: { tmdb_id: tmdb } })
      expectError(t, 409, ['CONFLICT'])
      expect(t.json().error.details).toEqual({ fields: ['tmdb_id'] })
      const i = await app.inject({ method: 'PATCH', url, payload: { imdb_id: imdb, title: 'Renamed' } })
      expectError(i, 409, ['CONFLICT'])
      expect(i.json().error.details).toEqual({ fields: ['imdb_id'] })
      // Nothing of a refused patch is applied.
      expect((await app.inject(url)).json().title).toBe('Patched')
    })

    it('answers 400 for empty, unknown-field, id-changing and aggregate patches, 404 for an unknown movie', async () => {
      const movie = await post({ title: 'Strict' })
      const url = `/movies/${movie.movie_id}`
      for (const payload of [
        {},
        { movie_id: uid('x') },
        { rating_count: 3 },
        { sentiment_mean: 0.1 },
        { title: null }
      ]) {
        expectError(await app.inject({ method: 'PATCH', url, payload }), 400, ['VALIDATION_FAILED'])
      }
      expectError(
        await app.inject({ method: 'PATCH', url: `/movies/${uid('missing')}`, payload: { title: 'x' } }),
        404,
        ['NOT_FOUND']
      )
    })
  })

  describe('PUT by tmdb_id', () => {
    it('creates once, then repeats without a second node or any change, then replaces', async () => {
      const tmdb = tmdbId()
      const g = genre()
      const body = {
        title: 'Upserted',
        release_date: '2005-06-07',
        popularity: 3,
        genres: [g],
        overview: 'Text'
      }
      const first = await app.inject({ method: 'PUT', url: `/movies/by-tmdb/${tmdb}`, payload: body })
      expect(first.statusCode, first.body).toBe(201)
      const one = first.json() as MovieJson
      created.push(one.movie_id)
      expect(one).toMatchObject({ tmdb_id: tmdb, year: 2005, genres: [g], ratings: { count: 0, mean: null } })

      const second = await app.inject({ method: 'PUT', url: `/movies/by-tmdb/${tmdb}`, payload: body })
      expect(second.statusCode).toBe(200)
      expect(second.json()).toEqual(one)
      const [count] = await db.readRows<{ n: number; type: string }>(
        'MATCH (m:Movie {tmdb_id: $t}) RETURN count(m) AS n, collect(valueType(m.tmdb_id))[0] AS type',
        { t: int(tmdb) }
      )
      expect(count?.n).toBe(1)
      expect(count?.type).toMatch(/^INTEGER/)

      // Aggregates belong to the rating writers: a replace leaves them as they are.
      await db.writeRows(
        'MATCH (m:Movie {tmdb_id: $t}) SET m.rating_count = 1, m.rating_sum = 4.0, m.rating_mean = 4.0',
        {
          t: int(tmdb)
        }
      )
      const replaced = await app.inject({
        method: 'PUT',
        url: `/movies/by-tmdb/${tmdb}`,
        payload: { title: 'Replaced', tmdb_id: tmdb }
      })
      expect(replaced.statusCode).toBe(200)
      const r = replaced.json() as MovieJson
      expect(r).toMatchObject({
        movie_id: one.movie_id,
        title: 'Replaced',
        release_date: null,
        year: null,
        popularity: null,
        overview: null,
        genres: [g],
        ratings: { count: 1, mean: 4 }
      })
      expect(r.created_at).toBe(one.created_at)
      expect(r.updated_at > one.updated_at).toBe(true)
    })

    it('leaves one node when identical PUTs race', async () => {
      const tmdb = tmdbId()
      const body = { title: 'Raced', year: 2020 }
      const results = await Promise.all(
        Array.from({ length: 6 }, () =>
          app.inject({ method: 'PUT', url: `/movies/by-tmdb/${tmdb}`, payload: body })
        )
      )
      const statuses = results.map((r) => r.statusCode).sort()
      expect(statuses).toEqual([200, 200, 200, 200, 200, 201])
      const ids = new Set(results.map((r) => (r.json() as MovieJson).movie_id))
      expect(ids.size).toBe(1)
      created.push(...ids)
      const [row] = await db.readRows<{ n: number }>('MATCH (m:Movie {tmdb_id: $t}) RETURN count(m) AS n', {
        t: int(tmdb)
      })
      expect(row?.n).toBe(1)
    })

    it('refuses a body tmdb_id that differs from the path, and a movie_id that differs from the stored one', async () => {
      const tmdb = tmdbId()
      expectError(
        await app.inject({
          method: 'PUT',
          url: `/movies/by-tmdb/${tmdb}`,
          payload: { title: 'x', tmdb_id: tmdb + 1 }
        }),
        400,
        ['VALIDATION_FAILED']
      )
      const id = uid('movie')
      const first = await app.inject({
        method: 'PUT',
        url: `/movies/by-tmdb/${tmdb}`,
        payload: { title: 'Keyed', movie_id: id }
      })
      expect(first.statusCode).toBe(201)
      created.push(id)
      const other = await app.inject({
        method: 'PUT',
        url: `/movies/by-tmdb/${tmdb}`,
        payload: { title: 'Changed', movie_id: uid('movie') }
      })
      expectError(other, 409, ['CONFLICT'])
      expect(other.json().error.details).toEqual({ fields: ['movie_id'] })
      expect((await app.inject(`/movies/${id}`)).json().title).toBe('Keyed')
    })

    it('answers 409 when the imdb_id belongs to another movie', async () => {
      const imdb = imdbId()
      await post({ title: 'Imdb holder', imdb_id: imdb })
      const res = await app.inject({
        method: 'PUT',
        url: `/movies/by-tmdb/${tmdbId()}`,
        payload: { title: 'Clash', imdb_id: imdb }
      })
      expectError(res, 409, ['CONFLICT'])
      expect(res.json().error.details).toEqual({ fields: ['imdb_id'] })
    })
  })

  describe('genres of a movie', () => {
    it('replaces the set, creating missing genres, and answers 404 for an unknown movie', async () => {
      const [a, b, c] = [genre(), genre(), genre()]
      const movie = await post({ title: 'Genred', genres: [a, b] })
      const res = await app.inject({
        method: 'PUT',
        url: `/movies/${movie.movie_id}/genres`,
        payload: { genres: [c, b, c] }
      })
      expect(res.statusCode, res.body).toBe(200)
      expect(res.json()).toEqual({ movie_id: movie.movie_id, genres: [b, c].sort() })
      expect((await app.inject(`/genres/${encodeURIComponent(c)}`)).statusCode).toBe(200)
      expect((await app.inject(`/movies/${movie.movie_id}`)).json().genres).toEqual([b, c].sort())
      expectError(
        await app.inject({
          method: 'PUT',
          url: `/movies/${uid('missing')}/genres`,
          payload: { genres: [a] }
        }),
        404,
        ['NOT_FOUND']
      )
      expectError(
        await app.inject({
          method: 'PUT',
          url: `/movies/${movie.movie_id}/genres`,
          payload: { genres: 'x' }
        }),
        400,
        ['VALIDATION_FAILED']
      )
    })
  })

  describe('relationship counts', () => {
    // Counted by hand. The hub has more than 50 edges, so Neo4j stores it as a dense node whose
    // degrees per type and direction are kept apart; the small movie is not dense. Edges to
    // ratings, genres and searches are not movie-to-movie edges and count for nothing.
    it('counts each type and direction on a hub and on a small movie, and follows a delete', async () => {
      const hub = await post({ title: 'Hub Movie', genres: [genre()] })
      const small = await post({ title: 'Small Movie' })
      const others = await Promise.all(
        Array.from({ length: 66 }, (_, i) => post({ title: `Neighbour ${i}` }))
      )
      const ids = others.map((m) => m.movie_id)
      const [n0, n1] = ids
      const search = uid('search')
      const ratings = Array.from({ length: 5 }, () => uid('rating'))
      await db.writeRows(
        `MATCH (h:Movie {movie_id: $hub}), (l:Movie {movie_id: $small})
         UNWIND range(0, 59) AS i
         MATCH (o:Movie {movie_id: $ids[i]})
         FOREACH (_ IN CASE WHEN i % 2 = 0 THEN [1] ELSE [] END | CREATE (h)-[:SIMILAR_TO {source: 'tmdb'}]->(o))
         FOREACH (_ IN CASE WHEN i % 2 = 1 THEN [1] ELSE [] END | CREATE (o)-[:SIMILAR_TO {source: 'tmdb'}]->(h))
         WITH DISTINCT h, l
         MATCH (a:Movie {movie_id: $n60}), (b:Movie {movie_id: $n61}), (c:Movie {movie_id: $n62}),
               (d:Movie {movie_id: $n63}), (e:Movie {movie_id: $n64}), (f:Movie {movie_id: $n65})
         CREATE (h)-[:SAME_FRANCHISE]->(a), (b)-[:SAME_FRANCHISE]->(h),
                (h)-[:SEQUEL_OF]->(c), (d)-[:SEQUEL_OF]->(h), (e)-[:SEQUEL_OF]->(h), (l)-[:SEQUEL_OF]->(h),
                (f)-[:REMAKE_OF]->(h), (h)-[:INSPIRED_BY]->(a), (h)-[:INSPIRED_BY]->(b),
                (l)-[:SIMILAR_TO {source: 'editorial'}]->(a), (b)-[:SIMILAR_TO {source: 'tmdb'}]->(l)
         CREATE (s:Search {search_id: $search})-[:RETURNED]->(h), (s)-[:SELECTED]->(h)
         WITH h
         UNWIND $ratings AS rating
         CREATE (:Rating {rating_id: rating})-[:RATES]->(h)`,
        {
          hub: hub.movie_id,
          small: small.movie_id,
          ids,
          n60: ids[60],
          n61: ids[61],
          n62: ids[62],
          n63: ids[63],
          n64: ids[64],
          n65: ids[65],
          search,
          ratings
        }
      )
      try {
        const read = async (id: string): Promise<MovieJson['relationships']> => {
          const res = await app.inject(`/movies/${id}`)
          expect(res.statusCode).toBe(200)
          return res.json<MovieJson>().relationships
        }
        expect(await read(hub.movie_id)).toEqual({
          SIMILAR_TO: 60,
          SAME_FRANCHISE: 2,
          SEQUEL_OF: { out: 1, in: 3 },
          REMAKE_OF: { out: 0, in: 1 },
          SPINOFF_OF: { out: 0, in: 0 },
          INSPIRED_BY: { out: 2, in: 0 }
        })
        expect(await read(small.movie_id)).toEqual({
          SIMILAR_TO: 2,
          SAME_FRANCHISE: 0,
          SEQUEL_OF: { out: 1, in: 0 },
          REMAKE_OF: { out: 0, in: 0 },
          SPINOFF_OF: { out: 0, in: 0 },
          INSPIRED_BY: { out: 0, in: 0 }
        })
        // One neighbour of each similarity direction and a sequel go: the stored degrees follow.
        expect((await app.inject({ method: 'DELETE', url: `/movies/${n0}` })).statusCode).toBe(204)
        expect((await app.inject({ method: 'DELETE', url: `/movies/${n1}` })).statusCode).toBe(204)
        expect((await app.inject({ method: 'DELETE', url: `/movies/${ids[63]}` })).statusCode).toBe(204)
        expect(await read(hub.movie_id)).toMatchObject({ SIMILAR_TO: 58, SEQUEL_OF: { out: 1, in: 2 } })
      } finally {
        await db.writeRows(
          `MATCH (s:Search {search_id: $search}) DETACH DELETE s
           WITH 1 AS one
           UNWIND $ratings AS rating MATCH (r:Rating {rating_id: rating}) DETACH DELETE r`,
          { search, ratings }
        )
      }
    })
  })

  describe('delete', () => {
    it('removes the movie, its reviews, ratings and edges; keeps searches, users and genres', async () => {
      const g = genre()
      const a = await post({ title: 'Doomed', genres: [g] })
      const b = await post({ title: 'Survivor', genres: [g] })
      const ids = { review: uid('review'), rating: uid('rating'), user: uid('user'), search: uid('search') }
      await db.writeRows(
        `MATCH (a:Movie {movie_id: $a}), (b:Movie {movie_id: $b})
         CREATE (u:User {user_id: $user})
         CREATE (u)-[:WROTE]->(:Review {review_id: $review})-[:REVIEWS]->(a)
         CREATE (u)-[:GAVE]->(:Rating {rating_id: $rating})-[:RATES]->(a)
         CREATE (a)-[:SIMILAR_TO]->(b), (a)-[:SEQUEL_OF]->(b), (b)-[:SAME_FRANCHISE]->(a)
         CREATE (s:Search {search_id: $search})-[:RETURNED]->(a), (s)-[:SELECTED]->(a), (s)-[:RETURNED]->(b)`,
        { a: a.movie_id, b: b.movie_id, ...ids }
      )
      const before = (await app.inject(`/movies/${a.movie_id}`)).json() as MovieJson
      expect(before.relationships).toMatchObject({
        SIMILAR_TO: 1,
        SAME_FRANCHISE: 1,
        SEQUEL_OF: { out: 1, in: 0 },
        REMAKE_OF: { out: 0, in: 0 }
      })
      expect((await app.inject(`/movies/${b.movie_id}`)).json().relationships).toMatchObject({
        SIMILAR_TO: 1,
        SEQUEL_OF: { out: 0, in: 1 }
      })

      const res = await app.inject({ method: 'DELETE', url: `/movies/${a.movie_id}` })
      expect(res.statusCode).toBe(204)
      expect(res.body).toBe('')
      expectError(await app.inject(`/movies/${a.movie_id}`), 404, ['NOT_FOUND'])
      expectError(await app.inject({ method: 'DELETE', url: `/movies/${a.movie_id}` }), 404, ['NOT_FOUND'])

      const [row] = await db.readRows<Record<string, number>>(
        `RETURN COUNT { (:Review {review_id: $review}) } AS reviews,
                COUNT { (:Rating {rating_id: $rating}) } AS ratings,
                COUNT { (:User {user_id: $user}) } AS users,
                COUNT { (:Search {search_id: $search}) } AS searches,
                COUNT { (:Search {search_id: $search})-[]->() } AS search_edges,
                COUNT { (:Movie {movie_id: $b})-[r]-(:Movie) } AS b_movie_edges,
                COUNT { (:Genre {name: $g}) } AS genres`,
        { ...ids, b: b.movie_id, g }
      )
      expect(row).toEqual({
        reviews: 0,
        ratings: 0,
        users: 1,
        searches: 1,
        search_edges: 1,
        b_movie_edges: 0,
        genres: 1
      })
      await db.writeRows('MATCH (n) WHERE n.user_id = $user OR n.search_id = $search DETACH DELETE n', ids)
    })

    it('leaves no review or rating without its movie when they race the delete', async () => {
      const rounds = await Promise.all(
        Array.from({ length: 10 }, async () => {
          const movie = await post({ title: 'Raced' })
          const reviewId = uid('race-review')
          const userId = uid('race-user')
          const [review, rating, del] = await Promise.all([
            app.inject({
              method: 'POST',
              url: `/movies/${movie.movie_id}/reviews`,
              payload: {
                review_id: reviewId,
                source: 'user',
                content: 'Caught in the middle',
                author_id: userId
              }
            }),
            app.inject({
              method: 'PUT',
              url: `/movies/${movie.movie_id}/ratings/${userId}`,
              payload: { score: 6 }
            }),
            app.inject({ method: 'DELETE', url: `/movies/${movie.movie_id}` })
          ])
          return { reviewId, userId, review, rating, del }
        })
      )
      for (const { reviewId, userId, review, rating, del } of rounds) {
        expect(del.statusCode, del.body).toBe(204)
        // Before the delete: written, then deleted with the movie. After it: the movie is gone.
        expect([201, 404, 409], review.body).toContain(review.statusCode)
        expect([200, 201, 404, 409], rating.body).toContain(rating.statusCode)
        const [row] = await db.readRows<{ reviews: number; ratings: number }>(
          `RETURN COUNT { (:Review {review_id: $review}) } AS reviews,
                  COUNT { (:User {user_id: $user})-[:GAVE]->(:Rating) } AS ratings`,
          { review: reviewId, user: userId }
        )
        expect(row).toEqual({ reviews: 0, ratings: 0 })
      }
      await db.writeRows('UNWIND $ids AS id MATCH (u:User {user_id: id}) DETACH DELETE u', {
        ids: rounds.map((r) => r.userId)
      })
    })
  })

  describe('list', () => {
    type Sort = 'title' | 'year' | 'rating' | 'popularity' | 'created'
    const titles = ['delta', 'Alpha', 'charlie', 'Bravo', 'alpha']

    function keyOf(sort: Sort, m: MovieJson): string | number | null {
      if (sort === 'title') return m.title.toLowerCase()
      if (sort === 'year') return m.year
      if (sort === 'rating') return m.ratings.mean
      if (sort === 'popularity') return m.popularity
      return m.created_at
    }

    /** Negative when `a` must come before `b`: key in the given order, nulls last, then movie_id. */
    function compare(sort: Sort, order: 'asc' | 'desc', a: MovieJson, b: MovieJson): number {
      const ka = keyOf(sort, a)
      const kb = keyOf(sort, b)
      if (ka === null && kb !== null) return 1
      if (kb === null && ka !== null) return -1
      const sign = order === 'asc' ? 1 : -1
      if (ka !== null && kb !== null && ka !== kb) return (ka < kb ? -1 : 1) * sign
      // created_at is shown to the millisecond; ties there are not decidable from the response.
      if (sort === 'created') return 0
      return (a.movie_id < b.movie_id ? -1 : 1) * sign
    }

    async function page(query: Record<string, string | number>) {
      const qs = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]))
      const res = await app.inject(`/movies?${qs}`)
      expect(res.statusCode, res.body).toBe(200)
      return res.json() as { items: MovieJson[]; next_cursor: string | null }
    }

    async function allPages(query: Record<string, string | number>): Promise<MovieJson[]> {
      const out: MovieJson[] = []
      let cursor: string | null = null
      do {
        const body = await page({ ...query, limit: 100, ...(cursor ? { cursor } : {}) })
        out.push(...body.items)
        cursor = body.next_cursor
      } while (cursor)
      return out
    }

    let g: string
    let originals: MovieJson[]

    beforeAll(async () => {
      g = genre()
      originals = []
      for (let i = 0; i < 25; i++) {
        originals.push(
          await post({
            title: `${titles[i % 5]} ${i % 3}`,
            year: i % 5 === 0 ? null : 1990 + (i % 7),
            popularity: i % 4 === 0 ? null : (i % 6) * 1.5,
            genres: [g]
          })
        )
      }
      const ratings = originals.map((m, i) => ({ id: m.movie_id, mean: i % 3 === 0 ? null : (i % 5) + 0.5 }))
      await db.writeRows(
        `UNWIND $ratings AS r MATCH (m:Movie {movie_id: r.id})
         SET m.rating_mean = r.mean, m.rating_count = CASE WHEN r.mean IS NULL THEN 0 ELSE 1 END`,
        { ratings }
      )
    })

    const sorts: Sort[] = ['title', 'year', 'rating', 'popularity', 'created']
    const runs = sorts.flatMap((sort) => (['asc', 'desc'] as const).map((order) => [sort, order] as const))

    it.each(runs)(
      'pages by %s %s without duplicates or gaps while movies are added between pages',
      async (sort, order) => {
        const seen: MovieJson[] = []
        let cursor: string | null = null
        let pages = 0
        do {
          const body = await page({ genre: g, sort, order, limit: 7, ...(cursor ? { cursor } : {}) })
          expect(body.items.length).toBeLessThanOrEqual(7)
          seen.push(...body.items)
          cursor = body.next_cursor
          pages++
          if (pages <= 3) {
            // Land new movies on both sides of the cursor.
            await post({ title: `alpha ${pages}`, year: 1990 + pages, popularity: pages, genres: [g] })
            await post({ title: `zulu ${pages}`, genres: [g] })
          }
        } while (cursor && pages < 40)
        expect(cursor).toBeNull()

        const ids = seen.map((m) => m.movie_id)
        expect(new Set(ids).size).toBe(ids.length)
        for (const m of originals) expect(ids.filter((id) => id === m.movie_id)).toHaveLength(1)
        for (let i = 1; i < seen.length; i++) {
          expect(
            compare(sort, order, seen[i - 1]!, seen[i]!),
            `${sort} ${order} at ${i}`
          ).toBeLessThanOrEqual(0)
        }
        const mine = seen.filter((m) => originals.some((o) => o.movie_id === m.movie_id))
        const expected = [...mine].sort((a, b) => compare(sort, order, a, b))
        if (sort !== 'created') expect(mine.map((m) => m.movie_id)).toEqual(expected.map((m) => m.movie_id))
      }
    )

    it('shows each remaining movie exactly once when movies are deleted between pages', async () => {
      const d = genre()
      const mine: MovieJson[] = []
      for (let i = 0; i < 10; i++)
        mine.push(await post({ title: `del ${i}`, year: 2000 + (i % 3), genres: [d] }))
      const first = await page({ genre: d, sort: 'year', limit: 4 })
      // One already shown and one not yet shown go away before the next page.
      const shown = first.items[1]!
      const unseen = mine.find((m) => !first.items.some((i) => i.movie_id === m.movie_id))!
      for (const m of [shown, unseen]) {
        expect((await app.inject({ method: 'DELETE', url: `/movies/${m.movie_id}` })).statusCode).toBe(204)
      }
      const seen = [...first.items]
      let cursor = first.next_cursor
      while (cursor) {
        const next = await page({ genre: d, sort: 'year', limit: 4, cursor })
        seen.push(...next.items)
        cursor = next.next_cursor
      }
      const ids = seen.map((m) => m.movie_id)
      expect(new Set(ids).size).toBe(ids.length)
      const expected = mine.filter((m) => m.movie_id !== unseen.movie_id).map((m) => m.movie_id)
      expect([...ids].sort()).toEqual([...expected].sort())
    })

    it('filters by year range, minimum rating and title prefix, case-insensitively', async () => {
      const all = await allPages({ genre: g })
      const inRange = await allPages({ genre: g, year_from: 1992, year_to: 1994 })
      expect(inRange.length).toBeGreaterThan(0)
      expect(inRange.every((m) => m.year !== null && m.year >= 1992 && m.year <= 1994)).toBe(true)
      expect(inRange.map((m) => m.movie_id)).toEqual(
        all.filter((m) => m.year !== null && m.year >= 1992 && m.year <= 1994).map((m) => m.movie_id)
      )

      const rated = await page({ genre: g, min_rating: 3, sort: 'rating', order: 'desc', limit: 100 })
      const wanted = originals.filter((_, i) => i % 3 !== 0 && (i % 5) + 0.5 >= 3).map((m) => m.movie_id)
      expect(rated.items.map((m) => m.movie_id).sort()).toEqual(wanted.sort())
      expect(rated.items.every((m) => m.ratings.mean !== null && m.ratings.mean >= 3)).toBe(true)

      const prefix = `Zq${uid('').slice(2, 10)}`
      const p1 = await post({ title: `${prefix} One` })
      const p2 = await post({ title: `${prefix.toUpperCase()} Two` })
      await post({ title: `x${prefix}` })
      for (const q of [prefix.toLowerCase(), prefix.toUpperCase(), `${prefix} o`]) {
        const found = await page({ title_prefix: q, limit: 100 })
        const expected = q.endsWith(' o') ? [p1.movie_id] : [p1.movie_id, p2.movie_id]
        expect(found.items.map((m) => m.movie_id).sort(), q).toEqual(expected.sort())
      }

      const none = await page({ genre: uid('no-such-genre'), limit: 5 })
      expect(none).toEqual({ items: [], next_cursor: null })
    })

    it('answers 400 for a bad year range, bad or foreign cursors and bad query parameters', async () => {
      expectError(await app.inject('/movies?year_from=2000&year_to=1999'), 400, ['VALIDATION_FAILED'])
      expectError(await app.inject('/movies?cursor=not-a-cursor'), 400, ['VALIDATION_FAILED'])
      const first = await page({ genre: g, sort: 'year', limit: 2 })
      expect(first.next_cursor).not.toBeNull()
      expectError(
        await app.inject(`/movies?genre=${g}&sort=title&limit=2&cursor=${first.next_cursor}`),
        400,
        ['VALIDATION_FAILED']
      )
      expectError(
        await app.inject(`/movies?genre=${g}&sort=year&order=desc&limit=2&cursor=${first.next_cursor}`),
        400,
        ['VALIDATION_FAILED']
      )
      const forged = (key: unknown, sort = 'created:asc') =>
        Buffer.from(JSON.stringify([sort, key, 'x'])).toString('base64url')
      expectError(await app.inject(`/movies?sort=created&cursor=${forged('2020-13-45')}`), 400, [
        'VALIDATION_FAILED'
      ])
      expectError(await app.inject(`/movies?sort=created&cursor=${forged(5)}`), 400, ['VALIDATION_FAILED'])
      expectError(await app.inject(`/movies?sort=year&cursor=${forged('abc', 'year:asc')}`), 400, [
        'VALIDATION_FAILED'
      ])
      for (const qs of [
        'colour=red',
        'limit=0',
        'limit=101',
        'sort=length',
        'order=up',
        'year_from=1800',
        'year_to=abc',
        'min_rating=-1',
        'min_rating=11',
        `title_prefix=${'x'.repeat(501)}`,
        `genre=${'g'.repeat(101)}`,
        `cursor=${'c'.repeat(513)}`
      ]) {
        expectError(await app.inject(`/movies?${qs}`), 400, ['VALIDATION_FAILED'])
      }
    })
  })
})
