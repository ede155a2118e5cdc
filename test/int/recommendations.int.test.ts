/**
 * GET /users/:user_id/recommendations on a small planted graph whose answers were worked out by hand.
 */
import { describe, expect, it, beforeAll } from 'vitest'
import { json, plantedGraph } from '../helpers/planted-graph.js'

const graph = plantedGraph('rec')
const { id, genre, get, seedMovies, seedEdges, seedRatings } = graph
const db = () => graph.db()

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
    await db().writeRows(
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
