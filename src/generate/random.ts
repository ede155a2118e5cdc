/**
 * A small seeded PRNG for the dataset generator: sfc32 (a 128-bit-state generator that passes
 * PractRand) seeded through splitmix32. Math.random cannot be seeded, and generated files must
 * be identical for the same seed.
 */

export interface Random {
  /** Uniform in [0, 1). */
  next(): number
  /** Uniform integer in [0, n). */
  int(n: number): number
  /** Uniform integer in [min, max]. */
  between(min: number, max: number): number
  chance(probability: number): boolean
  pick<T>(items: readonly T[]): T
  /** Index drawn with probability proportional to its weight. */
  weighted(weights: readonly number[]): number
  /** A standard normal draw. */
  gaussian(): number
}

function splitmix32(seed: number): () => number {
  let state = seed | 0
  return () => {
    state = (state + 0x9e3779b9) | 0
    let t = state ^ (state >>> 16)
    t = Math.imul(t, 0x21f0aaad)
    t ^= t >>> 15
    t = Math.imul(t, 0x735a2d97)
    return (t ^ (t >>> 15)) >>> 0
  }
}

/** FNV-1a, to turn labels into seeds. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

export function createRandom(seed: number | string): Random {
  const init = splitmix32(
    typeof seed === 'string' ? hashString(seed) : Math.trunc(seed) ^ Math.trunc(seed / 2 ** 32)
  )
  let a = init()
  let b = init()
  let c = init()
  let d = init()
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return (t >>> 0) / 4294967296
  }
  // The first outputs still resemble the seed; drop them.
  for (let i = 0; i < 12; i++) next()

  let spareGaussian: number | undefined
  const random: Random = {
    next,
    int: (n) => Math.floor(next() * n),
    between: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (probability) => next() < probability,
    pick: (items) => items[Math.floor(next() * items.length)] as (typeof items)[number],
    weighted(weights) {
      let total = 0
      for (const weight of weights) total += weight
      let target = next() * total
      for (let i = 0; i < weights.length; i++) {
        target -= weights[i] as number
        if (target < 0) return i
      }
      return weights.length - 1
    },
    gaussian() {
      if (spareGaussian !== undefined) {
        const value = spareGaussian
        spareGaussian = undefined
        return value
      }
      // Box–Muller; 1 - next() keeps the logarithm finite.
      const radius = Math.sqrt(-2 * Math.log(1 - next()))
      const angle = 2 * Math.PI * next()
      spareGaussian = radius * Math.sin(angle)
      return radius * Math.cos(angle)
    }
  }
  return random
}

/** An independent stream for one part of the output, so that part does not shift when another changes. */
export function deriveRandom(seed: number, label: string): Random {
  return createRandom((hashString(label) ^ Math.imul(seed | 0, 0x9e3779b1)) >>> 0)
}

/**
 * Zipf-like ranks: rank k (0-based) is drawn with probability ∝ 1 / (k + 1)^exponent. Sampling is
 * a binary search over the cumulative weights.
 */
export class ZipfSampler {
  private readonly cumulative: Float64Array

  constructor(
    readonly size: number,
    readonly exponent: number
  ) {
    if (size < 1) throw new Error('a Zipf sampler needs at least one rank')
    this.cumulative = new Float64Array(size)
    let total = 0
    for (let k = 0; k < size; k++) {
      total += 1 / Math.pow(k + 1, exponent)
      this.cumulative[k] = total
    }
  }

  sample(random: Random): number {
    const target = random.next() * (this.cumulative[this.size - 1] as number)
    let low = 0
    let high = this.size - 1
    while (low < high) {
      const middle = (low + high) >>> 1
      if ((this.cumulative[middle] as number) > target) high = middle
      else low = middle + 1
    }
    return low
  }

  /** Share of all draws that fall on the first `ranks` ranks. */
  share(ranks: number): number {
    if (ranks <= 0) return 0
    return (
      (this.cumulative[Math.min(ranks, this.size) - 1] as number) / (this.cumulative[this.size - 1] as number)
    )
  }
}

/** A random permutation of 0..n-1 (Fisher–Yates). */
export function permutation(n: number, random: Random): Int32Array {
  const order = new Int32Array(n)
  for (let i = 0; i < n; i++) order[i] = i
  for (let i = n - 1; i > 0; i--) {
    const j = random.int(i + 1)
    const swap = order[i] as number
    order[i] = order[j] as number
    order[j] = swap
  }
  return order
}
