/**
 * Similar movies, related paths, shortest paths, franchises and recommendations on small seeded
 * graphs whose answers were worked out by hand. Genre names, users and movies carry a unique
 * prefix, so candidates can only come from what this file created.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import type { Database } from '../../src/db/database.js'
import { int } from '../../src/db/convert.js'
import { relationshipTypeToken } from '../../src/domain/relationship-types.js'
import { TimeoutError } from '../../src/errors.js'
import { buildTestApp } from '../helpers/app.js'
import { testDatabase, uid } from '../helpers/neo4j.js'

let app: FastifyInstance
let db: Database
const P = uid('trv')
const id = (name: string) => `${P}-${name}`
const genre = (name: string) => `${P}-${name}`

async function get(url: string): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'GET', url })
}

function json<T = Record<string, unknown>>(res: LightMyRequestResponse): T {
  return res.json() as T
}

interface MovieSeed {
  name: string
  title?: string
  year?: number
  release_date?: string
  popularity?: number
  rating_count?: number
  rating_mean?: number
  review_count?: number
  sentiment_mean?: number
  genres?: string[]
}

async function seedMovies(movies: MovieSeed[]): Promise<void> {
  await db.writeRows(
    `UNWIND $movies AS s
     CREATE (m:Movie {movie_id: s.movie_id, title: s.title})
     SET m.year = s.year, m.release_date = date(s.release_date), m.popularity = s.popularity,
         m.rating_count = s.rating_count, m.rating_mean = s.rating_mean,
         m.review_count = s.review_count, m.sentiment_mean = s.sentiment_mean
     WITH m, s
     UNWIND s.genres AS name
     MERGE (g:Genre {name: name})
     CREATE (m)-[:IN_GENRE]->(g)`,
    {
      movies: movies.map((m) => ({
        movie_id: id(m.name),
        title: m.title ?? m.name.toUpperCase(),
        year: m.year === undefined ? null : int(m.year),
        release_date: m.release_date ?? null,
        popularity: m.popularity ?? null,
        rating_count: m.rating_count === undefined ? null : int(m.rating_count),
        rating_mean: m.rating_mean ?? null,
        review_count: m.review_count === undefined ? null : int(m.review_count),
        sentiment_mean: m.sentiment_mean ?? null,
        genres: (m.genres ?? []).map(genre)
      }))
    }
  )
}

/** Edges as [from, type, to, source, score]; symmetric ones are given in stored order. */
async function seedEdges(edges: [string, string, string, string, number | null][]): Promise<void> {
  for (const [from, type, to, source, score] of edges) {
    await db.writeRows(
      `MATCH (a:Movie {movie_id: $from}), (b:Movie {movie_id: $to})
       CREATE (a)-[r:${relationshipTypeToken(type)}]->(b)
       SET r.source = $source, r.score = $score, r.created_at = datetime(), r.updated_at = datetime()`,
      { from: id(from), to: id(to), source, score }
    )
  }
}

/** Ratings as [user, movie, score]; rated_at increases in the order given. */
async function seedRatings(ratings: [string, string, number][]): Promise<void> {
  await db.writeRows(
    `UNWIND range(0, size($ratings) - 1) AS i
     WITH i, $ratings[i] AS x
     MATCH (m:Movie {movie_id: x.movie_id})
     MERGE (u:User {user_id: x.user_id})
     CREATE (u)-[:GAVE]->(:Rating {rating_id: x.user_id + '/' + x.movie_id, score: x.score,
                                   rated_at: datetime('2024-01-01T00:00:00Z') + duration({minutes: i})})
            -[:RATES]->(m)`,
    { ratings: ratings.map(([u, m, score]) => ({ user_id: id(u), movie_id: id(m), score })) }
  )
}

beforeAll(async () => {
  app = await buildTestApp()
  db = testDatabase()
})

afterAll(async () => {
  await db.writeRows(
    `MATCH (n) WHERE n:Movie AND n.movie_id STARTS WITH $p
        OR n:User AND n.user_id STARTS WITH $p
        OR n:Rating AND n.rating_id STARTS WITH $p
        OR n:Genre AND n.name STARTS WITH $p
        OR n:Search AND n.search_id STARTS WITH $p
     DETACH DELETE n`,
    { p: P }
  )
  await db.close()
  await app.close()
})

