/**
 * Cypher for movie similarity: the stored lists the rebuild writes (read in O(k): only the
 * movie's own list and the k movies it names are touched, never the edges a popular movie
 * receives), what the rebuild loads, and the on-the-fly query for a movie without a list yet,
 * in which every fan-out through a hub (a movie's raters, a rater's ratings, a genre's movies, a
 * movie's links) is capped by a parameter.
 */
import { relationshipTypeToken } from '../../domain/relationship-types.js'
import { popularGenreMates } from '../genres/genre-mates.js'

/** Links that put two movies in one franchise; INSPIRED_BY is influence, not franchise. */
export const FRANCHISE_LINK = ['SAME_FRANCHISE', 'SEQUEL_OF', 'SPINOFF_OF', 'REMAKE_OF']
  .map((t) => relationshipTypeToken(t))
  .join('|')

const SIMILAR_TO = relationshipTypeToken('SIMILAR_TO')

/** Edge types whose changes change a movie's list. */
const SIGNAL_TYPES = ['SIMILAR_TO', 'SAME_FRANCHISE', 'SEQUEL_OF', 'SPINOFF_OF', 'REMAKE_OF'].map((t) =>
  relationshipTypeToken(t)
)

/** Where a candidate may come from: never the movie itself or an excluded one. */
const CANDIDATE_OK = `c <> m AND NOT c.movie_id IN $exclude`

/**
 * Ranked similar movies for each movie in $movie_ids, at most $limit each, with the score parts.
 *
 * Candidates come from four capped branches: co-raters (the movie's $max_coraters most recent
 * fans, each expanded to the first $max_ratings_per_corater high ratings found: sorting a heavy
 * rater's hundreds of ratings by time cost more than the whole rest of the query), genre-mates
 * ($max_per_genre most popular per genre), explicit SIMILAR_TO edges and franchise links up to
 * two hops ($max_links each). Parts, each in 0..1:
 * - edge: score of an explicit (non-computed) SIMILAR_TO edge, 0 without one;
 * - genre: Jaccard index of the genre sets (null when the movie has no genre);
 * - corating: users who liked both / sqrt(fans × fans), a cosine over the two movies' fans, ×
 *   co / (co + $corating_shrink) (null when the movie has no fan; a lower bound when it has more
 *   fans than the cap). A candidate's fans are counted by the last rebuild (similar_fans); its
 *   rating count stands in before the first one;
 * - franchise: 1 for a direct link, 0.5 two hops away, else 0;
 * - sentiment: 1 - |Δ mean sentiment| / 2, only when both movies have reviews (else null).
 * score = Σ $weights × part with absent parts at 0, the weights normalised to sum 1 by the caller
 * (see score.ts, which the rebuild uses for the same formula).
 */
