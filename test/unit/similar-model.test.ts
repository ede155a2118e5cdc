import { describe, expect, it } from 'vitest'
import { SimilarityModel } from '../../src/data/similar/model.js'
import type { ModelSettings, MovieInput } from '../../src/data/similar/model.js'
import {
  combinedScore,
  coratingPart,
  franchisePart,
  normalizedWeights,
  sentimentPart
} from '../../src/data/similar/score.js'

const settings: ModelSettings = {
  weights: { edge: 2, genre: 2, corating: 4, franchise: 1, sentiment: 1 },
  maxPerGenre: 100,
  maxLinks: 100,
  coratingShrink: 1,
  candidates: 100
}

const movie = (movie_id: string, genres: string[], sentiment: number | null = null): MovieInput => ({
  movie_id,
  genres,
  sentiment,
  popularity: 0
})

describe('the similarity score', () => {
  it('divides by every weight, so missing evidence never outranks present evidence', () => {
    const w = normalizedWeights(settings.weights)
    expect(w).toEqual({ edge: 0.2, genre: 0.2, corating: 0.4, franchise: 0.1, sentiment: 0.1 })
    const genreOnly = combinedScore({ edge: 0, genre: 1, corating: null, franchise: 0, sentiment: null }, w)
    const genreAndFans = combinedScore(
      { edge: 0, genre: 1, corating: 0.05, franchise: 0, sentiment: null },
      w
    )
    expect(genreOnly).toBeCloseTo(0.2, 6)
    expect(genreAndFans).toBeGreaterThan(genreOnly)
  })

  it('shrinks a co-rating cosine backed by few fans', () => {
    expect(coratingPart(1, 1, 1, 0)).toBe(1)
    expect(coratingPart(1, 1, 1, 1)).toBe(0.5)
    expect(coratingPart(50, 100, 100, 5)).toBeCloseTo(0.5 * (50 / 55), 6)
    expect(coratingPart(0, 10, 10, 1)).toBe(0)
    // Counts not yet recomputed never push a cosine above 1.
    expect(coratingPart(3, 1, 2, 0)).toBe(1)
  })

  it('scores franchise distance and sentiment closeness', () => {
    expect(franchisePart(1)).toBe(1)
    expect(franchisePart(2)).toBe(0.5)
    expect(franchisePart(null)).toBe(0)
    expect(sentimentPart(0.5, 0.1)).toBeCloseTo(0.8, 6)
    expect(sentimentPart(0.5, null)).toBeNull()
  })

  it('refuses weights that are all zero', () => {
    expect(() => normalizedWeights({ edge: 0, genre: 0, corating: 0, franchise: 0, sentiment: 0 })).toThrow(
      RangeError
    )
  })
})

describe('SimilarityModel', () => {
  /*
   * a {G,H} liked by u1, u2, u3; b {G,H} by u1, u2; c {G} by u2; d {H} by nobody; e {} SEQUEL_OF a, f SEQUEL_OF e; tmdb a–d at 0.6.
   * Sentiment a 0.5, b 0.1. Weights (normalised) edge .2 genre .2 corating .4 franchise .1 sentiment .1.
   */
  function build(): SimilarityModel {
    const model = new SimilarityModel(
      [
        movie('b', ['G', 'H'], 0.1),
        movie('a', ['G', 'H'], 0.5),
        movie('c', ['G']),
        movie('d', ['H']),
        movie('e', []),
        movie('f', [])
      ],
      settings
    )
    model.setLikes([
      ['a', 'b'],
      ['a', 'b', 'c', 'unknown'],
      ['a', 'a']
    ])
    model.setExplicitEdges([{ from: 'a', to: 'd', score: 0.6, source: 'tmdb' }])
    model.setFranchiseLinks([
      { from: 'e', to: 'a' },
      { from: 'f', to: 'e' }
    ])
    return model
  }

  it('ranks co-liked, explicit, genre and franchise candidates by one formula', () => {
    const model = build()
    const a = model.indexOf('a') as number
    const found = model.similarTo(a, 10)
    const expected = {
      b: 0.2 * 1 + 0.4 * ((2 / Math.sqrt(6)) * (2 / 3)) + 0.1 * 0.8,
      d: 0.2 * 0.6 + 0.2 * 0.5,
      c: 0.2 * 0.5 + 0.4 * ((1 / Math.sqrt(3)) * 0.5),
      e: 0.1 * 1,
      f: 0.1 * 0.5
    }
    expect(found.map((c) => c.movie_id)).toEqual(['b', 'd', 'c', 'e', 'f'])
    for (const c of found) expect(c.score).toBeCloseTo(expected[c.movie_id as keyof typeof expected], 5)
    expect(found[0]).toMatchObject({ co_raters: 2, franchise_hops: null, edge_source: null })
    expect(found[1]).toMatchObject({ co_raters: 0, edge_source: 'tmdb', parts: { edge: 0.6, genre: 0.5 } })
    expect(found[4]).toMatchObject({ franchise_hops: 2, parts: { franchise: 0.5, genre: 0 } })
  })

  it('keeps the top k, ties broken by movie_id', () => {
    const model = build()
    expect(model.similarTo(model.indexOf('a') as number, 2).map((c) => c.movie_id)).toEqual(['b', 'd'])
    // c and d share one genre with b each and have no other evidence in common with it.
    const fromB = model.similarTo(model.indexOf('b') as number, 10)
    expect(fromB[0]?.movie_id).toBe('a')
  })

  it('reports no co-rating part for a movie nobody liked, and never lists the movie itself', () => {
    const model = build()
    const d = model.similarTo(model.indexOf('d') as number, 10)
    expect(d.every((c) => c.parts.corating === null && c.co_raters === null)).toBe(true)
    expect(d.map((c) => c.movie_id)).not.toContain('d')
    expect(d[0]?.movie_id).toBe('a')
  })

  it('counts a user who liked the same movie twice once', () => {
    const model = build()
    expect(model.fanCount(model.indexOf('a') as number)).toBe(3)
    expect(model.fanCount(model.indexOf('d') as number)).toBe(0)
  })

  it('keeps only the best explicit edges and franchise links per movie', () => {
    const model = new SimilarityModel([movie('x', []), movie('y', []), movie('z', [])], {
      ...settings,
      maxLinks: 1
    })
    model.setExplicitEdges([
      { from: 'x', to: 'y', score: 0.2, source: 'tmdb' },
      { from: 'z', to: 'x', score: 0.9, source: 'editorial' },
      { from: 'x', to: 'y', score: 0.7, source: 'editorial' }
    ])
    const found = model.similarTo(model.indexOf('x') as number, 10)
    expect(found.map((c) => [c.movie_id, c.edge_source])).toEqual([['z', 'editorial']])
  })
})
