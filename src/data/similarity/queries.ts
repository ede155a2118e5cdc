/**
 * Cypher for movie similarity. One query computes it for a list of movies (one for a request,
 * a batch for the rebuild); every fan-out through a hub (a movie's raters, a rater's ratings, a
 * genre's movies, a movie's links) is capped by a parameter, so no movie or genre is big enough
 * to make it run away.
 */
import { relationshipTypeToken } from '../../domain/relationship-types.js'
import { popularGenreMates } from './genre-mates.js'

/** Links that put two movies in one franchise; INSPIRED_BY is influence, not franchise. */
export const FRANCHISE_LINK = ['SAME_FRANCHISE', 'SEQUEL_OF', 'SPINOFF_OF', 'REMAKE_OF']
  .map((t) => relationshipTypeToken(t))
  .join('|')

const SIMILAR_TO = relationshipTypeToken('SIMILAR_TO')

/** Where a candidate may come from: never the movie itself, an excluded one, or outside the scope. */
const CANDIDATE_OK = `c <> m AND NOT c.movie_id IN $exclude AND ($scope IS NULL OR c.movie_id IN $scope)`

/**
 * Ranked similar movies for each movie in $movie_ids, at most $limit each, with the score parts.
 *
 * Candidates come from four capped branches: co-raters (the movie's $max_coraters most recent
 * fans, each expanded to their $max_ratings_per_corater most recent high ratings), genre-mates
 * ($max_per_genre most popular per genre), explicit SIMILAR_TO edges and franchise links up to
 * two hops ($max_links each). Parts, each in 0..1:
 * - edge: score of an explicit (non-computed) SIMILAR_TO edge, 0 without one;
 * - genre: Jaccard index of the genre sets (null when the movie has no genre);
 * - corating: fans who rated both highly / sqrt(rating_count × rating_count), a cosine over the two
 *   movies' raters (null when the movie has no fan; a lower bound when it has more than the cap);
 * - franchise: 1 for a direct link, 0.5 two hops away, else 0;
 * - sentiment: 1 - |Δ mean sentiment| / 2, only when both movies have reviews (else null).
 * score = Σ weight × part / Σ weight of the parts that are not null. Computed SIMILAR_TO edges are
 * never an input, so a rebuild does not feed on its own output. With $skip_explicit, pairs that
 * already have an explicit edge are left out (the rebuild does not duplicate them).
 */