describe('GET /movies/:movie_id/similar', () => {
  /*
   * m has genres {A, B}, 4 ratings (fans u1 8, u2 9, u3 7; u4 4) and mean sentiment 0.6.
   *   s1 {A,B}: u1 8, u2 7 (u3 5): co 2, count 3 → 2/√12; sentiment 0.2 → 0.8
   *   s2 {A}:   SEQUEL_OF m → franchise 1; no reviews → sentiment not used (weights sum 0.95)
   *   s3 {C}:   editorial SIMILAR_TO 0.8; u1 9: co 1, count 1 → 1/√4; sentiment -0.4 → 0.5
   *   s4 {A,C}: SEQUEL_OF s2 → two hops, 0.5; sentiment 0.6 → 1
   *   s5 {A}:   genre-mate only
   */
  const w = { edge: 0.35, genre: 0.2, corating: 0.25, franchise: 0.15, sentiment: 0.05 }
  const expected = {
    s3: (w.edge * 0.8 + w.corating * 0.5 + w.sentiment * 0.5) / 1,
    s1: (w.genre * 1 + w.corating * (2 / Math.sqrt(12)) + w.sentiment * 0.8) / 1,
    s2: (w.genre * 0.5 + w.franchise * 1) / 0.95,
    s4: (w.genre * (1 / 3) + w.franchise * 0.5 + w.sentiment * 1) / 1,
    s5: (w.genre * 0.5) / 0.95
  }

  beforeAll(async () => {
    await seedMovies([
      { name: 'm', genres: ['A', 'B'], rating_count: 4, review_count: 2, sentiment_mean: 0.6, popularity: 5 },
      {
        name: 's1',
        genres: ['A', 'B'],
        rating_count: 3,
        review_count: 1,
        sentiment_mean: 0.2,
        popularity: 4
      },
      { name: 's2', genres: ['A'], rating_count: 0, popularity: 3 },
      { name: 's3', genres: ['C'], rating_count: 1, review_count: 1, sentiment_mean: -0.4 },
      { name: 's4', genres: ['A', 'C'], review_count: 3, sentiment_mean: 0.6 },
      { name: 's5', genres: ['A'] },
      { name: 'lonely' },
      { name: 'pm' },
      { name: 'pm-a' },
      { name: 'pm-b' },
      { name: 'pm-c' }
    ])
    await seedEdges([
      ['m', 'SIMILAR_TO', 's3', 'editorial', 0.8],
      ['s2', 'SEQUEL_OF', 'm', 'editorial', null],
      ['s4', 'SEQUEL_OF', 's2', 'editorial', null],
      ['pm', 'SIMILAR_TO', 'pm-a', 'computed', 0.4],
      ['pm', 'SIMILAR_TO', 'pm-b', 'computed', 0.3],
      ['pm', 'SIMILAR_TO', 'pm-c', 'tmdb', 0.9]
    ])
    await db.writeRows(
      `MATCH (:Movie {movie_id: $a})-[r:SIMILAR_TO]->(:Movie {movie_id: $b})
       SET r.parts = $parts, r.evidence = $evidence`,
      {
        a: id('pm'),
        b: id('pm-a'),
        parts: JSON.stringify({ edge: 0, genre: 1, corating: null, franchise: 0, sentiment: null }),
        evidence: JSON.stringify({
          shared_genres: ['x'],
          co_raters: null,
          franchise_hops: null,
          edge_source: null
        })
      }
    )
    await seedRatings([
      ['u1', 'm', 8],
      ['u2', 'm', 9],
      ['u3', 'm', 7],
      ['u4', 'm', 4],
      ['u1', 's1', 8],
      ['u1', 's3', 9],
      ['u2', 's1', 7],
      ['u3', 's1', 5]
    ])
  })

  it('ranks on the fly by the weighted parts, normalised by the weights that applied', async () => {
    const res = await get(`/movies/${id('m')}/similar`)
    expect(res.statusCode).toBe(200)
    const body = json<{
      mode: string
      items: { movie_id: string; score: number; parts: Record<string, unknown> }[]
    }>(res)
    expect(body.mode).toBe('on_the_fly')
    expect(body.items.map((i) => i.movie_id)).toEqual(['s3', 's1', 's2', 's4', 's5'].map(id))
    for (const item of body.items) {
      const name = item.movie_id.slice(P.length + 1) as keyof typeof expected
      expect(item.score).toBeCloseTo(expected[name], 5)
    }
  })

  it('gives every part so a client can show why', async () => {
    const body = json<{
      items: { movie_id: string; parts: Record<string, number | null>; evidence: unknown }[]
    }>(await get(`/movies/${id('m')}/similar`))
    const byId = new Map(body.items.map((i) => [i.movie_id, i]))
    const s1 = byId.get(id('s1'))
    expect(s1?.parts.edge).toBe(0)
    expect(s1?.parts.genre).toBe(1)
    expect(s1?.parts.corating).toBeCloseTo(2 / Math.sqrt(12), 5)
    expect(s1?.parts.franchise).toBe(0)
    expect(s1?.parts.sentiment).toBeCloseTo(0.8, 6)
    expect(s1?.evidence).toEqual({
      shared_genres: [genre('A'), genre('B')],
      co_raters: 2,
      franchise_hops: null,
      edge_source: null
    })
    expect(byId.get(id('s3'))?.parts).toMatchObject({ edge: 0.8, genre: 0, corating: 0.5, sentiment: 0.5 })
    expect(byId.get(id('s3'))?.evidence).toMatchObject({ edge_source: 'editorial', co_raters: 1 })
    expect(byId.get(id('s2'))?.parts).toMatchObject({ franchise: 1, sentiment: null })
    expect(byId.get(id('s4'))?.evidence).toMatchObject({ franchise_hops: 2 })
  })

  it('honours exclude (comma-separated or repeated), min_score and limit', async () => {
    const ex = json<{ items: { movie_id: string }[] }>(
      await get(`/movies/${id('m')}/similar?exclude=${id('s3')},${id('s2')}&exclude=${id('s5')}`)
    )
    expect(ex.items.map((i) => i.movie_id)).toEqual([id('s1'), id('s4')])
    const min = json<{ items: { movie_id: string }[] }>(
      await get(`/movies/${id('m')}/similar?min_score=0.25`)
    )
    expect(min.items.map((i) => i.movie_id)).toEqual(['s3', 's1', 's2'].map(id))
    const lim = json<{ items: unknown[] }>(await get(`/movies/${id('m')}/similar?limit=2`))
    expect(lim.items).toHaveLength(2)
  })

  it('answers an empty list for a movie with nothing in common with anything', async () => {
    const res = await get(`/movies/${id('lonely')}/similar`)
    expect(res.statusCode).toBe(200)
    expect(json(res)).toMatchObject({ mode: 'on_the_fly', items: [] })
  })

  it('serves precomputed edges in one hop, explicit edges at their own score', async () => {
    const res = await get(`/movies/${id('pm')}/similar`)
    expect(res.statusCode).toBe(200)
    const body = json<{
      mode: string
      items: { movie_id: string; score: number; source: string; parts: Record<string, unknown> }[]
    }>(res)
    expect(body.mode).toBe('precomputed')
    expect(body.items.map((i) => [i.movie_id, i.score, i.source])).toEqual([
      [id('pm-c'), 0.9, 'tmdb'],
      [id('pm-a'), 0.4, 'computed'],
      [id('pm-b'), 0.3, 'computed']
    ])
    expect(body.items[0]?.parts).toEqual({
      edge: 0.9,
      genre: null,
      corating: null,
      franchise: null,
      sentiment: null
    })
    expect(body.items[1]?.parts).toEqual({ edge: 0, genre: 1, corating: null, franchise: 0, sentiment: null })
    const filtered = json<{ items: { movie_id: string }[] }>(
      await get(`/movies/${id('pm')}/similar?exclude=${id('pm-c')}&min_score=0.35`)
    )
    expect(filtered.items.map((i) => i.movie_id)).toEqual([id('pm-a')])
  })

  it('answers 404 for an unknown movie', async () => {
    const res = await get(`/movies/${id('nope')}/similar`)
    expect(res.statusCode).toBe(404)
    expect(json(res)).toMatchObject({ error: { code: 'NOT_FOUND' } })
  })

  it.each([
    ['limit above 100', '?limit=101'],
    ['limit 0', '?limit=0'],
    ['min_score above 1', '?min_score=1.5'],
    ['too many excludes', `?exclude=${Array.from({ length: 101 }, (_, i) => `x${i}`).join(',')}`],
    ['an exclude that is no id', '?exclude=ok,not%20ok'],
    ['an unknown parameter', '?depth=2']
  ])('answers 400 for %s', async (_label, query) => {
    const res = await get(`/movies/${id('m')}/similar${query}`)
    expect(res.statusCode).toBe(400)
    expect(json<{ error: { code: string } }>(res).error.code).toMatch(/^(BAD_REQUEST|VALIDATION_FAILED)$/)
  })
})