export const SIMILAR_MOVIES = `
UNWIND $movie_ids AS source_id
MATCH (m:Movie {movie_id: source_id})
CALL (m) {
  WITH m,
       COLLECT { MATCH (m)-[:IN_GENRE]->(g:Genre) RETURN g } AS m_genres,
       COUNT { MATCH (m)<-[:RATES]-(r:Rating) WHERE r.score >= $high_rating } AS m_fans,
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
        LIMIT $max_ratings_per_corater
      }
      RETURN c, count(*) AS co, null AS edge, null AS edge_source, null AS hops
    UNION ALL
      MATCH (m)-[:IN_GENRE]->(g:Genre)
      CALL (m, g) {${popularGenreMates('m, g', CANDIDATE_OK)}
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
  WITH m, m_genres, m_fans, fans, c,
       max(co) AS co, max(edge) AS edge, max(edge_source) AS edge_source, min(hops) AS hops
  WITH m, m_genres, m_fans, fans, c, co, edge, edge_source, hops,
       COLLECT { MATCH (c)-[:IN_GENRE]->(g:Genre) RETURN g } AS c_genres,
       coalesce(c.similar_fans, c.rating_count, 0) AS c_fans
  WITH m, c, co, edge_source, hops, m_genres, c_genres, m_fans, c_fans, fans,
       coalesce(edge, 0.0) AS edge_part,
       [g IN c_genres WHERE g IN m_genres] AS shared
  WITH m, c, co, edge_source, hops, edge_part,
       [g IN shared | g.name] AS shared_genres,
       CASE WHEN size(m_genres) = 0 THEN null
            ELSE toFloat(size(shared)) / (size(m_genres) + size(c_genres) - size(shared)) END AS genre_part,
       CASE WHEN size(fans) = 0 THEN null
            WHEN co = 0 THEN 0.0
            ELSE co / sqrt(toFloat(CASE WHEN m_fans >= co THEN m_fans ELSE co END)
                           * (CASE WHEN c_fans >= co THEN c_fans ELSE co END))
                 * co / (co + $corating_shrink) END AS corating_part,
       CASE WHEN hops IS NULL THEN 0.0 ELSE 1.0 / hops END AS franchise_part,
       CASE WHEN coalesce(m.review_count, 0) > 0 AND coalesce(c.review_count, 0) > 0
                 AND m.sentiment_mean IS NOT NULL AND c.sentiment_mean IS NOT NULL
            THEN 1.0 - abs(m.sentiment_mean - c.sentiment_mean) / 2 END AS sentiment_part
  WITH m, c, co, edge_source, hops, shared_genres,
       edge_part, genre_part, corating_part, franchise_part, sentiment_part,
       $weights.edge * edge_part + $weights.franchise * franchise_part
         + $weights.genre * coalesce(genre_part, 0.0)
         + $weights.corating * coalesce(corating_part, 0.0)
         + $weights.sentiment * coalesce(sentiment_part, 0.0) AS score
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

/**
 * A movie's stored list, and the movies it names that still exist (looked up one by one through
 * the movie_id index, with their genres for the shared-genre evidence). The stored list is
 * parallel to similar_ids: [score, edge, genre, corating, franchise, sentiment, co-raters,
 * franchise hops, edge source] per entry, as JSON.
 */
export const SIMILAR_LIST = `
MATCH (m:Movie {movie_id: $movie_id})
RETURN m.similar_ids IS NOT NULL AS precomputed,
       m.similar AS list,
       [(m)-[:IN_GENRE]->(g:Genre) | g.name] AS genres,
       COLLECT {
         UNWIND range(0, size(coalesce(m.similar_ids, [])) - 1) AS i
         MATCH (c:Movie {movie_id: m.similar_ids[i]})
         RETURN c {.movie_id, .title, .year, genres: [(c)-[:IN_GENRE]->(g:Genre) | g.name], position: i} AS c
       } AS movies
`

/** What the rebuild needs of every movie. */
export const LOAD_MOVIES = `
MATCH (m:Movie)
RETURN m.movie_id AS movie_id,
       CASE WHEN coalesce(m.review_count, 0) > 0 THEN m.sentiment_mean END AS sentiment,
       coalesce(m.popularity, 0.0) AS popularity,
       [(m)-[:IN_GENRE]->(g:Genre) | g.name] AS genres
