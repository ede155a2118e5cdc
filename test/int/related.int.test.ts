/**
 * GET /movies/:movie_id/related on a small planted franchise whose answers were worked out by hand.
 */
import { describe, expect, it } from 'vitest'
import { json, plantFranchise, plantedGraph } from '../helpers/planted-graph.js'

const graph = plantedGraph('rel')
const { id, get } = graph

plantFranchise(graph)

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
      json<{ paths: string[][] }>(await get(`/movies/${id('f2')}/related?types=SEQUEL_OF,REMAKE_OF&${query}`))
        .paths
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
