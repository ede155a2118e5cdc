/**
 * A movie's aggregates: rating count, sum and mean, and review count, sentiment sum and mean. The
 * API's writes move them a step at a time; whatever writes in bulk (the importers, the demo seed)
 * recomputes them from the Rating and Review nodes with the one query here instead.
 *
 * A bulk writer that changes a movie's ratings (reviews) without recomputing its aggregates marks
 * the movie with the kind's stale flag, under the movie's lock; the flag outlives a killed run, so
 * whoever recomputes later (the next run, or a repair) finds the movies to fix.
 */

export type AggregateKind = 'ratings' | 'reviews'

export const AGGREGATE_KINDS: readonly AggregateKind[] = ['ratings', 'reviews']

/** A new movie's aggregates: counts 0, sums 0.0, means absent (null) until the first rating or review. */
export const INITIAL_AGGREGATES = `m.rating_count = 0, m.rating_sum = 0.0, m.review_count = 0, m.sentiment_sum = 0.0`

const AGGREGATES = {
  ratings: {
    // Summed in id order, so the same nodes always give the same floating-point sum, whatever
    // order they were written in.
    scores: 'COLLECT { MATCH (r:Rating)-[:RATES]->(m) RETURN r.score ORDER BY r.rating_id }',
    count: 'rating_count',
    sum: 'rating_sum',
    mean: 'rating_mean',
    stale: 'ratings_stale'
  },
  reviews: {
    scores: 'COLLECT { MATCH (v:Review)-[:REVIEWS]->(m) RETURN v.sentiment_score ORDER BY v.review_id }',
    count: 'review_count',
    sum: 'sentiment_sum',
    mean: 'sentiment_mean',
    stale: 'reviews_stale'
  }
} as const

export type StaleFlag = (typeof AGGREGATES)[AggregateKind]['stale']

export function staleFlag(kind: AggregateKind): StaleFlag {
  return AGGREGATES[kind].stale
}

/**
 * Recomputes the `kinds` aggregates of the movies in $movie_ids from their Rating and Review nodes
 * and clears those kinds' stale flags. Movies are locked in movie_id order, the order every other
 * aggregate writer takes them in. Returns the number of movies found.
 */
export function recomputeAggregates(kinds: readonly AggregateKind[] = AGGREGATE_KINDS): string {
  const parts = kinds.map((kind) => ({ kind, ...AGGREGATES[kind] }))
  const list = (items: string[]): string => items.join(',\n     ')
  return `
UNWIND $movie_ids AS id
MATCH (m:Movie {movie_id: id})
WITH m ORDER BY m.movie_id
SET m._lock = true
WITH m,
     ${list(parts.map((p) => `${p.scores} AS ${p.kind}`))}
WITH m, ${kinds.join(', ')},
     ${list(parts.map((p) => `reduce(total = 0.0, x IN ${p.kind} | total + x) AS ${p.sum}`))}
SET ${parts
    .map(
      (p) =>
        `m.${p.count} = size(${p.kind}),\n    m.${p.sum} = ${p.sum},\n` +
        `    m.${p.mean} = CASE WHEN size(${p.kind}) > 0 THEN ${p.sum} / size(${p.kind}) END`
    )
    .join(',\n    ')}
REMOVE m._lock, ${parts.map((p) => `m.${p.stale}`).join(', ')}
RETURN count(m) AS movies
`
}

/** Movies left with `kind` aggregates to recompute (by this run, or by a run that was killed). */
export function staleMovies(kind: AggregateKind): string {
  return `
MATCH (m:Movie) WHERE m.${staleFlag(kind)} = true
RETURN m.movie_id AS movie_id
ORDER BY movie_id
`
}
