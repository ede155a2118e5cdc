import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import type { Database } from '../../src/db/database.js'
import { int } from '../../src/db/convert.js'
import { DIRECTED_TYPES, SYMMETRIC_TYPES } from '../../src/domain/relationship-types.js'
import { buildTestApp } from '../helpers/app.js'
import { testDatabase, uid } from '../helpers/neo4j.js'

let app: FastifyInstance
let db: Database
const created: string[] = []

/** Movies straight through Cypher; ids share a unique prefix and sort in the order given. */
async function createMovies(count: number): Promise<string[]> {
  const prefix = uid('rel')
  const ids = Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(2, '0')}`)
  await db.writeRows(
    `UNWIND $movies AS m CREATE (:Movie {movie_id: m.movie_id, title: m.title, year: m.year})`,
    { movies: ids.map((id, i) => ({ movie_id: id, title: `Title ${id}`, year: int(1980 + i) })) }
  )
  created.push(...ids)
  return ids
}

function path(movieId: string, type: string, otherId: string): string {
  return `/movies/${encodeURIComponent(movieId)}/relationships/${encodeURIComponent(type)}/${encodeURIComponent(otherId)}`
}

function put(
  movieId: string,
  type: string,
  otherId: string,
  body?: unknown
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'PUT',
    url: path(movieId, type, otherId),
    ...(body === undefined ? {} : { payload: body as object })
  })
}

function del(movieId: string, type: string, otherId: string): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'DELETE', url: path(movieId, type, otherId) })
}

function list(movieId: string, query = ''): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'GET', url: `/movies/${encodeURIComponent(movieId)}/relationships${query}` })
}

/** Stored edges of a type from one movie to another, exactly in that direction. */
async function directedCount(type: string, from: string, to: string): Promise<number> {
  const [row] = await db.readRows<{ n: number }>(
    `MATCH (:Movie {movie_id: $from})-[r]->(:Movie {movie_id: $to}) WHERE type(r) = $type RETURN count(r) AS n`,
    { from, to, type }
  )
  return row?.n ?? 0
}

/** Every relationship touching these movies, and the movies themselves: the graph as the test sees it. */
async function footprint(ids: string[]): Promise<{ movies: number; edges: number }> {
  const [row] = await db.readRows<{ movies: number; edges: number }>(
    `MATCH (m:Movie) WHERE m.movie_id IN $ids
     OPTIONAL MATCH (m)-[r]-()
     RETURN count(DISTINCT m) AS movies, count(DISTINCT r) AS edges`,
    { ids }
  )
  return row ?? { movies: 0, edges: 0 }
}

beforeAll(async () => {
  app = await buildTestApp()
  db = testDatabase()
})

afterAll(async () => {
  await db.writeRows('MATCH (m:Movie) WHERE m.movie_id IN $ids DETACH DELETE m', { ids: created })
  await db.close()
  await app.close()
})

describe('PUT /movies/:movie_id/relationships/:type/:other_movie_id', () => {
  it.each(DIRECTED_TYPES)(
    'creates %s newer → older and reads it out from one end, in from the other',
    async (type) => {
      const [older, newer] = (await createMovies(2)) as [string, string]
      const res = await put(newer, type, older, { source: 'tmdb' })
      expect(res.statusCode).toBe(201)
      expect(res.json()).toMatchObject({
        type,
        direction: 'out',
        other: { movie_id: older, title: `Title ${older}`, year: 1980 },
        score: null,
        source: 'tmdb'
      })

      const fromNewer = (await list(newer)).json()
      expect(fromNewer.items).toEqual([
        expect.objectContaining({
          type,
          direction: 'out',
          other: { movie_id: older, title: `Title ${older}`, year: 1980 }
        })
      ])
      const fromOlder = (await list(older)).json()
      expect(fromOlder.items).toEqual([
        expect.objectContaining({
          type,
          direction: 'in',
          other: { movie_id: newer, title: `Title ${newer}`, year: 1981 }
        })
      ])
      expect(fromOlder.items[0].created_at).toBe(fromNewer.items[0].created_at)
      expect(await directedCount(type, newer, older)).toBe(1)
      expect(await directedCount(type, older, newer)).toBe(0)
    }
  )

  it.each(SYMMETRIC_TYPES)(
    'stores %s once, from the smaller movie_id, and reads it the same from both ends',
    async (type) => {
      const [small, large] = (await createMovies(2)) as [string, string]
      // Written from the larger end on purpose: storage must still go small → large.
      const res = await put(large, type, small, { score: 0.75, source: 'computed' })
      expect(res.statusCode).toBe(201)
      expect(res.json()).toMatchObject({
        type,
        direction: 'both',
        other: { movie_id: small },
        score: 0.75,
        source: 'computed'
      })

      expect(await directedCount(type, small, large)).toBe(1)
      expect(await directedCount(type, large, small)).toBe(0)

      const fromSmall = (await list(small)).json().items
      const fromLarge = (await list(large)).json().items
      expect(fromSmall).toHaveLength(1)
      expect(fromLarge).toHaveLength(1)
      const { other: otherOfSmall, ...restSmall } = fromSmall[0]
      const { other: otherOfLarge, ...restLarge } = fromLarge[0]
      expect(otherOfSmall.movie_id).toBe(large)
      expect(otherOfLarge.movie_id).toBe(small)
      expect(restSmall).toEqual(restLarge)
      expect(restSmall).toMatchObject({ type, direction: 'both', score: 0.75, source: 'computed' })

      // The other end names the same edge: it exists, so 200, and still one edge.
      const again = await put(small, type, large, { score: 0.75, source: 'computed' })
      expect(again.statusCode).toBe(200)
      expect(await directedCount(type, small, large)).toBe(1)
      expect(await directedCount(type, large, small)).toBe(0)
    }
  )

  it('is idempotent: the same body twice leaves one edge with the same properties apart from updated_at', async () => {
    const [a, b] = (await createMovies(2)) as [string, string]
    const first = await put(a, 'SIMILAR_TO', b, { score: 0.4, source: 'movielens' })
    const second = await put(a, 'SIMILAR_TO', b, { score: 0.4, source: 'movielens' })
    expect(first.statusCode).toBe(201)
    expect(second.statusCode).toBe(200)
    const { updated_at: u1, ...one } = first.json()
    const { updated_at: u2, ...two } = second.json()
    expect(two).toEqual(one)
    expect(Date.parse(u2)).toBeGreaterThanOrEqual(Date.parse(u1))
    expect(await directedCount('SIMILAR_TO', a, b)).toBe(1)
    expect((await footprint([a, b])).edges).toBe(1)
  })

  it('replaces the properties of an existing edge and keeps created_at', async () => {
    const [older, newer] = (await createMovies(2)) as [string, string]
    const first = (await put(newer, 'REMAKE_OF', older, { score: 0.9, source: 'user' })).json()
    const res = await put(newer, 'REMAKE_OF', older)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ score: null, source: 'editorial', created_at: first.created_at })
  })

  it('takes no body at all, defaulting the source to editorial', async () => {
    const [older, newer] = (await createMovies(2)) as [string, string]
    const res = await put(newer, 'SEQUEL_OF', older)
    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({ source: 'editorial', score: null })
    expect(res.json().created_at).toMatch(/^\d{4}-\d{2}-\d{2}T.*Z$/)
  })

  it('leaves one edge when the same symmetric edge is PUT concurrently from both ends', async () => {
    const [a, b] = (await createMovies(2)) as [string, string]
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0 ? put(a, 'SIMILAR_TO', b, { score: 0.5 }) : put(b, 'SIMILAR_TO', a, { score: 0.5 })
      )
    )
    const statuses = responses.map((r) => r.statusCode)
    expect(statuses.every((s) => s === 200 || s === 201)).toBe(true)
    expect(statuses.filter((s) => s === 201)).toHaveLength(1)
    expect(await directedCount('SIMILAR_TO', a, b)).toBe(1)
    expect(await directedCount('SIMILAR_TO', b, a)).toBe(0)
  })

  it('refuses a directed edge that would point both ways with 409', async () => {
    const [older, newer] = (await createMovies(2)) as [string, string]
    expect((await put(newer, 'SEQUEL_OF', older)).statusCode).toBe(201)
    const res = await put(older, 'SEQUEL_OF', newer)
    expect(res.statusCode).toBe(409)
    expect(res.json().error.code).toBe('CONFLICT')
    expect(await directedCount('SEQUEL_OF', older, newer)).toBe(0)
    // Another type between the same movies is a different edge.
    expect((await put(older, 'INSPIRED_BY', newer)).statusCode).toBe(201)
  })

  it('refuses a self-loop with 400', async () => {
    const [a] = (await createMovies(1)) as [string]
    for (const type of ['SEQUEL_OF', 'SIMILAR_TO']) {
      const res = await put(a, type, a, { score: 0.5 })
      expect(res.statusCode).toBe(400)
      expect(res.json().error).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: [{ in: 'params', path: '/other_movie_id' }]
      })
    }
    expect((await del(a, 'SEQUEL_OF', a)).statusCode).toBe(400)
    expect((await footprint([a])).edges).toBe(0)
  })

  it('needs a score in 0..1 for SIMILAR_TO', async () => {
    const [a, b] = (await createMovies(2)) as [string, string]
    const missing = await put(a, 'SIMILAR_TO', b, { source: 'computed' })
    expect(missing.statusCode).toBe(400)
    expect(missing.json().error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ in: 'body', path: '/score' }]
    })
    expect((await put(a, 'SIMILAR_TO', b)).statusCode).toBe(400)
    for (const score of [-0.01, 1.01, 2, 'high']) {
      const res = await put(a, 'SIMILAR_TO', b, { score })
      expect(res.statusCode).toBe(400)
      expect(res.json().error.code).toBe('VALIDATION_FAILED')
    }
    expect((await footprint([a, b])).edges).toBe(0)
    expect((await put(a, 'SIMILAR_TO', b, { score: 0 })).statusCode).toBe(201)
    expect((await put(a, 'SIMILAR_TO', b, { score: 1 })).statusCode).toBe(200)
  })

  it('rejects an unknown source or property with 400', async () => {
    const [a, b] = (await createMovies(2)) as [string, string]
    for (const body of [{ source: 'imdb' }, { source: 'EDITORIAL' }, { weight: 1 }]) {
      const res = await put(a, 'SEQUEL_OF', b, body)
      expect(res.statusCode).toBe(400)
      expect(res.json().error.code).toBe('VALIDATION_FAILED')
    }
    expect((await footprint([a, b])).edges).toBe(0)
  })

  it('says which movie is unknown with 404', async () => {
    const [a] = (await createMovies(1)) as [string]
    const ghost = uid('ghost')
    const res = await put(a, 'SEQUEL_OF', ghost)
    expect(res.statusCode).toBe(404)
    expect(res.json().error).toMatchObject({ code: 'NOT_FOUND', details: { missing_movie_ids: [ghost] } })
    expect(res.json().error.message).toContain(ghost)

    const other = await put(ghost, 'SIMILAR_TO', a, { score: 0.2 })
    expect(other.statusCode).toBe(404)
    expect(other.json().error.details).toEqual({ missing_movie_ids: [ghost] })

    const ghost2 = uid('ghost')
    const both = await put(ghost, 'SEQUEL_OF', ghost2)
    expect(both.json().error.details).toEqual({ missing_movie_ids: [ghost, ghost2] })
    expect((await footprint([a])).edges).toBe(0)
  })
})

describe('relationship types outside the allow-list', () => {
  const hostile = [
    'sequel_of',
    'Similar_To',
    'RATED',
    'IN_GENRE',
    'SEQUEL_OF]->() DETACH DELETE n //',
    'SEQUEL_OF|RATED',
    "SEQUEL_OF' OR 1=1 --",
    'SEQUEL_OF`]-() MATCH (x) DETACH DELETE x //',
    ' SEQUEL_OF',
    '%00'
  ]

  it('answers 400 on PUT, DELETE and GET and leaves the graph unchanged', async () => {
    const [older, newer] = (await createMovies(2)) as [string, string]
    expect((await put(newer, 'SEQUEL_OF', older)).statusCode).toBe(201)
    const before = await footprint([older, newer])
    expect(before).toEqual({ movies: 2, edges: 1 })

    for (const type of hostile) {
      for (const res of [await put(newer, type, older, { score: 0.5 }), await del(newer, type, older)]) {
        expect(res.statusCode, `${res.raw.req.method} ${type}`).toBe(400)
        expect(res.json().error.code).toBe('VALIDATION_FAILED')
      }
      // A list of types is split on commas and trimmed, then each item meets the same allow-list.
      const listed = await list(newer, `?type=${encodeURIComponent(type)}`)
      if (type.trim() === 'SEQUEL_OF') {
        expect(listed.statusCode, `GET ${type}`).toBe(200)
      } else {
        expect(listed.statusCode, `GET ${type}`).toBe(400)
        expect(listed.json().error.code).toBe('VALIDATION_FAILED')
      }
    }
    expect(await footprint([older, newer])).toEqual(before)
    expect(await directedCount('SEQUEL_OF', newer, older)).toBe(1)
  })

  it('answers 400 for movie ids that are not ids', async () => {
    const [a] = (await createMovies(1)) as [string]
    const res = await put(a, 'SEQUEL_OF', "x'}) DETACH DELETE m //")
    expect(res.statusCode).toBe(400)
    expect(res.json().error.code).toBe('VALIDATION_FAILED')
    expect((await footprint([a])).edges).toBe(0)
  })
})

