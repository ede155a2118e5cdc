/**
 * GET /movies/:movie_id/franchise on a small planted franchise whose answers were worked out by hand.
 */
import { describe, expect, it } from 'vitest'
import { json, plantFranchise, plantedGraph } from '../helpers/planted-graph.js'

const graph = plantedGraph('frn')
const { id, get } = graph

plantFranchise(graph)

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
