import { describe, expect, it } from 'vitest'
import { MetricsAccumulator, dcgAtK, hitAtK, idealDcg, ndcgAtK } from '../../../src/evaluate/metrics.js'

describe('top-k metrics', () => {
  it('counts a hit only inside the first k', () => {
    const relevant = new Set(['c'])
    expect(hitAtK(['a', 'b', 'c'], relevant, 3)).toBe(true)
    expect(hitAtK(['a', 'b', 'c'], relevant, 2)).toBe(false)
    expect(hitAtK([], relevant, 10)).toBe(false)
  })

  it('discounts a hit by log2 of its rank + 1', () => {
    // Rank 1 counts 1, rank 2 1/log2(3), rank 4 1/log2(5).
    expect(dcgAtK(['x', 'a'], new Set(['x']), 10)).toBe(1)
    expect(dcgAtK(['a', 'x'], new Set(['x']), 10)).toBeCloseTo(1 / Math.log2(3), 12)
    expect(dcgAtK(['a', 'x', 'b', 'y'], new Set(['x', 'y']), 10)).toBeCloseTo(
      1 / Math.log2(3) + 1 / Math.log2(5),
      12
    )
    expect(dcgAtK(['a', 'x', 'b', 'y'], new Set(['x', 'y']), 3)).toBeCloseTo(1 / Math.log2(3), 12)
  })

  it('divides by the DCG of the best list, over min(held out, k) hits', () => {
    expect(idealDcg(1, 10)).toBe(1)
    expect(idealDcg(2, 10)).toBeCloseTo(1 + 1 / Math.log2(3), 12)
    expect(idealDcg(5, 1)).toBe(1)
    expect(idealDcg(0, 10)).toBe(0)
    // Two held out, one found at rank 2: (1/log2 3) / (1 + 1/log2 3) = 0.3869...
    expect(ndcgAtK(['a', 'x'], new Set(['x', 'y']), 10)).toBeCloseTo(
      1 / Math.log2(3) / (1 + 1 / Math.log2(3)),
      12
    )
    expect(ndcgAtK(['x', 'y'], new Set(['x', 'y']), 10)).toBeCloseTo(1, 12)
    // k = 1 asks for one hit only: finding one of two at rank 1 is perfect.
    expect(ndcgAtK(['y'], new Set(['x', 'y']), 1)).toBe(1)
    expect(ndcgAtK(['a'], new Set<string>(), 10)).toBe(0)
  })

  it('averages over users and counts distinct movies for coverage', () => {
    const m = new MetricsAccumulator(3)
    m.add(['a', 'b', 'c', 'd'], new Set(['a'])) // hit at 1: nDCG 1
    m.add(['a', 'b', 'c', 'd'], new Set(['c'])) // hit at 3: nDCG 1/log2 4 = 0.5
    m.add(['e', 'a', 'b', 'd'], new Set(['d'])) // d is 4th: no hit
    m.add(['f'], new Set(['z'])) // a short list
    const result = m.result(12)
    expect(result.users).toBe(4)
    expect(result.hitRate).toBe(0.5)
    expect(result.ndcg).toBeCloseTo((1 + 0.5 + 0 + 0) / 4, 12)
    // a, b, c, e, f: d never made a top 3.
    expect(result.coverage).toBeCloseTo(5 / 12, 12)
  })

  it('reports zeros for no users', () => {
    expect(new MetricsAccumulator(10).result(100)).toEqual({ hitRate: 0, ndcg: 0, coverage: 0, users: 0 })
  })
})
