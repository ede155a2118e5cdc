import { describe, expect, it } from 'vitest'
import { assembleGraph } from '../../src/data/movie-graph.js'
import type { PathRow } from '../../src/data/movie-graph.js'

const node = (movie_id: string) => ({ movie_id, title: movie_id.toUpperCase(), year: null })

describe('assembleGraph', () => {
  it('keeps each node and edge once, in first-seen order, with stored directions', () => {
    const rows: PathRow[] = [
      {
        nodes: [node('a'), node('b')],
        edges: [{ key: 'e1', type: 'SEQUEL_OF', from: 'b', to: 'a', source: 'editorial', score: null }]
      },
      {
        nodes: [node('a'), node('b'), node('c')],
        edges: [
          { key: 'e1', type: 'SEQUEL_OF', from: 'b', to: 'a', source: 'editorial', score: null },
          { key: 'e2', type: 'SIMILAR_TO', from: 'b', to: 'c', source: 'tmdb', score: 0.7 }
        ]
      }
    ]
    const graph = assembleGraph(rows)
    expect(graph.nodes.map((n) => n.movie_id)).toEqual(['a', 'b', 'c'])
    expect(graph.edges).toEqual([
      { type: 'SEQUEL_OF', from: 'b', to: 'a', source: 'editorial', score: null, symmetric: false },
      { type: 'SIMILAR_TO', from: 'b', to: 'c', source: 'tmdb', score: 0.7, symmetric: true }
    ])
    expect(graph.paths).toEqual([
      ['a', 'b'],
      ['a', 'b', 'c']
    ])
  })

  it('puts the start node first even with no path', () => {
    expect(assembleGraph([], node('z'))).toEqual({ nodes: [node('z')], edges: [], paths: [] })
  })
})