describe('DELETE /movies/:movie_id/relationships/:type/:other_movie_id', () => {
  it('deletes a directed edge from its start only', async () => {
    const [older, newer] = (await createMovies(2)) as [string, string]
    await put(newer, 'SPINOFF_OF', older)
    const wrongEnd = await del(older, 'SPINOFF_OF', newer)
    expect(wrongEnd.statusCode).toBe(404)
    expect(wrongEnd.json().error.code).toBe('NOT_FOUND')

    const res = await del(newer, 'SPINOFF_OF', older)
    expect(res.statusCode).toBe(204)
    expect(res.body).toBe('')
    expect((await footprint([older, newer])).edges).toBe(0)
    expect((await del(newer, 'SPINOFF_OF', older)).statusCode).toBe(404)
  })

  it.each(SYMMETRIC_TYPES)('deletes %s from either end', async (type) => {
    const [a, b] = (await createMovies(2)) as [string, string]
    await put(a, type, b, { score: 0.3 })
    expect((await del(b, type, a)).statusCode).toBe(204)
    expect((await footprint([a, b])).edges).toBe(0)
    await put(b, type, a, { score: 0.3 })
    expect((await del(a, type, b)).statusCode).toBe(204)
    expect((await del(a, type, b)).statusCode).toBe(404)
  })

  it('answers 404 for another type or an unknown movie', async () => {
    const [older, newer] = (await createMovies(2)) as [string, string]
    await put(newer, 'SEQUEL_OF', older)
    expect((await del(newer, 'REMAKE_OF', older)).statusCode).toBe(404)
    expect((await del(newer, 'SEQUEL_OF', uid('ghost'))).statusCode).toBe(404)
    expect((await footprint([older, newer])).edges).toBe(1)
  })
})

