/**
 * GET /movies/:movie_id/similar on a small planted graph whose answers were worked out by hand.
 */
import { describe, expect, it, beforeAll } from 'vitest'
import { buildTestApp } from '../helpers/app.js'
import { json, plantedGraph } from '../helpers/planted-graph.js'

// The weights and shrink this file's answers were worked out with, whatever the defaults are.
const graph = plantedGraph('sim', {
  SIMILAR_WEIGHT_EDGE: '0.35',
  SIMILAR_WEIGHT_GENRE: '0.2',
  SIMILAR_WEIGHT_CORATING: '0.25',
  SIMILAR_WEIGHT_FRANCHISE: '0.15',
  SIMILAR_WEIGHT_SENTIMENT: '0.05',
  SIMILAR_CORATING_SHRINK: '5'
})
const { id, genre, get, seedMovies, seedEdges, seedRatings } = graph
const db = () => graph.db()

describe('GET /movies/:movie_id/similar', () => {
  /*
   * m has genres {A, B}, 4 ratings (fans u1 8, u2 9, u3 7; u4 4: 3 fans) and mean sentiment 0.6.
   * A candidate's fans are its rating count until a rebuild has counted them.
   *   s1 {A,B}: u1 8, u2 7 (u3 5): co 2, count 3 → 2/√(3·3) shrunk by 2/(2+5); sentiment 0.2 → 0.8
   *   s2 {A}:   SEQUEL_OF m → franchise 1; no reviews → no sentiment part (counts 0)
   *   s3 {C}:   editorial SIMILAR_TO 0.8; u1 9: co 1, count 1 → 1/√(3·1) shrunk by 1/(1+5); sentiment -0.4 → 0.5
   *   s4 {A,C}: SEQUEL_OF s2 → two hops, 0.5; sentiment 0.6 → 1
   *   s5 {A}:   genre-mate only
   * The weights sum to 1, so a score is the weighted sum of its parts, absent parts at 0.
   */
  const w = { edge: 0.35, genre: 0.2, corating: 0.25, franchise: 0.15, sentiment: 0.05 }
  const corating = { s1: (2 / Math.sqrt(9)) * (2 / 7), s3: (1 / Math.sqrt(3)) * (1 / 6) }
  const expected = {
    s3: w.edge * 0.8 + w.corating * corating.s3 + w.sentiment * 0.5,
    s1: w.genre * 1 + w.corating * corating.s1 + w.sentiment * 0.8,
    s2: w.genre * 0.5 + w.franchise * 1,
    s4: w.genre * (1 / 3) + w.franchise * 0.5 + w.sentiment * 1,
    s5: w.genre * 0.5
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
      { name: 'pm', genres: ['P', 'Q'] },
      { name: 'pm-a', title: 'Now Called A', genres: ['Q'] },
      { name: 'pm-b' },
      { name: 'pm-c', genres: ['P', 'Q'] },
      { name: 'pm-d' }
    ])
    await seedEdges([
      ['m', 'SIMILAR_TO', 's3', 'editorial', 0.8],
      ['s2', 'SEQUEL_OF', 'm', 'editorial', null],
      ['s4', 'SEQUEL_OF', 's2', 'editorial', null],
      // A computed edge of the former edge-based rebuild: never read as similarity again.
      ['pm', 'SIMILAR_TO', 'pm-d', 'computed', 0.99]
    ])
    // A stored list as the rebuild writes it: [score, edge, genre, corating, franchise, sentiment,
    // co-raters, franchise hops, edge source] per entry, parallel to similar_ids.
    await db().writeRows(
      `MATCH (pm:Movie {movie_id: $pm})
       SET pm.similar_ids = $ids, pm.similar_scores = [0.9, 0.4, 0.3, 0.2], pm.similar = $list,
           pm.similar_at = datetime()`,
      {
        pm: id('pm'),
        ids: [id('pm-c'), id('pm-a'), id('pm-gone'), id('pm-b')],
        list: JSON.stringify([
          [0.9, 0.9, 1, 0.5, 0, null, 3, null, 'tmdb'],
          [0.4, 0, 1, null, 0, null, null, null, null],
          [0.3, 0, 0, 0, 0, null, 0, null, null],
          [0.2, 0, 0.5, 0.1, 0.5, 0.9, 1, 2, null]
        ])
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

  it('ranks on the fly by the weighted parts, absent evidence counting 0', async () => {
    const res = await get(`/movies/${id('m')}/similar`)
    expect(res.statusCode).toBe(200)
    const body = json<{
      mode: string
      items: { movie_id: string; score: number; parts: Record<string, unknown> }[]
    }>(res)
    expect(body.mode).toBe('on_the_fly')
    expect(body.items.map((i) => i.movie_id)).toEqual(['s3', 's1', 's2', 's4', 's5'].map(id))
    for (const item of body.items) {
      const name = item.movie_id.slice(id('').length) as keyof typeof expected
      expect(item.score).toBeCloseTo(expected[name], 5)
    }
  })

  it('ranks by the weights of the app it is asked, not of the environment', async () => {
    // Genre overlap alone: s1 shares both genres, s2 and s5 one of two, s4 one of three, s3 none.
    const genreOnly = await buildTestApp({
      SIMILAR_WEIGHT_EDGE: '0',
      SIMILAR_WEIGHT_GENRE: '1',
      SIMILAR_WEIGHT_CORATING: '0',
      SIMILAR_WEIGHT_FRANCHISE: '0',
      SIMILAR_WEIGHT_SENTIMENT: '0'
    })
    try {
      const res = await genreOnly.inject({ method: 'GET', url: `/movies/${id('m')}/similar` })
      expect(res.statusCode).toBe(200)
      const body = json<{
        weights: { genre: number; edge: number }
        items: { movie_id: string; score: number }[]
      }>(res)
      expect(body.weights).toMatchObject({ genre: 1, edge: 0 })
      expect(body.items[0]?.movie_id).toBe(id('s1'))
      expect(body.items.find((i) => i.movie_id === id('s3'))?.score ?? 0).toBe(0)
    } finally {
      await genreOnly.close()
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
    expect(s1?.parts.corating).toBeCloseTo(corating.s1, 5)
    expect(s1?.parts.franchise).toBe(0)
    expect(s1?.parts.sentiment).toBeCloseTo(0.8, 6)
    expect(s1?.evidence).toEqual({
      shared_genres: [genre('A'), genre('B')],
      co_raters: 2,
      franchise_hops: null,
      edge_source: null
    })
    expect(byId.get(id('s3'))?.parts).toMatchObject({ edge: 0.8, genre: 0, sentiment: 0.5 })
    expect(byId.get(id('s3'))?.parts.corating).toBeCloseTo(corating.s3, 5)
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
      await get(`/movies/${id('m')}/similar?min_score=0.24`)
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

  it('serves a stored list as it was stored, with titles and shared genres read now', async () => {
    const res = await get(`/movies/${id('pm')}/similar`)
    expect(res.statusCode).toBe(200)
    const body = json<{
      mode: string
      items: {
        movie_id: string
        title: string
        score: number
        source: string
        parts: Record<string, unknown>
        evidence: Record<string, unknown>
      }[]
    }>(res)
    expect(body.mode).toBe('precomputed')
    // pm-gone was deleted since the list was written; the former computed edge to pm-d is not read.
    expect(body.items.map((i) => [i.movie_id, i.score, i.source])).toEqual([
      [id('pm-c'), 0.9, 'computed'],
      [id('pm-a'), 0.4, 'computed'],
      [id('pm-b'), 0.2, 'computed']
    ])
    expect(body.items[0]).toMatchObject({
      parts: { edge: 0.9, genre: 1, corating: 0.5, franchise: 0, sentiment: null },
      evidence: {
        shared_genres: [genre('P'), genre('Q')],
        co_raters: 3,
        franchise_hops: null,
        edge_source: 'tmdb'
      }
    })
    expect(body.items[1]).toMatchObject({
      title: 'Now Called A',
      parts: { edge: 0, genre: 1, corating: null, franchise: 0, sentiment: null },
      evidence: { shared_genres: [genre('Q')], co_raters: null }
    })
    expect(body.items[2]?.evidence).toMatchObject({ franchise_hops: 2, co_raters: 1, shared_genres: [] })
    const filtered = json<{ items: { movie_id: string }[] }>(
      await get(`/movies/${id('pm')}/similar?exclude=${id('pm-c')}&min_score=0.35`)
    )
    expect(filtered.items.map((i) => i.movie_id)).toEqual([id('pm-a')])
    const limited = json<{ items: { movie_id: string }[] }>(await get(`/movies/${id('pm')}/similar?limit=1`))
    expect(limited.items.map((i) => i.movie_id)).toEqual([id('pm-c')])
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
    expect(json<{ error: { code: string } }>(res).error.code).toBe('VALIDATION_FAILED')
  })
})