describe('typed-edge traversals', () => {
  /*
   * f1 (1977) ← f2 (1980) ← f3 (1983) ← f4 (1999-12) by SEQUEL_OF; a-prequel (1999-05) SAME_FRANCHISE f1
   * (stored from the smaller id, a-prequel); sp SPINOFF_OF f4; rm REMAKE_OF f1; f1 SIMILAR_TO x (tmdb);
   * solo has no edge; rm2 is a stand-alone remake of solo.
   */
  beforeAll(async () => {
    await seedMovies([
      { name: 'f1', title: 'Episode IV', year: 1977, release_date: '1977-05-25' },
      { name: 'f2', title: 'Episode V', year: 1980, release_date: '1980-05-21' },
      { name: 'f3', title: 'Episode VI', year: 1983, release_date: '1983-05-25' },
      { name: 'f4', title: 'Episode I', year: 1999, release_date: '1999-12-01' },
      { name: 'a-prequel', title: 'Origins', year: 1999, release_date: '1999-05-19' },
      { name: 'sp', title: 'Rogue', year: 2016 },
      { name: 'rm', title: 'Episode IV Again', year: 2020 },
      { name: 'x', title: 'Lookalike', year: 1978 },
      { name: 'solo', title: 'Solo', year: 1950 },
      { name: 'rm2', title: 'Solo Again', year: 2010 }
    ])
    await seedEdges([
      ['f2', 'SEQUEL_OF', 'f1', 'editorial', null],
      ['f3', 'SEQUEL_OF', 'f2', 'editorial', null],
      ['f4', 'SEQUEL_OF', 'f3', 'tmdb', null],
      ['a-prequel', 'SAME_FRANCHISE', 'f1', 'editorial', null],
      ['sp', 'SPINOFF_OF', 'f4', 'editorial', null],
      ['rm', 'REMAKE_OF', 'f1', 'editorial', null],
      ['f1', 'SIMILAR_TO', 'x', 'tmdb', 0.6],
      ['rm2', 'REMAKE_OF', 'solo', 'editorial', null]
    ])
  })

  describe('GET /movies/:movie_id/related', () => {
    it('returns depth-1 paths with true edge directions', async () => {
      const res = await get(`/movies/${id('f2')}/related?types=SEQUEL_OF`)
      expect(res.statusCode).toBe(200)
      const body = json<{
        nodes: { movie_id: string }[]
        edges: unknown[]
        paths: string[][]
        depth: number
      }>(res)
      expect(body.depth).toBe(1)
      expect(body.nodes.map((n) => n.movie_id)).toEqual([id('f2'), id('f1'), id('f3')])
      expect(body.paths).toEqual([
        [id('f2'), id('f1')],
        [id('f2'), id('f3')]
      ])
      expect(body.edges).toEqual([
        {
          type: 'SEQUEL_OF',
          from: id('f2'),
          to: id('f1'),
          source: 'editorial',
          score: null,
          symmetric: false
        },
        {
          type: 'SEQUEL_OF',
          from: id('f3'),
          to: id('f2'),
          source: 'editorial',
          score: null,
          symmetric: false
        }
      ])
    })

    it('returns depth-2 paths, nearest first, over several types', async () => {
      const body = json<{ edges: { from: string; to: string; type: string }[]; paths: string[][] }>(
        await get(`/movies/${id('f2')}/related?types=SEQUEL_OF,REMAKE_OF&depth=2`)
      )
      expect(body.paths).toEqual([
        [id('f2'), id('f1')],
        [id('f2'), id('f3')],
        [id('f2'), id('f3'), id('f4')],
        [id('f2'), id('f1'), id('rm')]
      ])
      expect(body.edges).toContainEqual(
        expect.objectContaining({ type: 'REMAKE_OF', from: id('rm'), to: id('f1') })
      )
      expect(body.edges).toContainEqual(
        expect.objectContaining({ type: 'SEQUEL_OF', from: id('f4'), to: id('f3') })
      )
      expect(body.edges).toHaveLength(4)
    })

    it('goes a hop deeper only while the nearer hops leave the limit unfilled', async () => {
      const related = async (query: string) =>
        json<{ paths: string[][] }>(
          await get(`/movies/${id('f2')}/related?types=SEQUEL_OF,REMAKE_OF&${query}`)
        ).paths
      expect(await related('depth=2&limit=2')).toEqual([
        [id('f2'), id('f1')],
        [id('f2'), id('f3')]
      ])
      expect(await related('depth=2&limit=3')).toEqual([
        [id('f2'), id('f1')],
        [id('f2'), id('f3')],
        [id('f2'), id('f3'), id('f4')]
      ])
      expect(await related('depth=3&limit=4')).toEqual(await related('depth=2&limit=4'))
    })

    it('reports symmetric edges as stored, flagged, from either end', async () => {
      for (const start of ['x', 'f1']) {
        const body = json<{ edges: unknown[] }>(await get(`/movies/${id(start)}/related?types=SIMILAR_TO`))
        expect(body.edges).toEqual([
          { type: 'SIMILAR_TO', from: id('f1'), to: id('x'), source: 'tmdb', score: 0.6, symmetric: true }
        ])
      }
    })

    it('follows every type by default and honours limit', async () => {
      const all = json<{ paths: string[][] }>(await get(`/movies/${id('f1')}/related`))
      expect(all.paths.map((p) => p[1])).toEqual(['a-prequel', 'f2', 'rm', 'x'].map(id))
      const one = json<{ paths: string[][] }>(await get(`/movies/${id('f1')}/related?limit=1`))
      expect(one.paths).toEqual([[id('f1'), id('a-prequel')]])
    })

    it('answers a movie without related movies with itself alone', async () => {
      const res = await get(`/movies/${id('x')}/related?types=SEQUEL_OF&depth=3`)
      expect(res.statusCode).toBe(200)
      expect(json(res)).toMatchObject({ nodes: [{ movie_id: id('x') }], edges: [], paths: [] })
    })

    it('answers 404 for an unknown movie', async () => {
      expect((await get(`/movies/${id('nope')}/related`)).statusCode).toBe(404)
    })

    it.each([
      ['depth 4', '?depth=4'],
      ['depth 0', '?depth=0'],
      ['limit 101', '?limit=101'],
      ['an unknown type', '?types=SEQUEL_OF,IN_GENRE'],
      ['a lower-case type', '?types=sequel_of'],
      [
        'too many types',
        `?types=${['SIMILAR_TO', 'SAME_FRANCHISE', 'SEQUEL_OF', 'REMAKE_OF', 'SPINOFF_OF', 'INSPIRED_BY', 'X'].join(',')}`
      ]
    ])('answers 400 for %s', async (_label, query) => {
      const res = await get(`/movies/${id('f1')}/related${query}`)
      expect(res.statusCode).toBe(400)
      expect(json<{ error: { message: string } }>(res).error.message.length).toBeGreaterThan(0)
    })
  })

  describe('GET /paths/shortest', () => {
    const url = (from: string, to: string, extra = '') =>
      `/paths/shortest?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}${extra}`

    it('finds the shortest path with true edge directions', async () => {
      const res = await get(url(id('sp'), id('f2'), '&max_depth=3'))
      expect(res.statusCode).toBe(200)
      const body = json<{
        length: number
        path: string[]
        edges: { type: string; from: string; to: string }[]
      }>(res)
      expect(body.length).toBe(3)
      expect(body.path).toEqual(['sp', 'f4', 'f3', 'f2'].map(id))
      expect(body.edges.map((e) => [e.type, e.from, e.to])).toEqual([
        ['SPINOFF_OF', id('sp'), id('f4')],
        ['SEQUEL_OF', id('f4'), id('f3')],
        ['SEQUEL_OF', id('f3'), id('f2')]
      ])
    })

    it('reports an edge walked against its direction with its stored direction', async () => {
      const body = json<{ path: string[]; edges: { type: string; from: string; to: string }[] }>(
        await get(url(id('f2'), id('rm')))
      )
      expect(body.path).toEqual(['f2', 'f1', 'rm'].map(id))
      expect(body.edges.map((e) => [e.type, e.from, e.to])).toEqual([
        ['SEQUEL_OF', id('f2'), id('f1')],
        ['REMAKE_OF', id('rm'), id('f1')]
      ])
    })

    it('answers 404 NO_PATH when the path is longer than max_depth (default 3)', async () => {
      const res = await get(url(id('sp'), id('rm')))
      expect(res.statusCode).toBe(404)
      expect(json(res)).toMatchObject({
        error: { code: 'NOT_FOUND', details: { reason: 'NO_PATH', max_depth: 3 } }
      })
    })

    it('only follows the chosen types', async () => {
      expect((await get(url(id('sp'), id('f2'), '&types=SEQUEL_OF'))).statusCode).toBe(404)
      const ok = json<{ length: number }>(await get(url(id('sp'), id('f2'), '&types=SEQUEL_OF,SPINOFF_OF')))
      expect(ok.length).toBe(3)
    })

    it('answers 404 NO_PATH between unconnected movies', async () => {
      const res = await get(url(id('solo'), id('f1'), '&max_depth=3'))
      expect(res.statusCode).toBe(404)
      expect(json(res)).toMatchObject({ error: { details: { reason: 'NO_PATH' } } })
    })

    it('answers 404 naming an unknown movie', async () => {
      const res = await get(url(id('f1'), id('nope')))
      expect(res.statusCode).toBe(404)
      expect(json(res)).toMatchObject({ error: { details: { missing_movie_ids: [id('nope')] } } })
    })

    it.each([
      ['from = to', () => url(id('f1'), id('f1'))],
      ['max_depth 4', () => url(id('f1'), id('f2'), '&max_depth=4')],
      ['an unknown type', () => url(id('f1'), id('f2'), '&types=FRIENDS_WITH')],
      ['a missing to', () => `/paths/shortest?from=${id('f1')}`]
    ])('answers 400 for %s', async (_label, make) => {
      expect((await get(make())).statusCode).toBe(400)
    })
  })

  describe('GET /movies/:movie_id/franchise', () => {
    type Franchise = {
      anchor_movie_id: string
      main_line: { movie_id: string }[]
      spinoffs: { movie: { movie_id: string }; attaches_to: string; type: string }[]
      remakes: { movie: { movie_id: string }; attaches_to: string; type: string }[]
      truncated: boolean
    }

    it('orders the main line by release and lists spin-offs and remakes beside it', async () => {
      const res = await get(`/movies/${id('f3')}/franchise`)
      expect(res.statusCode).toBe(200)
      const body = json<Franchise>(res)
      expect(body.anchor_movie_id).toBe(id('f3'))
      expect(body.main_line.map((m) => m.movie_id)).toEqual(['f1', 'f2', 'f3', 'a-prequel', 'f4'].map(id))
      expect(body.spinoffs.map((s) => [s.movie.movie_id, s.attaches_to])).toEqual([[id('sp'), id('f4')]])
      expect(body.remakes.map((s) => [s.movie.movie_id, s.attaches_to])).toEqual([[id('rm'), id('f1')]])
      expect(body.truncated).toBe(false)
    })

    it('shows a stand-alone spin-off or remake within the franchise it attaches to', async () => {
      const sp = json<Franchise>(await get(`/movies/${id('sp')}/franchise`))
      expect(sp.anchor_movie_id).toBe(id('f4'))
      expect(sp.main_line).toHaveLength(5)
      const rm2 = json<Franchise>(await get(`/movies/${id('rm2')}/franchise`))
      expect(rm2.main_line.map((m) => m.movie_id)).toEqual([id('solo')])
      expect(rm2.remakes.map((r) => r.movie.movie_id)).toEqual([id('rm2')])
    })

    it('answers a movie without franchise with itself', async () => {
      const body = json<Franchise>(await get(`/movies/${id('x')}/franchise`))
      expect(body.main_line.map((m) => m.movie_id)).toEqual([id('x')])
      expect(body.spinoffs).toEqual([])
      expect(body.remakes).toEqual([])
    })

    it('answers 404 for an unknown movie', async () => {
      expect((await get(`/movies/${id('nope')}/franchise`)).statusCode).toBe(404)
    })
  })
})

