/**
 * The similarity score, in one place for the bulk rebuild, the on-the-fly query and the tests.
 *
 * score = Σ weightᵢ × partᵢ / Σ weightᵢ over all five parts, an absent part counting 0. Dividing
 * by every weight (not only by the weights of the parts that applied) is what keeps missing
 * evidence from outranking present evidence: a film with a genre match and nothing else can
 * never beat one with the same genre match that the same people also liked.
 *
 * The co-rating part is a cosine over the two movies' fans (users who liked them), shrunk toward 0
 * when few people back it: cosine × co / (co + shrink). One shared fan out of three ratings is a cosine of 0.33
 * but almost no evidence; fifty shared fans are.
 */
import type { SimilarWeights } from '../../config.js'
import type { SimilarParts } from '../../schemas/similar.js'

export const PART_NAMES = ['edge', 'genre', 'corating', 'franchise', 'sentiment'] as const

/** The weights divided by their sum, so a score is a plain weighted sum in 0..1. */
export function normalizedWeights(weights: SimilarWeights): SimilarWeights {
  const total = PART_NAMES.reduce((sum, name) => sum + weights[name], 0)
  if (total <= 0) throw new RangeError('at least one similarity weight must be above 0')
  return {
    edge: weights.edge / total,
    genre: weights.genre / total,
    corating: weights.corating / total,
    franchise: weights.franchise / total,
    sentiment: weights.sentiment / total
  }
}

/** Σ normalized weight × part, an absent (null) part counting 0. */
export function combinedScore(parts: SimilarParts, normalized: SimilarWeights): number {
  let score = 0
  for (const name of PART_NAMES) score += normalized[name] * (parts[name] ?? 0)
  return roundScore(score)
}

/**
 * Users who liked both / √(fans of one × fans of the other), shrunk by co / (co + shrink). A fan
 * count below the co-likes (a count from an older rebuild) is raised to them.
 */
export function coratingPart(co: number, fansA: number, fansB: number, shrink: number): number {
  if (co <= 0) return 0
  const cosine = co / Math.sqrt(Math.max(fansA, co) * Math.max(fansB, co))
  return roundScore(cosine * (co / (co + shrink)))
}

/** 1 − |difference of mean review sentiment| / 2; null unless both movies have reviews. */
export function sentimentPart(a: number | null, b: number | null): number | null {
  if (a === null || b === null) return null
  return roundScore(1 - Math.abs(a - b) / 2)
}

/** 1 for a direct franchise link, ½ two hops away, else 0. */
export function franchisePart(hops: number | null): number {
  return hops === null ? 0 : roundScore(1 / hops)
}

/** Scores are sums of float products; six decimals is all a client can use. */
export function roundScore(value: number): number {
  return Math.min(1, Math.max(0, Math.round(value * 1e6) / 1e6))
}
