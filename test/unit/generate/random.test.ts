import { describe, it, expect } from 'vitest'
import { ZipfSampler, createRandom, deriveRandom, permutation } from '../../../src/generate/random.js'

describe('createRandom', () => {
  it('repeats itself for a seed and differs between seeds', () => {
    const draw = (seed: number | string) => Array.from({ length: 5 }, createRandom(seed).next)
    expect(draw(42)).toEqual(draw(42))
    expect(draw('ratings')).toEqual(draw('ratings'))
    expect(draw(42)).not.toEqual(draw(43))
    expect(deriveRandom(1, 'a').next()).not.toBe(deriveRandom(1, 'b').next())
  })

  it('stays in range and is roughly uniform', () => {
    const random = createRandom(7)
    const buckets = new Array<number>(10).fill(0)
    for (let i = 0; i < 100_000; i++) {
      const value = random.next()
      expect(value >= 0 && value < 1).toBe(true)
      buckets[Math.floor(value * 10)]! += 1
    }
    for (const count of buckets) expect(Math.abs(count - 10_000)).toBeLessThan(500)
    const ints = new Set(Array.from({ length: 1000 }, () => random.between(3, 5)))
    expect([...ints].sort()).toEqual([3, 4, 5])
  })

  it('draws by weight and from a normal distribution', () => {
    const random = createRandom(3)
    let heavy = 0
    for (let i = 0; i < 10_000; i++) if (random.weighted([1, 9]) === 1) heavy++
    expect(heavy / 10_000).toBeCloseTo(0.9, 1)
    let sum = 0
    let squares = 0
    for (let i = 0; i < 20_000; i++) {
      const value = random.gaussian()
      sum += value
      squares += value * value
    }
    expect(sum / 20_000).toBeCloseTo(0, 1)
    expect(squares / 20_000).toBeCloseTo(1, 1)
  })
})

describe('ZipfSampler', () => {
  it('gives the first ranks the share the distribution says', () => {
    const zipf = new ZipfSampler(1000, 1)
    const random = createRandom(11)
    let top = 0
    for (let i = 0; i < 50_000; i++) if (zipf.sample(random) < 10) top++
    expect(zipf.share(10)).toBeCloseTo(0.391, 2)
    expect(top / 50_000).toBeCloseTo(zipf.share(10), 1)
  })

  it('permutes every index once', () => {
    expect([...permutation(50, createRandom(1))].sort((a, b) => a - b)).toEqual(
      Array.from({ length: 50 }, (_, i) => i)
    )
  })
})