export const SIMILAR_MOVIES = `
UNWIND $movie_ids AS source_id
MATCH (m:Movie {movie_id: source_id})
CALL (m) {
  WITH m,
       COLLECT { MATCH (m)-[:IN_GENRE]->(g:Genre) RETURN g } AS m_genres,
       COLLECT {
         MATCH (m)<-[:RATES]-(r:Rating)<-[:GAVE]-(u:User)
         WHERE r.score >= $high_rating
         WITH u, r ORDER BY r.rated_at DESC, u.user_id
         LIMIT $max_coraters
         RETURN u
       } AS fans
  CALL (m, fans) {
      UNWIND fans AS u
      CALL (m, u) {
        MATCH (u)-[:GAVE]->(r:Rating)-[:RATES]->(c:Movie)
        WHERE r.score >= $high_rating AND ${CANDIDATE_OK}
        RETURN c
        ORDER BY r.rated_at DESC, c.movie_id
        LIMIT $max_ratings_per_corater
      }
      RETURN c, count(*) AS co, null AS edge, null AS edge_source, null AS hops
    UNION ALL
      MATCH (m)-[:IN_GENRE]->(g:Genre)
      CALL (m, g) {${popularGenreMates('m, g', CANDIDATE_OK, '$scope IS NULL')}
      }
      RETURN c, 0 AS co, null AS edge, null AS edge_source, null AS hops
    UNION ALL
      MATCH (m)-[e:${SIMILAR_TO}]-(c:Movie)
      WHERE coalesce(e.source, '') <> 'computed' AND ${CANDIDATE_OK}
      WITH c, e ORDER BY coalesce(e.score, 1.0) DESC, c.movie_id
      LIMIT $max_links
      RETURN c, 0 AS co, coalesce(e.score, 1.0) AS edge, e.source AS edge_source, null AS hops
    UNION ALL
      MATCH p = (m)-[:${FRANCHISE_LINK}*1..2]-(c:Movie)
      WHERE ${CANDIDATE_OK}
      WITH c, min(length(p)) AS hops ORDER BY hops, c.movie_id
      LIMIT $max_links
      RETURN c, 0 AS co, null AS edge, null AS edge_source, hops
  }
  WITH m, m_genres, fans, c,
       max(co) AS co, max(edge) AS edge, max(edge_source) AS edge_source, min(hops) AS hops
  WHERE NOT ($skip_explicit AND edge IS NOT NULL)
  WITH m, m_genres, fans, c, co, edge, edge_source, hops,
       COLLECT { MATCH (c)-[:IN_GENRE]->(g:Genre) RETURN g } AS c_genres
  WITH m, c, co, edge_source, hops, m_genres, c_genres, fans,
       coalesce(edge, 0.0) AS edge_part,
       [g IN c_genres WHERE g IN m_genres] AS shared
  WITH m, c, co, edge_source, hops, edge_part,
       [g IN shared | g.name] AS shared_genres,
       CASE WHEN size(m_genres) = 0 THEN null
            ELSE toFloat(size(shared)) / (size(m_genres) + size(c_genres) - size(shared)) END AS genre_part,
       CASE WHEN size(fans) = 0 THEN null
            WHEN co = 0 THEN 0.0
            ELSE co / sqrt(toFloat(CASE WHEN m.rating_count >= co THEN m.rating_count ELSE co END)
                           * (CASE WHEN c.rating_count >= co THEN c.rating_count ELSE co END)) END AS corating_part,
       CASE WHEN hops IS NULL THEN 0.0 ELSE 1.0 / hops END AS franchise_part,
       CASE WHEN coalesce(m.review_count, 0) > 0 AND coalesce(c.review_count, 0) > 0
                 AND m.sentiment_mean IS NOT NULL AND c.sentiment_mean IS NOT NULL
            THEN 1.0 - abs(m.sentiment_mean - c.sentiment_mean) / 2 END AS sentiment_part
  WITH m, c, co, edge_source, hops, shared_genres,
       edge_part, genre_part, corating_part, franchise_part, sentiment_part,
       $weights.edge * edge_part + $weights.franchise * franchise_part
         + coalesce($weights.genre * genre_part, 0.0)
         + coalesce($weights.corating * corating_part, 0.0)
         + coalesce($weights.sentiment * sentiment_part, 0.0) AS weighted,
       $weights.edge + $weights.franchise
         + CASE WHEN genre_part IS NULL THEN 0.0 ELSE $weights.genre END
         + CASE WHEN corating_part IS NULL THEN 0.0 ELSE $weights.corating END
         + CASE WHEN sentiment_part IS NULL THEN 0.0 ELSE $weights.sentiment END AS used
  WITH m, c, co, edge_source, hops, shared_genres,
       edge_part, genre_part, corating_part, franchise_part, sentiment_part,
       CASE WHEN used = 0 THEN 0.0 ELSE weighted / used END AS score
  WHERE score > 0 AND score >= $min_score
  RETURN c, score, co, edge_source, hops, shared_genres,
         edge_part, genre_part, corating_part, franchise_part, sentiment_part
  ORDER BY score DESC, c.movie_id
  LIMIT $limit
}
RETURN m.movie_id AS source_id,
       c {.movie_id, .title, .year} AS movie,
       score,
       {edge: edge_part, genre: genre_part, corating: corating_part,
        franchise: franchise_part, sentiment: sentiment_part} AS parts,
       {shared_genres: shared_genres, co_raters: co, franchise_hops: hops, edge_source: edge_source} AS evidence
ORDER BY source_id, score DESC, movie.movie_id
`

/** Whether the movie exists and whether a rebuild left computed similarity for it. */
export const SIMILARITY_MODE = `
MATCH (m:Movie {movie_id: $movie_id})
RETURN EXISTS { (m)-[:${SIMILAR_TO} {source: 'computed'}]-(:Movie) } AS precomputed
`