`

/** Each user's $max_likes most recent high ratings, as the liked movie_ids. */
export const LOAD_LIKES = `
MATCH (u:User)
CALL (u) {
  MATCH (u)-[:GAVE]->(r:Rating)-[:RATES]->(m:Movie)
  WHERE r.score >= $high_rating
  WITH m ORDER BY r.rated_at DESC, m.movie_id
  LIMIT $max_likes
  RETURN collect(m.movie_id) AS likes
}
WITH likes WHERE size(likes) > 0
RETURN likes
`

/** Explicit (editorial, tmdb, ...) SIMILAR_TO edges; computed ones are never an input. */
export const LOAD_EXPLICIT_EDGES = `
MATCH (a:Movie)-[e:${SIMILAR_TO}]->(b:Movie)
WHERE coalesce(e.source, '') <> 'computed'
RETURN a.movie_id AS from, b.movie_id AS to, coalesce(e.score, 1.0) AS score, e.source AS source
`

/**
 * The explicit edges of some movies only, for a refresh: its $max_links best per movie are all a
 * movie's scoring reads, and loading every edge of the catalogue would cost more than the rescoring.
 */
export const LOAD_EXPLICIT_EDGES_OF = `
UNWIND $movie_ids AS movie_id
MATCH (a:Movie {movie_id: movie_id})
CALL (a) {
  MATCH (a)-[e:${SIMILAR_TO}]-(b:Movie)
  WHERE coalesce(e.source, '') <> 'computed'
  WITH b, e ORDER BY coalesce(e.score, 1.0) DESC, b.movie_id
  LIMIT $max_links
  RETURN b, e
}
RETURN a.movie_id AS from, b.movie_id AS to, coalesce(e.score, 1.0) AS score, e.source AS source
`

export const LOAD_FRANCHISE_LINKS = `
MATCH (a:Movie)-[:${FRANCHISE_LINK}]->(b:Movie)
RETURN a.movie_id AS from, b.movie_id AS to
`

/**
 * The sizes the rebuild's memory estimate needs. Counts of a label or a relationship type come
 * from Neo4j's count store, so this costs nothing whatever the graph's size.
 */
export const CATALOGUE_SIZE = `
RETURN COUNT { (:Movie) } AS movies,
       COUNT { (:User) } AS users,
       COUNT { ()-[:RATES]->() } AS ratings,
       COUNT { ()-[:${SIMILAR_TO}]->() } AS similar_edges
`

/**
 * Replaces whole lists, one movie at a time within the batch (sorted by movie_id, the lock
 * order of every writer), so a reader sees a movie's old list or its new one, never a mix.
 */
export const WRITE_LISTS = `
UNWIND $lists AS l
MATCH (m:Movie {movie_id: l.movie_id})
SET m.similar_ids = l.ids, m.similar_scores = l.scores, m.similar = l.list, m.similar_fans = l.fans,
    m.similar_at = datetime($at), m.similar_run = $run_id
RETURN count(m) AS written
`

/**
 * Movies whose list may be out of date since $since: a rating or review of theirs was written,
 * their genres or details changed, an edge that scores them was written, they are new, or they have
 * no list yet. Each branch is an index seek (see migration 0006).
 */
export const TOUCHED_SINCE = `
CALL () {
    MATCH (r:Rating) WHERE r.updated_at >= datetime($since)
    MATCH (r)-[:RATES]->(m:Movie)
    RETURN m
  UNION
    MATCH (r:Review) WHERE r.updated_at >= datetime($since)
    MATCH (r)-[:REVIEWS]->(m:Movie)
    RETURN m
  UNION
    MATCH (m:Movie) WHERE m.updated_at >= datetime($since)
    RETURN m
  UNION
    MATCH (m:Movie) WHERE m.created_at >= datetime($since)
    RETURN m
  UNION
    MATCH (m:Movie) WHERE m.similar_ids IS NULL
    RETURN m
${SIGNAL_TYPES.map(
  (t) => `  UNION
    MATCH (a:Movie)-[e:${t}]->(b:Movie) WHERE e.updated_at >= datetime($since)
    UNWIND [a, b] AS m
    RETURN m`
).join('\n')}
}
RETURN DISTINCT m.movie_id AS movie_id
ORDER BY movie_id
`

/** Computed SIMILAR_TO edges of the former rebuild, removed a batch at a time. */
export const DELETE_COMPUTED_EDGES = `
MATCH (:Movie)-[r:${SIMILAR_TO} {source: 'computed'}]->(:Movie)
WITH r LIMIT $limit
DELETE r
RETURN count(*) AS deleted
`

/** When the last rebuild that finished had started: the default of `--since last`. */
export const LAST_RUN = `
OPTIONAL MATCH (j:JobRun {name: $name})
RETURN toString(j.last_started_at) AS started_at, toString(j.last_finished_at) AS finished_at
`

export const FINISH_RUN = `
MERGE (j:JobRun {name: $name})
SET j.last_started_at = datetime($started_at), j.last_finished_at = datetime(), j.last_run_id = $run_id,
    j.last_movies = $movies
`

export const DATABASE_TIME = `RETURN toString(datetime()) AS now`