describe('GET /users/:user_id/recommendations', () => {
  /*
   * me liked r1 (X) and r2 (X, Y), rated r3 low. n1 liked r1, r2, c1, c2, r3 (overlap 2);
   * n2 liked r1, c1, c3 (overlap 1); total overlap 3. Genre shares: X 2/3, Y 1/3.
   * r2 SIMILAR_TO s (0.9). Weights 0.5 / 0.2 / 0.3, all in use:
   *   c1 {Y}: 0.5 × 3/3 + 0.2 × 1/3       = 0.5667
   *   c2 {}:  0.5 × 2/3                   = 0.3333
   *   c3 {X}: 0.5 × 1/3 + 0.2 × 2/3       = 0.3
   *   s  {}:  0.3 × 0.9                   = 0.27
   *   g1 {X}: 0.2 × 2/3                   = 0.1333
   */
  const expected: [string, number][] = [
    ['c1', 0.5 + 0.2 / 3],
    ['c2', 0.5 * (2 / 3)],
    ['c3', 0.5 / 3 + 0.2 * (2 / 3)],
    ['s', 0.27],
    ['g1', 0.2 * (2 / 3)]
  ]

  type Recs = {
    strategy: string
    items: {
      movie_id: string
      score: number
      reasons: { kind: string; count?: number; genres?: string[] }[]
    }[]
  }

  beforeAll(async () => {
    await seedMovies([
      { name: 'r1', genres: ['X'] },
      { name: 'r2', genres: ['X', 'Y'] },
      { name: 'r3', genres: ['W'] },
      { name: 'c1', genres: ['Y'] },
      { name: 'c2' },
      { name: 'c3', genres: ['X'] },
      { name: 's' },
      { name: 'g1', genres: ['X'], popularity: 10 },
      { name: 'z1', genres: ['Z'], rating_count: 30, rating_mean: 8, popularity: 1 },
      { name: 'z2', genres: ['Z'], rating_count: 30, rating_mean: 9, popularity: 2 },
      { name: 'z3', genres: ['Z'], rating_count: 2, rating_mean: 10, popularity: 100 },
      { name: 'z4', genres: ['Z'], popularity: 50 }
    ])
    await seedEdges([['r2', 'SIMILAR_TO', 's', 'editorial', 0.9]])
    await seedRatings([
      ['me', 'r1', 9],
      ['me', 'r2', 8],
      ['me', 'r3', 3],
      ['n1', 'r1', 8],
      ['n1', 'r2', 9],
      ['n1', 'c1', 8],
      ['n1', 'c2', 9],
      ['n1', 'r3', 8],
      ['n2', 'r1', 7],
      ['n2', 'c1', 7],
      ['n2', 'c3', 10],
      ['cold', 'z1', 3]
    ])
    await db.writeRows(
      `MATCH (u:User {user_id: $user_id})
       CREATE (u)-[:SEARCHED]->(:Search {search_id: $search_id, query: 'z', normalized_query: 'z',
                                         filters: $filters, searched_at: datetime(), result_count: 0})`,
      {
        user_id: id('cold'),
        search_id: id('search'),
        filters: JSON.stringify({ genre: genre('Z').toUpperCase() })
      }
    )
  })

  it('ranks personal recommendations by the weighted parts and never repeats a rated movie', async () => {
    const res = await get(`/users/${id('me')}/recommendations?limit=5`)
    expect(res.statusCode).toBe(200)
    const body = json<Recs>(res)
    expect(body.strategy).toBe('personal')
    expect(body.items.map((i) => i.movie_id)).toEqual(expected.map(([n]) => id(n)))
    body.items.forEach((item, i) => expect(item.score).toBeCloseTo(expected[i]?.[1] ?? NaN, 5))
  })

  it('gives the reasons for each recommendation', async () => {
    const body = json<Recs>(await get(`/users/${id('me')}/recommendations?limit=5`))
    const byId = new Map(body.items.map((i) => [i.movie_id, i.reasons]))
    expect(byId.get(id('c1'))).toEqual([
      expect.objectContaining({ kind: 'similar_users', count: 2 }),
      expect.objectContaining({ kind: 'genre', genres: [genre('Y')] })
    ])
    expect(byId.get(id('s'))).toEqual([
      expect.objectContaining({
        kind: 'similar_movie',
        movie: expect.objectContaining({ movie_id: id('r2') })
      })
    ])
  })

  it('pads with popular movies, still leaving out what the user rated', async () => {
    const body = json<Recs>(await get(`/users/${id('me')}/recommendations?limit=30`))
    expect(body.items.slice(0, 5).map((i) => i.movie_id)).toEqual(expected.map(([n]) => id(n)))
    for (const item of body.items.slice(5)) expect(item.reasons[0]?.kind).toBe('popular')
    const ids = body.items.map((i) => i.movie_id)
    for (const rated of ['r1', 'r2', 'r3']) expect(ids).not.toContain(id(rated))
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('starts a user without high ratings from the genres they searched for', async () => {
    const res = await get(`/users/${id('cold')}/recommendations?limit=5`)
    expect(res.statusCode).toBe(200)
    const body = json<Recs>(res)
    expect(body.strategy).toBe('cold_start')
    // z1 was rated (low): left out. Well rated with ≥ 20 ratings by mean, then by popularity.
    expect(body.items.slice(0, 3).map((i) => i.movie_id)).toEqual(['z2', 'z3', 'z4'].map(id))
    expect(body.items[0]?.score).toBeCloseTo(0.9, 6)
    expect(body.items[0]?.reasons[0]).toMatchObject({ kind: 'popular', genres: [genre('Z')] })
    expect(body.items.map((i) => i.movie_id)).not.toContain(id('z1'))
  })

  it('treats an unknown user as a user without history', async () => {
    const res = await get(`/users/${id('stranger')}/recommendations?limit=3`)
    expect(res.statusCode).toBe(200)
    const body = json<Recs>(res)
    expect(body.strategy).toBe('cold_start')
    expect(body.items.length).toBeGreaterThan(0)
    expect(body.items.length).toBeLessThanOrEqual(3)
    for (const item of body.items) expect(item.reasons[0]?.kind).toBe('popular')
  })

  it.each([
    ['limit 101', '?limit=101'],
    ['limit 0', '?limit=0'],
    ['a bad user id', '', '%20bad']
  ])('answers 400 for %s', async (_label, query, user = id('me')) => {
    expect((await get(`/users/${user}/recommendations${query}`)).statusCode).toBe(400)
  })
})

describe('traversal transactions', () => {
  it('end at their own timeout as a QUERY_TIMEOUT, never running on', async () => {
    const started = Date.now()
    await expect(
      db.read((tx) => tx.run('UNWIND range(1, 2000000000) AS x WITH x WHERE x < 0 RETURN count(x)'), {
        timeoutMs: 200
      })
    ).rejects.toBeInstanceOf(TimeoutError)
    expect(Date.now() - started).toBeLessThan(10_000)
  })
})