describe('GET /movies/:movie_id/relationships', () => {
  /** A hub with edges of several types and both directions to ten other movies. */
  async function hub(): Promise<{ hub: string; others: string[] }> {
    const ids = await createMovies(11)
    const [center, ...others] = ids as [string, ...string[]]
    const o = others as [string, string, string, string, string, string, string, string, string, string]
    const writes: Array<[string, string, string, object?]> = [
      [center, 'SEQUEL_OF', o[0]],
      [o[1], 'SEQUEL_OF', center],
      [center, 'REMAKE_OF', o[2]],
      [o[3], 'INSPIRED_BY', center],
      [o[4], 'INSPIRED_BY', center],
      [center, 'SIMILAR_TO', o[5], { score: 0.9 }],
      [o[6], 'SIMILAR_TO', center, { score: 0.8 }],
      [center, 'SIMILAR_TO', o[7], { score: 0.7 }],
      [o[8], 'SAME_FRANCHISE', center],
      [center, 'SPINOFF_OF', o[9]]
    ]
    for (const [from, type, to, body] of writes)
      expect((await put(from, type, to, body)).statusCode).toBe(201)
    return { hub: center, others }
  }

  it('pages through every edge in (type, other movie_id) order without gaps or repeats', async () => {
    const { hub: center } = await hub()
    const all = (await list(center, '?limit=100')).json()
    expect(all.next_cursor).toBeNull()
    expect(all.items).toHaveLength(10)
    const keys = all.items.map(
      (i: { type: string; other: { movie_id: string } }) => `${i.type} ${i.other.movie_id}`
    )
    expect(keys).toEqual([...keys].sort())

    const walked: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const q: string = `?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`
      const res = await list(center, q)
      expect(res.statusCode).toBe(200)
      const page = res.json()
      expect(page.items.length).toBeLessThanOrEqual(3)
      walked.push(
        ...page.items.map(
          (i: { type: string; other: { movie_id: string } }) => `${i.type} ${i.other.movie_id}`
        )
      )
      cursor = page.next_cursor
      pages++
    } while (cursor && pages < 10)
    expect(pages).toBe(4)
    expect(walked).toEqual(keys)
  })

  it('reports directions from the point of view of the movie asked about', async () => {
    const { hub: center, others } = await hub()
    const items = (await list(center)).json().items as Array<{
      type: string
      direction: string
      other: { movie_id: string }
    }>
    const byOther = Object.fromEntries(items.map((i) => [i.other.movie_id, `${i.type}:${i.direction}`]))
    expect(byOther).toEqual({
      [others[0]!]: 'SEQUEL_OF:out',
      [others[1]!]: 'SEQUEL_OF:in',
      [others[2]!]: 'REMAKE_OF:out',
      [others[3]!]: 'INSPIRED_BY:in',
      [others[4]!]: 'INSPIRED_BY:in',
      [others[5]!]: 'SIMILAR_TO:both',
      [others[6]!]: 'SIMILAR_TO:both',
      [others[7]!]: 'SIMILAR_TO:both',
      [others[8]!]: 'SAME_FRANCHISE:both',
      [others[9]!]: 'SPINOFF_OF:out'
    })
  })

  it('filters by types, comma-separated or repeated, and by direction, and names a type it does not know', async () => {
    const { hub: center } = await hub()
    const two = (await list(center, '?type=SEQUEL_OF&type=SAME_FRANCHISE')).json().items
    expect(two.map((i: { type: string }) => i.type)).toEqual(['SAME_FRANCHISE', 'SEQUEL_OF', 'SEQUEL_OF'])
    const one = (await list(center, '?type=REMAKE_OF')).json().items
    expect(one).toHaveLength(1)

    const out = (await list(center, '?direction=out')).json().items
    expect(out.map((i: { direction: string }) => i.direction).sort()).toEqual(
      ['both', 'both', 'both', 'both', 'out', 'out', 'out'].sort()
    )
    const inbound = (await list(center, '?direction=in&type=INSPIRED_BY&type=SEQUEL_OF')).json().items
    expect(inbound.map((i: { type: string; direction: string }) => `${i.type}:${i.direction}`)).toEqual([
      'INSPIRED_BY:in',
      'INSPIRED_BY:in',
      'SEQUEL_OF:in'
    ])

    const comma = await list(center, '?type=SEQUEL_OF,SAME_FRANCHISE')
    expect(comma.statusCode, comma.body).toBe(200)
    expect(comma.json().items).toEqual(two)
    const mixed = await list(center, '?type=SEQUEL_OF,%20SAME_FRANCHISE&type=SEQUEL_OF')
    expect(mixed.json().items).toEqual(two)

    const unknown = await list(center, '?type=SEQUEL_OF,PREQUEL_OF')
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json().error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ in: 'querystring', path: '/type', message: expect.stringContaining('"PREQUEL_OF" is not') }]
    })
    const injected = await list(center, `?type=${encodeURIComponent('SEQUEL_OF]->() DETACH DELETE n //')}`)
    expect(injected.statusCode).toBe(400)
  })

  it('answers an empty page for a movie without edges and 404 for an unknown movie', async () => {
    const [lonely] = (await createMovies(1)) as [string]
    expect((await list(lonely)).json()).toEqual({ items: [], next_cursor: null })
    const res = await list(uid('ghost'))
    expect(res.statusCode).toBe(404)
    expect(res.json().error.code).toBe('NOT_FOUND')
    // The parameters are checked before the movie is looked up: a bad request is a 400 either way.
    expect((await list(uid('ghost'), '?type=SEQUEL_OF,NOPE')).statusCode).toBe(400)
  })

  it('rejects bad paging and filter values with 400', async () => {
    const [a] = (await createMovies(1)) as [string]
    for (const q of ['?limit=0', '?limit=101', '?direction=up', '?cursor=not-a-cursor', '?colour=red']) {
      const res = await list(a, q)
      expect(res.statusCode, q).toBe(400)
      expect(res.json().error.code).toBe('VALIDATION_FAILED')
    }
    // A well-formed cursor whose key is not one this route makes.
    const forged = Buffer.from(JSON.stringify(['type,other_movie_id', 'RATED/out', 'x'])).toString(
      'base64url'
    )
    const res = await list(a, `?cursor=${forged}`)
    expect(res.statusCode).toBe(400)
    expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: '/cursor' }] })
  })
})

describe('OpenAPI', () => {
  it('documents the three routes with every status they answer', async () => {
    const spec = (await app.inject('/openapi.json')).json()
    const item = spec.paths['/movies/{movie_id}/relationships/{type}/{other_movie_id}']
    // Each route's own statuses, and those every write (key, scope, body) or read meets.
    const write = ['400', '401', '403', '408', '413', '414', '415', '429', '431', '503']
    expect(Object.keys(item.put.responses).sort()).toEqual(['200', '201', ...write, '404', '409'].sort())
    expect(Object.keys(item.delete.responses).sort()).toEqual(['204', ...write, '404'].sort())
    expect(Object.keys(spec.paths['/movies/{movie_id}/relationships'].get.responses).sort()).toEqual(
      ['200', '400', '401', '404', '408', '414', '429', '431', '503'].sort()
    )
  })
})
