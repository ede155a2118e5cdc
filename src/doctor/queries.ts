/**
 * Cypher for `cinegraph doctor`: per check, a count, a few examples (`$limit`), and the repair.
 *
 * Every count is an aggregate over one label or relationship type, so a check reads each node
 * once or twice and holds little more than the count; examples stop at `$limit`. Repairs that visit many nodes run as
 * `CALL { } IN TRANSACTIONS`, one scan committed in batches of `$batch` rows, so an interrupted
 * repair keeps what it committed and the next run finds only what is left.
 */
import { recomputeAggregates, staleFlag } from '../data/movies/aggregates.js'
import type { AggregateKind } from '../data/movies/aggregates.js'

// ---------------------------------------------------------------------------------------------
// Ratings and reviews without their movie or user
// ---------------------------------------------------------------------------------------------

/**
 * Deletes the `label` nodes (bound as `variable`) that `orphan` holds for, a batch per
 * transaction; the condition is checked again under each node's lock, so a node an importer
 * links again meanwhile is kept.
 */
function deleteOrphans(label: 'Rating' | 'Review', variable: string, orphan: string): string {
  return `
MATCH (${variable}:${label}) WHERE ${orphan}
CALL (${variable}) {
  SET ${variable}._lock = true
  WITH ${variable}, ${orphan} AS orphan
  REMOVE ${variable}._lock
  WITH ${variable} WHERE orphan
  DETACH DELETE ${variable}
  RETURN 1 AS deleted
} IN TRANSACTIONS OF $batch ROWS
RETURN count(deleted) AS done
`
}

/**
 * Every rating has a user (GAVE) and a movie (RATES), made in the transaction that makes the
 * rating; DETACH DELETE of either end leaves the Rating node behind.
 */
const ORPHAN_RATING = `(NOT EXISTS { (r)-[:RATES]->(:Movie) } OR NOT EXISTS { (:User)-[:GAVE]->(r) })`

export const ORPHAN_RATINGS_COUNT = `
MATCH (r:Rating) WHERE ${ORPHAN_RATING}
RETURN count(r) AS count
`

export const ORPHAN_RATINGS_EXAMPLES = `
MATCH (r:Rating) WHERE ${ORPHAN_RATING}
WITH r LIMIT $limit
RETURN r {
  .rating_id, .source, .score,
  movie_id: head(COLLECT { MATCH (r)-[:RATES]->(m:Movie) RETURN m.movie_id }),
  user_id: head(COLLECT { MATCH (u:User)-[:GAVE]->(r) RETURN u.user_id })
} AS example
`

/**
 * Deletes orphan ratings. A rating does not store its user or movie (its id is a one-way hash of
 * both), so it cannot be linked again; a re-import of its source makes it anew. The test is
 * repeated under the rating's lock, so a rating an importer links again meanwhile is kept. A
 * deleted rating that still rated a movie leaves that movie's aggregates off by it, which the
 * aggregates check finds and repairs next.
 */
export const ORPHAN_RATINGS_DELETE = deleteOrphans('Rating', 'r', ORPHAN_RATING)

/**
 * A review belongs to a movie (REVIEWS); its author (WROTE) is optional, as tweets and anonymous
 * reviews have none, so a review whose user was deleted is still a whole review.
 */
const ORPHAN_REVIEW = `NOT EXISTS { (v)-[:REVIEWS]->(:Movie) }`

export const ORPHAN_REVIEWS_COUNT = `
MATCH (v:Review) WHERE ${ORPHAN_REVIEW}
RETURN count(v) AS count
`

export const ORPHAN_REVIEWS_EXAMPLES = `
MATCH (v:Review) WHERE ${ORPHAN_REVIEW}
WITH v LIMIT $limit
RETURN v { .review_id, .tweet_id, .source } AS example
`

/** Reviews store no movie id either; the importer or the API makes them again from their source. */
export const ORPHAN_REVIEWS_DELETE = deleteOrphans('Review', 'v', ORPHAN_REVIEW)

// ---------------------------------------------------------------------------------------------
// Movie aggregates that differ from their edges
// ---------------------------------------------------------------------------------------------

/**
 * Scores are stored with four decimals, so a changed rating moves a sum by 1e-4 or more; what the
 * API's step-by-step updates leave in a sum is float residue, orders of magnitude below that.
 */
const SUM_TOLERANCE = '5e-5'
const MEAN_TOLERANCE = '1e-6'

const EDGES = {
  ratings: {
    pattern: '(x:Rating)-[:RATES]->(m)',
    score: 'x.score',
    count: 'rating_count',
    sum: 'rating_sum',
    mean: 'rating_mean'
  },
  reviews: {
    pattern: '(x:Review)-[:REVIEWS]->(m)',
    score: 'x.sentiment_score',
    count: 'review_count',
    sum: 'sentiment_sum',
    mean: 'sentiment_mean'
  }
} as const