/**
 * Precomputed similarity in one hop: every SIMILAR_TO edge of the movie, computed or explicit,
 * each at its own score. A symmetric edge is stored once, so the pattern has no direction. A
 * popular movie is in thousands of other movies' top lists, so the edges are ranked on their
 * score alone and only the $limit kept ones have their titles and JSON parts read.
 */
export const PRECOMPUTED_SIMILAR = `
MATCH (m:Movie {movie_id: $movie_id})-[e:${SIMILAR_TO}]-(c:Movie)
WITH e, c, coalesce(e.score, 1.0) AS score, c.movie_id AS movie_id
WHERE score >= $min_score AND NOT movie_id IN $exclude
ORDER BY score DESC, movie_id
LIMIT $limit
RETURN c {.movie_id, .title, .year} AS movie,
       score,
       e.source AS source,
       e.parts AS parts_json,
       e.evidence AS evidence_json
ORDER BY score DESC, movie_id
`

/** How many movies a rebuild will visit (all of them, or those of the scope). */
export const COUNT_MOVIES = `
MATCH (m:Movie)
WHERE $scope IS NULL OR m.movie_id IN $scope
RETURN count(m) AS total
`

/** The next page of movie_ids after $after, in movie_id order (the unique index gives the order). */
export const MOVIE_ID_PAGE = `
MATCH (m:Movie)
WHERE m.movie_id > $after AND ($scope IS NULL OR m.movie_id IN $scope)
RETURN m.movie_id AS movie_id
ORDER BY m.movie_id
LIMIT $limit
`

/**
 * Takes the write lock on movies, in the order given (sorted by the caller). The relationship
 * routes lock both ends of an edge in movie_id order before they MERGE, so taking the same locks
 * first makes "is there an explicit edge?" and "write the computed one" one step for them.
 */
export const LOCK_MOVIES = `
UNWIND $movie_ids AS movie_id
MATCH (m:Movie {movie_id: movie_id})
SET m._lock = true
REMOVE m._lock
RETURN count(m) AS locked
`

/**
 * Writes computed SIMILAR_TO edges, stored once from the smaller movie_id to the larger. A pair
 * that has an explicit (editorial, tmdb, ...) edge is skipped, so there is never more than one
 * SIMILAR_TO per pair and explicit edges are never changed. The MERGE pattern names the source,
 * so it can only ever match a computed edge. A pair chosen from both ends in one run keeps the
 * higher score. The second movie is found in a subquery so the two lookups are not joined as a
 * cartesian product.
 */
export const WRITE_COMPUTED_EDGES = `
UNWIND $pairs AS pair
MATCH (a:Movie {movie_id: pair.from})
CALL (pair) {
  MATCH (b:Movie {movie_id: pair.to})
  RETURN b
}
WITH a, b, pair
WHERE NOT EXISTS { (a)-[x:${SIMILAR_TO}]-(b) WHERE coalesce(x.source, '') <> 'computed' }
MERGE (a)-[r:${SIMILAR_TO} {source: 'computed'}]->(b)
  ON CREATE SET r.created_at = datetime()
WITH r, pair, coalesce(r.run_id = $run_id AND r.score >= pair.score, false) AS keep
SET r.score = CASE WHEN keep THEN r.score ELSE pair.score END,
    r.parts = CASE WHEN keep THEN r.parts ELSE pair.parts END,
    r.evidence = CASE WHEN keep THEN r.evidence ELSE pair.evidence END,
    r.run_id = $run_id,
    r.updated_at = datetime()
RETURN count(r) AS written
`

/**
 * Removes computed edges an earlier run left, starting at the given movies, and counts the ones
 * this run wrote. Every edge is stored from its smaller movie_id, so following outgoing edges
 * visits each one once over a full pass.
 */
export const DELETE_STALE_COMPUTED = `
UNWIND $movie_ids AS movie_id
MATCH (a:Movie {movie_id: movie_id})-[r:${SIMILAR_TO} {source: 'computed'}]->(b:Movie)
WHERE $scope IS NULL OR b.movie_id IN $scope
WITH r, coalesce(r.run_id = $run_id, false) AS current
FOREACH (_ IN CASE WHEN current THEN [] ELSE [1] END | DELETE r)
RETURN count(CASE WHEN current THEN 1 END) AS kept, count(CASE WHEN NOT current THEN 1 END) AS deleted
`
