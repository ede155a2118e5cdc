/**
 * Cypher for reviews. Every write that changes a movie's review aggregates takes the movie's write
 * lock (`SET m._lock = true`) before it reads the old values, so concurrent writers never lose an
 * update; the lock is held until commit, and the marker property is removed in the same transaction.
 */

/** Review timestamps are UTC with millisecond precision: exactly what the API prints and cursors carry. */
const NOW = "datetime.truncate('millisecond', datetime({timezone: 'Z'}))"

/** The API shape of a review `r` of movie `m`. */
const REVIEW = `r {
  .review_id, .source, .tweet_id, .author, .content, .language, .url, .created_at, .updated_at,
  .sentiment_score, .sentiment_label, .retweet_count,
  movie_id: m.movie_id,
  author_id: [(u:User)-[:WROTE]->(r) | u.user_id][0]
}`

/** Recomputes the mean from the count and sum; an absent property is how Neo4j stores null. */
const SET_SENTIMENT_MEAN = `SET m.sentiment_mean = CASE WHEN m.review_count > 0 THEN m.sentiment_sum / m.review_count END`

/** Locks the movie and reports whether the ids a new review wants are already taken. */
export const LOCK_MOVIE_FOR_CREATE = `
MATCH (m:Movie {movie_id: $movie_id})
SET m._lock = true
RETURN
  EXISTS { MATCH (:Review {review_id: $review_id}) } AS review_id_taken,
  head(COLLECT { MATCH (r:Review {tweet_id: $tweet_id}) RETURN r.review_id }) AS tweet_id_taken_by
`

/** Runs after LOCK_MOVIE_FOR_CREATE in the same transaction. */
export const CREATE_REVIEW = `
MATCH (m:Movie {movie_id: $movie_id})
CREATE (r:Review)-[:REVIEWS]->(m)
SET r = $props,
    r.created_at = coalesce(datetime($created_at), ${NOW}),
    r.updated_at = ${NOW}
SET m.review_count = coalesce(m.review_count, 0) + 1,
    m.sentiment_sum = coalesce(m.sentiment_sum, 0.0) + r.sentiment_score
${SET_SENTIMENT_MEAN}
REMOVE m._lock
WITH m, r
CALL (r) {
  WITH r WHERE $author_id IS NOT NULL
  MERGE (u:User {user_id: $author_id})
    ON CREATE SET u.created_at = datetime()
  CREATE (u)-[:WROTE]->(r)
}
RETURN ${REVIEW} AS review
`

export const GET_REVIEW = `
MATCH (r:Review {review_id: $review_id})-[:REVIEWS]->(m:Movie)
RETURN ${REVIEW} AS review
`

export const GET_REVIEW_BY_TWEET = `
MATCH (r:Review {tweet_id: $tweet_id})-[:REVIEWS]->(m:Movie)
RETURN ${REVIEW} AS review
`

/**
 * Newest first, keyset on (created_at, review_id). No row at all means the movie does not exist;
 * an existing movie always answers one row, with an empty list when nothing matches.
 */
export const LIST_MOVIE_REVIEWS = `
MATCH (m:Movie {movie_id: $movie_id})
RETURN COLLECT {
  MATCH (r:Review)-[:REVIEWS]->(m)
  WHERE ($source IS NULL OR r.source = $source)
    AND ($sentiment IS NULL OR r.sentiment_label = $sentiment)
    AND ($after_created_at IS NULL
      OR r.created_at < datetime($after_created_at)
      OR (r.created_at = datetime($after_created_at) AND r.review_id < $after_review_id))
  WITH m, r
  ORDER BY r.created_at DESC, r.review_id DESC
  LIMIT $limit
  RETURN ${REVIEW}
} AS items
`

/**
 * First statement of a PATCH or DELETE: finds the review's movie and locks it, so the movie is
 * always the first lock taken. The next statement matches the review again under that lock.
 */
export const LOCK_MOVIE_OF_REVIEW = `
MATCH (:Review {review_id: $review_id})-[:REVIEWS]->(m:Movie)
SET m._lock = true
RETURN m.movie_id AS movie_id
`

