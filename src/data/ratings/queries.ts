/**
 * Cypher for ratings. Every write that changes a movie's rating aggregates takes the movie's
 * write lock (SET m._lock) before it reads the old rating or the old aggregates, so concurrent
 * writers on one movie queue there and never lose an update.
 */

const RATING_PROJECTION = `r {
  .rating_id, .score, .original_score, .source, .rated_at, .updated_at,
  original_scale: {min: r.original_scale_min, max: r.original_scale_max},
  user_id: u.user_id, movie_id: m.movie_id
}`

const USER_RATING_PROJECTION = `r {
  .rating_id, .score, .original_score, .source, .rated_at, .updated_at,
  original_scale: {min: r.original_scale_min, max: r.original_scale_max},
  user_id: u.user_id, movie_id: m.movie_id, title: m.title
}`

/**
 * Creates or replaces one user's rating of a movie and moves the aggregates by the delta.
 * The rating id is derived from user and movie, so a retried or concurrent upsert lands on the
 * same node. No row: the movie does not exist.
 */
export const UPSERT_RATING = `
MATCH (m:Movie {movie_id: $movie_id})
SET m._lock = true
WITH m
OPTIONAL MATCH (old:Rating {rating_id: $rating_id})-[:RATES]->(m)
WITH m, old IS NOT NULL AS existed, old.score AS old_score
MERGE (u:User {user_id: $user_id})
  ON CREATE SET u.created_at = datetime()
MERGE (r:Rating {rating_id: $rating_id})
SET r.score = $score,
    r.original_score = $original_score,
    r.original_scale_min = $scale_min,
    r.original_scale_max = $scale_max,
    r.source = $source,
    r.rated_at = coalesce(datetime($rated_at), datetime()),
    r.updated_at = datetime()
MERGE (u)-[:GAVE]->(r)
MERGE (r)-[:RATES]->(m)
WITH m, r, u, existed,
     coalesce(m.rating_count, 0) + CASE WHEN existed THEN 0 ELSE 1 END AS new_count,
     toFloat(coalesce(m.rating_sum, 0.0) + $score - coalesce(old_score, 0.0)) AS new_sum
SET m.rating_count = new_count,
    m.rating_sum = new_sum,
    m.rating_mean = new_sum / new_count
REMOVE m._lock
RETURN ${RATING_PROJECTION} AS rating, NOT existed AS created
`

/**
 * Deletes one rating and takes it out of the aggregates. When the last rating goes the sum is
 * reset to exactly 0.0, so float residue never outlives the ratings. No row: no such movie.
 */
export const DELETE_RATING = `
MATCH (m:Movie {movie_id: $movie_id})
SET m._lock = true
WITH m
OPTIONAL MATCH (r:Rating {rating_id: $rating_id})-[:RATES]->(m)
WITH m, r, r IS NOT NULL AS found, coalesce(r.score, 0.0) AS old_score
DETACH DELETE r
WITH m, found,
     coalesce(m.rating_count, 0) - CASE WHEN found THEN 1 ELSE 0 END AS new_count,
     toFloat(coalesce(m.rating_sum, 0.0) - old_score) AS new_sum
SET m.rating_count = new_count,
    m.rating_sum = CASE WHEN new_count = 0 THEN 0.0 ELSE new_sum END,
    m.rating_mean = CASE WHEN new_count = 0 THEN null ELSE new_sum / new_count END
REMOVE m._lock
RETURN found
`

/**
 * Count and mean come from the movie's aggregates; the distribution counts the movie's own
 * ratings by whole point. No row: no such movie.
 */
export const MOVIE_RATING_SUMMARY = `
MATCH (m:Movie {movie_id: $movie_id})
OPTIONAL MATCH (m)<-[:RATES]-(r:Rating)
WITH m, toInteger(floor(r.score)) AS bucket, count(r) AS n
WITH m, collect({bucket: bucket, count: n}) AS found
RETURN coalesce(m.rating_count, 0) AS count,
       m.rating_mean AS mean,
       [b IN range(0, 10) | {
         bucket: b,
         count: coalesce(head([f IN found WHERE f.bucket = b | f.count]), 0)
       }] AS distribution
`

/** Newest first; fetches one row past the page to know whether another page follows. */
export const MOVIE_RATINGS_PAGE = `
WITH CASE WHEN $after_seconds IS NULL THEN null
          ELSE datetime({epochSeconds: $after_seconds, nanosecond: $after_nanos}) END AS after
MATCH (m:Movie {movie_id: $movie_id})<-[:RATES]-(r:Rating)<-[:GAVE]-(u:User)
WHERE after IS NULL OR r.rated_at < after OR (r.rated_at = after AND r.rating_id < $after_id)
RETURN ${RATING_PROJECTION} AS rating,
       toString(r.rated_at.epochSeconds) + ':' + toString(r.rated_at.nanosecond) AS position
ORDER BY r.rated_at DESC, r.rating_id DESC
LIMIT $limit
`

export const USER_EXISTS = `
MATCH (u:User {user_id: $user_id})
RETURN u.user_id AS user_id
`

/** A user's ratings with the rated movie's title, newest first, one row past the page. */
export const USER_RATINGS_PAGE = `
WITH CASE WHEN $after_seconds IS NULL THEN null
          ELSE datetime({epochSeconds: $after_seconds, nanosecond: $after_nanos}) END AS after
MATCH (u:User {user_id: $user_id})-[:GAVE]->(r:Rating)-[:RATES]->(m:Movie)
WHERE after IS NULL OR r.rated_at < after OR (r.rated_at = after AND r.rating_id < $after_id)
RETURN ${USER_RATING_PROJECTION} AS rating,
       toString(r.rated_at.epochSeconds) + ':' + toString(r.rated_at.nanosecond) AS position
ORDER BY r.rated_at DESC, r.rating_id DESC
LIMIT $limit
`
