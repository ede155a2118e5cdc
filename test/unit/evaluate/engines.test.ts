import { describe, expect, it } from 'vitest'
import { CosineEngine, PopularityEngine, aggregateLists, likeCounts } from '../../../src/evaluate/engines.js'
import type { SimilarList } from '../../../src/evaluate/engines.js'
import { sampleUsers } from '../../../src/evaluate/evaluate.js'

describe('aggregateLists', () => {
  const lists = new Map<string, SimilarList>([
    ['s1', { ids: ['a', 'b', 'c'], scores: [0.9, 0.5, 0.1] }],
    ['s2', { ids: ['b', 'd', 's1'], scores: [0.6, 0.3, 0.8] }],
    ['s3', { ids: ['e'], scores: [0.3] }]
  ])
  const listOf = (seed: string) => lists.get(seed)

  it('sums the scores each seed gives a movie, best first, ties by movie_id', () => {
    // b 1.1, a 0.9, s1 0.8, d 0.3, e 0.3, c 0.1
    expect(aggregateLists(['s1', 's2', 's3'], listOf, new Set(), 10)).toEqual(['b', 'a', 's1', 'd', 'e', 'c'])
  })

  it('leaves out excluded movies, cuts at k and skips seeds without a list', () => {
    expect(aggregateLists(['s1', 's2', 'gone'], listOf, new Set(['s1', 'b']), 2)).toEqual(['a', 'd'])
    expect(aggregateLists([], listOf, new Set(), 5)).toEqual([])
  })
})

describe('PopularityEngine', () => {
  it('ranks by likes, ties by movie_id, and skips what the user rated', () => {
    const counts = likeCounts([
      ['a', 'b'],
      ['b', 'c'],
      ['b', 'a'],
      ['d', 'd']
    ])
    expect(counts).toEqual(
      new Map([
        ['a', 2],
        ['b', 3],
        ['c', 1],
        ['d', 1]
      ])
    )
    const engine = new PopularityEngine(counts)
    expect(engine.top(new Set(), 10)).toEqual(['b', 'a', 'c', 'd'])
    expect(engine.top(new Set(['b']), 2)).toEqual(['a', 'c'])
  })
})

describe('CosineEngine', () => {
  // Likes: a by u1 u2 u3 u4; b by u1 u2; c by u3; d by u1 u2 u3 u4 u5 u6.
  const likes = [['a', 'b', 'd'], ['a', 'b', 'd'], ['a', 'c', 'd'], ['a', 'd'], ['d'], ['d']]
  const engine = new CosineEngine(['a', 'b', 'c', 'd', 'e'], likes, 50)

  it('scores co-likes / √(likes of one × likes of the other), unshrunk', () => {
    const list = engine.listOf('a')
    // d: 4/√(4·6) = 0.8165; b: 2/√(4·2) = 0.7071; c: 1/√(4·1) = 0.5
    expect(list?.ids).toEqual(['d', 'b', 'c'])
    expect(list?.scores[0]).toBeCloseTo(4 / Math.sqrt(24), 6)
    expect(list?.scores[1]).toBeCloseTo(2 / Math.sqrt(8), 6)
    expect(list?.scores[2]).toBeCloseTo(0.5, 6)
  })

  it('has nothing for a movie nobody liked, and keeps only the best few', () => {
    expect(engine.listOf('e')).toEqual({ ids: [], scores: [] })
    expect(engine.listOf('unknown')).toBeUndefined()
    expect(new CosineEngine(['a', 'b', 'c', 'd'], likes, 1).listOf('a')?.ids).toEqual(['d'])
  })
})

describe('sampleUsers', () => {
  const users = Array.from({ length: 50 }, (_, i) => `ml-${i + 1}`)

  it('draws the same sample for the same seed, in the users’ order', () => {
    const sample = sampleUsers(users, 10, 7)
    expect(sample).toHaveLength(10)
    expect(new Set(sample).size).toBe(10)
    expect(sampleUsers(users, 10, 7)).toEqual(sample)
    expect(sampleUsers(users, 10, 8)).not.toEqual(sample)
    expect([...sample].sort((a, b) => users.indexOf(a) - users.indexOf(b))).toEqual(sample)
  })

  it('takes everyone when there are few enough', () => {
    expect(sampleUsers(users, 50, 1)).toEqual(users)
  })
})
