/**
 * GET /paths/shortest on a small planted franchise whose answers were worked out by hand, and the
 * timeout every graph read runs under.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { TimeoutError } from '../../src/errors.js'
import { json, plantFranchise, plantedGraph } from '../helpers/planted-graph.js'

const graph = plantedGraph('pth')
const { id, get } = graph
const db = () => graph.db()

plantFranchise(graph)

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

// A hub with 80 similar movies, a sequel chain beside it and a movie three hops out, with every
// shortest path worked out by hand. Paths through the hub are where a search that expands from
// one end only reads the most, so these pin the answers the bidirectional search must give.
const hubGraph = plantedGraph('pth-hub')
const LEAVES = 80
const leaf = (i: number): string => `l${i}`

beforeAll(async () => {
  await hubGraph.seedMovies([
    { name: 'h', title: 'Hub' },
    ...Array.from({ length: LEAVES }, (_, i) => ({ name: leaf(i), title: `Leaf ${i}` })),
    { name: 'c1', title: 'Chain One' },
    { name: 'c2', title: 'Chain Two' },
    { name: 'm1', title: 'Middle' },
    { name: 'far', title: 'Far Away' }
  ])
  await hubGraph.seedEdges([
    ...Array.from({ length: LEAVES }, (_, i): [string, string, string, string, number] => [
      'h',
      'SIMILAR_TO',
      leaf(i),
      'tmdb',
      0.5
    ]),
    ['l0', 'SEQUEL_OF', 'c1', 'editorial', null],
    ['c1', 'SEQUEL_OF', 'c2', 'editorial', null],
    ['c2', 'SEQUEL_OF', 'l1', 'editorial', null],
    ['far', 'SEQUEL_OF', 'm1', 'editorial', null],
    ['m1', 'SEQUEL_OF', 'l5', 'editorial', null]
  ])
})

describe('GET /paths/shortest through a hub', () => {
  const hid = hubGraph.id
  const path = async (from: string, to: string, extra = '') => {
    const res = await hubGraph.get(
      `/paths/shortest?from=${encodeURIComponent(hid(from))}&to=${encodeURIComponent(hid(to))}${extra}`
    )
    return { status: res.statusCode, body: json<{ length: number; path: string[] }>(res) }
  }

  it('takes the two hops through the hub rather than the three of the chain', async () => {
    const { status, body } = await path('l0', 'l1')
    expect(status).toBe(200)
    expect(body.length).toBe(2)
    expect(body.path).toEqual(['l0', 'h', 'l1'].map(hid))
  })

  it('takes the chain when only its type is followed', async () => {
    const { body } = await path('l0', 'l1', '&types=SEQUEL_OF')
    expect(body.path).toEqual(['l0', 'c1', 'c2', 'l1'].map(hid))
  })

  it('reaches the hub in three hops, and finds no path to a leaf four hops away', async () => {
    expect((await path('far', 'h')).body.path).toEqual(['far', 'm1', 'l5', 'h'].map(hid))
    expect((await path('far', 'l6')).status).toBe(404)
    expect((await path('far', 'h', '&max_depth=2')).status).toBe(404)
    expect((await path('far', 'l5', '&max_depth=2')).body.path).toEqual(['far', 'm1', 'l5'].map(hid))
  })
})

describe('traversal transactions', () => {
  it('end at their own timeout as a QUERY_TIMEOUT, never running on', async () => {
    const started = Date.now()
    await expect(
      db().read((tx) => tx.run('UNWIND range(1, 2000000000) AS x WITH x WHERE x < 0 RETURN count(x)'), {
        timeoutMs: 200
      })
    ).rejects.toBeInstanceOf(TimeoutError)
    expect(Date.now() - started).toBeLessThan(10_000)
  })
})