/**
 * The movies whose `kind` aggregates are not what their Rating (Review) nodes give, one row
 * (m, kind) each. One pass over the kind's edges, grouped by movie, is cheaper than a subquery per
 * movie; movies without any such edge come from a second pass that reads only their degree. A
 * movie flagged stale for the kind is left to the stale-flags check, which recomputes it anyway.
 * Absent counts and sums read as 0, as every writer reads them.
 */
function driftRows(kind: AggregateKind): string {
  const e = EDGES[kind]
  const drifts = (n: string, total: string): string => `m.${staleFlag(kind)} IS NULL AND (
       coalesce(m.${e.count}, 0) <> ${n}
    OR abs(coalesce(m.${e.sum}, 0.0) - ${total}) > ${SUM_TOLERANCE}
    OR CASE WHEN ${n} = 0 THEN m.${e.mean} IS NOT NULL
            ELSE coalesce(abs(m.${e.mean} - ${total} / ${n}) > ${MEAN_TOLERANCE}, true) END)`
  return `
    MATCH ${e.pattern.replace('(m)', '(m:Movie)')}
    WITH m, count(x) AS n, sum(${e.score}) AS total
    WHERE ${drifts('n', 'total')}
    RETURN m, '${kind}' AS kind
  UNION ALL
    MATCH (m:Movie) WHERE NOT EXISTS { ${e.pattern} } AND ${drifts('0', '0.0')}
    RETURN m, '${kind}' AS kind`
}

const AGGREGATE_DRIFT = `
CALL () {
${driftRows('ratings')}
  UNION ALL
${driftRows('reviews')}
}`

export const AGGREGATES_COUNT = `
${AGGREGATE_DRIFT}
RETURN count(DISTINCT m) AS count
`

export const AGGREGATES_EXAMPLES = `
${AGGREGATE_DRIFT}
WITH DISTINCT m LIMIT $limit
CALL (m) {
  OPTIONAL MATCH ${EDGES.ratings.pattern}
  RETURN count(x) AS ratings, sum(${EDGES.ratings.score}) AS rating_sum
}
CALL (m) {
  OPTIONAL MATCH ${EDGES.reviews.pattern}
  RETURN count(x) AS reviews, sum(${EDGES.reviews.score}) AS sentiment_sum
}
RETURN {
  movie_id: m.movie_id,
  stored: m { .rating_count, .rating_sum, .rating_mean, .review_count, .sentiment_sum, .sentiment_mean },
  actual: { rating_count: ratings, rating_sum: rating_sum, review_count: reviews, sentiment_sum: sentiment_sum }
} AS example
`

/**
 * Marks each drifting movie stale for the kinds that drift, in movie_id order (the order every
 * aggregate writer locks movies in). The stale-flags repair then recomputes them with the same
 * query the importers use, and a run interrupted in between leaves flags that the next one finds.
 */
export const AGGREGATES_FLAG = `
${AGGREGATE_DRIFT}
WITH m, kind ORDER BY m.movie_id
CALL (m, kind) {
  FOREACH (_ IN CASE WHEN kind = 'ratings' THEN [1] ELSE [] END | SET m.${staleFlag('ratings')} = true)
  FOREACH (_ IN CASE WHEN kind = 'reviews' THEN [1] ELSE [] END | SET m.${staleFlag('reviews')} = true)
} IN TRANSACTIONS OF $batch ROWS
RETURN count(DISTINCT m) AS done
`

// ---------------------------------------------------------------------------------------------
// Stale flags and expired locks left by killed jobs
// ---------------------------------------------------------------------------------------------

const STALE = `m.${staleFlag('ratings')} = true OR m.${staleFlag('reviews')} = true`

export const STALE_FLAGS_COUNT = `
MATCH (m:Movie) WHERE ${STALE}
RETURN count(m) AS count
`

export const STALE_FLAGS_EXAMPLES = `
MATCH (m:Movie) WHERE ${STALE}
WITH m LIMIT $limit
RETURN {
  movie_id: m.movie_id,
  flags: [flag IN ['${staleFlag('ratings')}', '${staleFlag('reviews')}'] WHERE m[flag] = true]
} AS example
`

/** The next page of movies flagged stale for `kind`, after `$after` in movie_id order. */
export function staleMoviesPage(kind: AggregateKind): string {
  return `
MATCH (m:Movie) WHERE m.${staleFlag(kind)} = true AND m.movie_id > $after
RETURN m.movie_id AS movie_id
ORDER BY movie_id
LIMIT $limit
`
}

/** The importers' own recompute: exact aggregates from the nodes, flags cleared. */
export function recomputeStale(kind: AggregateKind): string {
  return recomputeAggregates([kind])
}

/** A lock past its expiry: its job died without releasing it (a live job renews it). */
const EXPIRED = 'l.expires_at < datetime()'

export const EXPIRED_LOCKS_COUNT = `
MATCH (l:JobLock) WHERE ${EXPIRED}
RETURN count(l) AS count
`