/** `$changes` holds only the fields the PATCH names; a null value removes the property. */
export const UPDATE_REVIEW = `
MATCH (m:Movie {movie_id: $movie_id})
MATCH (r:Review {review_id: $review_id})-[:REVIEWS]->(m)
WITH m, r, r.sentiment_score AS old_score
SET r += $changes, r.updated_at = ${NOW}
SET m.sentiment_sum = coalesce(m.sentiment_sum, 0.0) + (r.sentiment_score - old_score)
${SET_SENTIMENT_MEAN}
REMOVE m._lock
RETURN ${REVIEW} AS review
`

export const DELETE_REVIEW = `
MATCH (m:Movie {movie_id: $movie_id})
MATCH (r:Review {review_id: $review_id})-[:REVIEWS]->(m)
WITH m, r, r.sentiment_score AS score
DETACH DELETE r
SET m.review_count = m.review_count - 1
// Back to exactly 0.0 when the last review goes, so rounding residue cannot outlive the reviews.
SET m.sentiment_sum = CASE WHEN m.review_count = 0 THEN 0.0 ELSE m.sentiment_sum - score END
${SET_SENTIMENT_MEAN}
REMOVE m._lock
RETURN m.movie_id AS movie_id
`

/**
 * Batch, step 1: lock every movie the batch names, in movie_id order so that concurrent batches
 * take their locks in the same order.
 */
export const BATCH_LOCK_MOVIES = `
CALL () {
  UNWIND $movie_ids AS id
  MATCH (m:Movie {movie_id: id})
  RETURN m
  UNION
  UNWIND $tmdb_ids AS tmdb_id
  MATCH (m:Movie {tmdb_id: tmdb_id})
  RETURN m
}
WITH m ORDER BY m.movie_id
SET m._lock = true
RETURN m.movie_id AS movie_id, m.tmdb_id AS tmdb_id
`

/**
 * Batch, step 2: the stored reviews the batch's tweet_ids and review_ids refer to, including
 * reviews whose movie was deleted by hand (movie_id null), so that importing them again links
 * them to the movie instead of colliding with their own tweet_id.
 */
export const BATCH_EXISTING_REVIEWS = `
CALL () {
  UNWIND $tweet_ids AS tweet_id
  MATCH (r:Review {tweet_id: tweet_id})
  RETURN r
  UNION
  UNWIND $review_ids AS review_id
  MATCH (r:Review {review_id: review_id})
  RETURN r
}
OPTIONAL MATCH (r)-[:REVIEWS]->(m:Movie)
RETURN ${REVIEW} AS review
`

export const BATCH_CREATE_REVIEWS = `
UNWIND $creates AS c
MATCH (m:Movie {movie_id: c.movie_id})
CREATE (r:Review)-[:REVIEWS]->(m)
SET r = c.props,
    r.created_at = coalesce(datetime(c.created_at), ${NOW}),
    r.updated_at = ${NOW}
WITH r, c
WHERE c.author_id IS NOT NULL
MERGE (u:User {user_id: c.author_id})
  ON CREATE SET u.created_at = datetime()
CREATE (u)-[:WROTE]->(r)
`

/** Batch: changed fields, and the link to its movie for a review that had lost it. */
export const BATCH_UPDATE_REVIEWS = `
UNWIND $updates AS c
MATCH (r:Review {review_id: c.review_id})
SET r += c.changes, r.updated_at = ${NOW}
WITH r, c
WHERE c.relink_to IS NOT NULL
MATCH (m:Movie {movie_id: c.relink_to})
MERGE (r)-[:REVIEWS]->(m)
`

/** Batch, last step: apply each locked movie's net change and release the lock marker. */
export const BATCH_APPLY_AGGREGATES = `
UNWIND $movies AS d
MATCH (m:Movie {movie_id: d.movie_id})
REMOVE m._lock
WITH m, d
WHERE d.count_delta <> 0 OR d.sum_delta <> 0.0
SET m.review_count = coalesce(m.review_count, 0) + d.count_delta,
    m.sentiment_sum = coalesce(m.sentiment_sum, 0.0) + d.sum_delta
${SET_SENTIMENT_MEAN}
`
