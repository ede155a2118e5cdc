import { describe, expect, it } from 'vitest'
import { toPairs } from '../../src/similarity/rebuild.js'
import type { ComputedSimilar } from '../../src/data/similarity/repository.js'

const parts = { edge: 0, genre: 1, corating: null, franchise: 0, sentiment: null }
const evidence = { shared_genres: ['Drama'], co_raters: null, franchise_hops: null, edge_source: null }

function row(source_id: string, other: string, score: number): ComputedSimilar {
  return { source_id, movie: { movie_id: other, title: null, year: null }, score, parts, evidence }
}

describe('toPairs', () => {
  it('stores each pair once, from the smaller movie_id, keeping the higher score', () => {
    const pairs = toPairs([row('b', 'a', 0.4), row('a', 'b', 0.6), row('a', 'c', 0.2)])
    expect(pairs).toEqual([
      { from: 'a', to: 'b', score: 0.6, parts, evidence },
      { from: 'a', to: 'c', score: 0.2, parts, evidence }
    ])
  })
})