export const EXPIRED_LOCKS_EXAMPLES = `
MATCH (l:JobLock) WHERE ${EXPIRED}
WITH l ORDER BY l.name LIMIT $limit
RETURN l { .name, .owner, acquired_at: toString(l.acquired_at), expires_at: toString(l.expires_at) } AS example
`

/** Checked again under the lock node's own lock, so a job taking the lock over at that moment keeps it. */
export const EXPIRED_LOCKS_DELETE = `
MATCH (l:JobLock) WHERE ${EXPIRED}
SET l._lock = true
WITH l, ${EXPIRED} AS expired
REMOVE l._lock
WITH l WHERE expired
DELETE l
RETURN count(*) AS done
`

// ---------------------------------------------------------------------------------------------
// Stored similar lists naming deleted movies
// ---------------------------------------------------------------------------------------------

/**
 * A stored list (similar_ids, with similar_scores and the JSON `similar` beside it, entry for
 * entry) that names a movie no longer in the graph, or whose arrays are out of step. Each id is a
 * seek on the movie_id constraint's index.
 */
const DEAD_IDS = '[id IN m.similar_ids WHERE NOT EXISTS { MATCH (:Movie {movie_id: id}) }]'
const BROKEN_LIST = `m.similar_ids IS NOT NULL AND (
  size(m.similar_ids) <> size(coalesce(m.similar_scores, []))
  OR any(id IN m.similar_ids WHERE NOT EXISTS { MATCH (:Movie {movie_id: id}) }))`

/**
 * The ids the stored lists name that no longer exist, each looked up once: far fewer seeks than
 * one per list entry, as the lists of a catalogue name the same movies many times over.
 */
const WITH_DEAD_IDS = `
CALL () {
  MATCH (m:Movie) WHERE m.similar_ids IS NOT NULL
  UNWIND m.similar_ids AS id
  WITH DISTINCT id WHERE NOT EXISTS { MATCH (:Movie {movie_id: id}) }
  RETURN collect(id) AS dead
}`

const NAMES_DEAD = `m.similar_ids IS NOT NULL AND (
  size(m.similar_ids) <> size(coalesce(m.similar_scores, []))
  OR (size(dead) > 0 AND any(id IN m.similar_ids WHERE id IN dead)))`

export const SIMILAR_LISTS_COUNT = `
${WITH_DEAD_IDS}
MATCH (m:Movie) WHERE ${NAMES_DEAD}
RETURN count(m) AS count
`

export const SIMILAR_LISTS_EXAMPLES = `
${WITH_DEAD_IDS}
MATCH (m:Movie) WHERE ${NAMES_DEAD}
WITH m, dead LIMIT $limit
RETURN {
  movie_id: m.movie_id,
  entries: size(m.similar_ids),
  deleted_movies: [id IN m.similar_ids WHERE id IN dead][..5]
} AS example
`

/**
 * The next page of broken lists after `$after` in movie_id order, each movie locked before its
 * list is read, so the list handed back is the one that the write in the same transaction replaces
 * (a rebuild writing the movie meanwhile waits, then replaces the repaired list whole).
 */
export const SIMILAR_LISTS_PAGE = `
MATCH (m:Movie) WHERE m.movie_id > $after AND ${BROKEN_LIST}
WITH m ORDER BY m.movie_id LIMIT $limit
SET m._lock = true
RETURN m.movie_id AS movie_id, m.similar_ids AS ids, m.similar_scores AS scores, m.similar AS list,
       ${DEAD_IDS} AS dead
`

/**
 * Writes the repaired lists; a null `ids` removes the list and what belongs to it, so the movie is
 * answered on the fly until the next rebuild, which finds it by its missing list.
 */
export const SIMILAR_LISTS_WRITE = `
UNWIND $lists AS l
MATCH (m:Movie {movie_id: l.movie_id})
SET m.similar_ids = l.ids,
    m.similar_scores = l.scores,
    m.similar = l.list,
    m.similar_fans = CASE WHEN l.ids IS NULL THEN null ELSE m.similar_fans END,
    m.similar_at = CASE WHEN l.ids IS NULL THEN null ELSE m.similar_at END,
    m.similar_run = CASE WHEN l.ids IS NULL THEN null ELSE m.similar_run END
REMOVE m._lock
RETURN count(m) AS written
`

// ---------------------------------------------------------------------------------------------
// Schema
// ---------------------------------------------------------------------------------------------

export const SHOW_INDEXES = `
SHOW INDEXES YIELD name, type, state, populationPercent, failureMessage, owningConstraint
RETURN name, type, state, populationPercent AS population_percent, failureMessage AS failure_message,
       owningConstraint AS owning_constraint
`

export const SHOW_CONSTRAINTS = `
SHOW CONSTRAINTS YIELD name
RETURN name
`

/** Waits (bounded) for indexes just created to finish populating. */
export const AWAIT_INDEXES = `CALL db.awaitIndexes($seconds)`
