import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import type { Database } from '../../src/db/database.js'
import { int } from '../../src/db/convert.js'
import { buildTestApp } from '../helpers/app.js'
import { expectError } from '../helpers/http.js'
import { tmdbId } from '../helpers/ids.js'
import { postMovie } from '../helpers/movies.js'
import { testDatabase, uid } from '../helpers/neo4j.js'

interface GenreJson {
  name: string
  tmdb_genre_id: number | null
  created_at: string | null
  movie_count: number
}

describe('genres', () => {
  let app: FastifyInstance
  let db: Database
  /** Every genre this file makes starts with it, so lists can be narrowed to this file's rows. */
  const prefix = uid('gtest')
  const movies: string[] = []

  beforeAll(async () => {
    app = await buildTestApp()
    db = testDatabase()
  })
  afterAll(async () => {
    await db.writeRows('UNWIND $ids AS id MATCH (m:Movie {movie_id: id}) DETACH DELETE m', { ids: movies })
    await db.writeRows('MATCH (g:Genre) WHERE g.name STARTS WITH $prefix DETACH DELETE g', { prefix })
    await db.close()
    await app.close()
  })

  function name(suffix = uid('')): string {
    return `${prefix} ${suffix}`
  }
  const path = (n: string) => `/genres/${encodeURIComponent(n)}`

  async function movieIn(...genres: string[]): Promise<string> {
    const id = (await postMovie(app, { title: 'Genre test', genres })).json<{ movie_id: string }>().movie_id
    movies.push(id)
    return id
  }

  it('creates a genre with a trimmed name, reads it back, and refuses a duplicate', async () => {
    const n = name('Film Noir')
    const tmdb = tmdbId()
    const res = await app.inject({
      method: 'POST',
      url: '/genres',
      payload: { name: `  ${n} `, tmdb_genre_id: tmdb }
    })
    expect(res.statusCode, res.body).toBe(201)
    const genre = res.json() as GenreJson
    expect(genre).toMatchObject({ name: n, tmdb_genre_id: tmdb, movie_count: 0 })
    expect(Date.parse(genre.created_at ?? '')).not.toBeNaN()
    expect(res.headers.location).toBe(path(n))

    const read = await app.inject(path(n))
    expect(read.statusCode).toBe(200)
    expect(read.json()).toEqual(genre)

    const [row] = await db.readRows<{ type: string }>(
      'MATCH (g:Genre {name: $n}) RETURN valueType(g.tmdb_genre_id) AS type',
      { n }
    )
    expect(row?.type).toMatch(/^INTEGER/)

    const dup = await app.inject({ method: 'POST', url: '/genres', payload: { name: n } })
    expectError(dup, 409, ['CONFLICT'])
    expect(dup.json().error.details).toEqual({ fields: ['name'] })
    const dupTmdb = await app.inject({
      method: 'POST',
      url: '/genres',
      payload: { name: name(), tmdb_genre_id: tmdb }
    })
    expectError(dupTmdb, 409, ['CONFLICT'])
    expect(dupTmdb.json().error.details).toEqual({ fields: ['tmdb_genre_id'] })
  })

  it('gives a tmdb_genre_id to one genre only, however many ask for it at once', async () => {
    const tmdb = tmdbId()
    const names = Array.from({ length: 8 }, () => name())
    const answers = await Promise.all(
      names.map((n) =>
        app.inject({ method: 'POST', url: '/genres', payload: { name: n, tmdb_genre_id: tmdb } })
      )
    )
    const statuses = answers.map((res) => res.statusCode).sort()
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409])
    for (const res of answers.filter((r) => r.statusCode === 409)) {
      expectError(res, 409, ['CONFLICT'])
      expect(res.json().error.details).toEqual({ fields: ['tmdb_genre_id'] })
    }
    const holders = await db.readRows<{ name: string }>(
      'MATCH (g:Genre {tmdb_genre_id: $tmdb}) RETURN g.name AS name',
      { tmdb: int(tmdb) }
    )
    const winner = answers.find((res) => res.statusCode === 201)?.json() as GenreJson
    expect(holders).toEqual([{ name: winner.name }])
    const [created] = await db.readRows<{ n: number }>(
      'MATCH (g:Genre) WHERE g.name IN $names RETURN count(g) AS n',
      { names }
    )
    expect(created?.n).toBe(1)
  })

  it('answers 404 for an unknown genre', async () => {
    expectError(await app.inject(path(name('missing'))), 404, ['NOT_FOUND'])
    expectError(await app.inject({ method: 'DELETE', url: path(name('missing')) }), 404, ['NOT_FOUND'])
  })

  it('counts the movies in a genre, including genres that movies created', async () => {
    const n = name('Counted')
    await movieIn(n)
    await movieIn(n, name('Other'))
    const res = await app.inject(path(n))
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ name: n, movie_count: 2, tmdb_genre_id: null })
  })

  it('lists genres sorted by name with movie counts, one keyset page at a time', async () => {
    const listPrefix = name('list')
    const names = ['delta', 'Alpha', 'charlie', 'bravo', 'echo'].map((s) => `${listPrefix} ${s}`)
    for (const n of names) {
      expect((await app.inject({ method: 'POST', url: '/genres', payload: { name: n } })).statusCode).toBe(
        201
      )
    }
    await movieIn(names[0]!)

    const seen: GenreJson[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const qs = new URLSearchParams({ name_prefix: listPrefix, limit: '2', ...(cursor ? { cursor } : {}) })
      const res = await app.inject(`/genres?${qs}`)
      expect(res.statusCode, res.body).toBe(200)
      const body = res.json() as { items: GenreJson[]; next_cursor: string | null }
      expect(body.items.length).toBeLessThanOrEqual(2)
      seen.push(...body.items)
      cursor = body.next_cursor
      if (++pages === 1) {
        // One genre lands behind the cursor (never shown), one ahead of it (shown once).
        for (const added of ['Aardvark', 'foxtrot']) {
          const res = await app.inject({
            method: 'POST',
            url: '/genres',
            payload: { name: `${listPrefix} ${added}` }
          })
          expect(res.statusCode).toBe(201)
        }
      }
    } while (cursor && pages < 10)

    const expected = [...names, `${listPrefix} foxtrot`].sort()
    expect(seen.map((g) => g.name)).toEqual(expected)
    expect(seen.find((g) => g.name === names[0])?.movie_count).toBe(1)
    expect(seen.filter((g) => g.name !== names[0]).every((g) => g.movie_count === 0)).toBe(true)
  })

  it('refuses to delete a genre in use unless forced, and keeps the movies', async () => {
    const n = name('Used')
    const kept = name('Kept')
    const movieId = await movieIn(n, kept)
    const refused = await app.inject({ method: 'DELETE', url: path(n) })
    expectError(refused, 409, ['CONFLICT'])
    expect(refused.json().error.details).toEqual({ movie_count: 1 })
    expect((await app.inject(path(n))).statusCode).toBe(200)

    const forced = await app.inject({ method: 'DELETE', url: `${path(n)}?force=true` })
    expect(forced.statusCode).toBe(204)
    expect(forced.body).toBe('')
    expectError(await app.inject(path(n)), 404, ['NOT_FOUND'])
    const movie = await app.inject(`/movies/${movieId}`)
    expect(movie.statusCode).toBe(200)
    expect(movie.json().genres).toEqual([kept])
  })

  it('deletes an unused genre without force', async () => {
    const n = name('Unused')
    expect((await app.inject({ method: 'POST', url: '/genres', payload: { name: n } })).statusCode).toBe(201)
    expect((await app.inject({ method: 'DELETE', url: `${path(n)}?force=false` })).statusCode).toBe(204)
    expectError(await app.inject(path(n)), 404, ['NOT_FOUND'])
  })

  it('never drops a movie a concurrent request put in the genre being deleted', async () => {
    // Each round races "put movie in G" against "delete G (unforced)". Whatever the order, a 200
    // for the put must leave the movie in G: either the delete saw the movie (409) or it ran
    // first and the put made G again. A put whose G vanished under it is a 409 to retry, not a 500.
    const rounds = 12
    const outcomes = await Promise.all(
      Array.from({ length: rounds }, async (_, i) => {
        const g = name(`Race ${i}`)
        expect((await app.inject({ method: 'POST', url: '/genres', payload: { name: g } })).statusCode).toBe(
          201
        )
        const movieId = await movieIn(name('Elsewhere'))
        const [put, del] = await Promise.all([
          app.inject({ method: 'PUT', url: `/movies/${movieId}/genres`, payload: { genres: [g] } }),
          app.inject({ method: 'DELETE', url: path(g) })
        ])
        return { g, movieId, put, del }
      })
    )
    for (const { g, movieId, put, del } of outcomes) {
      expect([200, 409], put.body).toContain(put.statusCode)
      expect([204, 409], del.body).toContain(del.statusCode)
      if (put.statusCode === 409) {
        expectError(put, 409, ['CONFLICT'])
        continue
      }
      const movie = await app.inject(`/movies/${movieId}`)
      expect(movie.json().genres, `delete answered ${del.statusCode}`).toEqual([g])
      expect((await app.inject(path(g))).json().movie_count).toBe(1)
    }
  })

  it('answers 400 for invalid bodies, names, cursors and query parameters', async () => {
    const bodies: Record<string, unknown>[] = [
      {},
      { name: '' },
      { name: '    ' },
      { name: 'x'.repeat(101) },
      { name: 'tab\tinside' },
      { name: 'ok', tmdb_genre_id: 0 },
      { name: 'ok', tmdb_genre_id: 1.5 },
      { name: 'ok', colour: 'red' }
    ]
    for (const payload of bodies) {
      expectError(await app.inject({ method: 'POST', url: '/genres', payload }), 400, ['VALIDATION_FAILED'])
    }
    expectError(await app.inject(path('x'.repeat(101))), 400, ['VALIDATION_FAILED'])
    expectError(await app.inject(path('   ')), 400, ['VALIDATION_FAILED'])
    expectError(await app.inject({ method: 'DELETE', url: `${path(name())}?force=maybe` }), 400, [
      'VALIDATION_FAILED'
    ])
    for (const qs of ['limit=0', 'limit=101', 'colour=red', `name_prefix=${'x'.repeat(101)}`]) {
      expectError(await app.inject(`/genres?${qs}`), 400, ['VALIDATION_FAILED'])
    }
    expectError(await app.inject('/genres?cursor=garbage'), 400, ['VALIDATION_FAILED'])
    const foreign = Buffer.from(JSON.stringify(['title:asc', 'x', 'y'])).toString('base64url')
    expectError(await app.inject(`/genres?cursor=${foreign}`), 400, ['VALIDATION_FAILED'])
    const badKey = Buffer.from(JSON.stringify(['name', 5, 'y'])).toString('base64url')
    expectError(await app.inject(`/genres?cursor=${badKey}`), 400, ['VALIDATION_FAILED'])
  })
})
