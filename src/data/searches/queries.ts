/**
 * Cypher for searches. The Lucene text given to the full-text index is built by
 * src/lib/lucene.ts and always arrives as a parameter.
 */

/** Whether movie `m` passes the search filters; fixed text, the filter values are parameters. */
const PASSES_FILTERS = `($year_from IS NULL OR m.year >= $year_from)
    AND ($year_to IS NULL OR m.year <= $year_to)
    AND ($genre IS NULL OR EXISTS {
      MATCH (m)-[:IN_GENRE]->(g:Genre) WHERE toLower(g.name) = $genre
    })`

/** What a title hit carries: enough to rank it (see ranking.ts) besides what the client sees. */
const TITLE_HIT = `m.movie_id AS movie_id, m.title AS title, m.year AS year, score,
       coalesce(m.popularity, 0.0) AS popularity, m.original_title AS original_title, m.aka_titles AS aka_titles`

/**
 * The best $limit title matches when no filter narrows them: Lucene keeps only its top hits, so
 * a common word ("the", or a short prefix matching thousands of titles) costs no more than a
 * rare one, where reading every hit back made it the slowest search of all.
 */
export const SEARCH_MOVIE_TITLES_TOP = `
CALL db.index.fulltext.queryNodes('movie_title_fulltext', $lucene, {limit: $limit}) YIELD node AS m, score
RETURN ${TITLE_HIT}
`

/**
 * Title matches after filters, by relevance then popularity (movie id keeps ties stable).
 *
 * A common word ("the") matches a large part of the catalogue, and reading popularity and
 * filters for every hit would make such searches slow. So the hits are sorted by score alone
 * first, which reads nothing from the store; then filters are checked in that order only until
 * `$limit` hits pass. Nothing scored below the last of those can make the page, but hits tied
 * with it can (popularity and id break the tie), so those are checked too, and only the
 * candidates are ranked in full. One index call keeps every score from the same index reader.
 */
export const SEARCH_MOVIE_TITLES = `
CALL db.index.fulltext.queryNodes('movie_title_fulltext', $lucene) YIELD node, score
WITH node, score ORDER BY score DESC
WITH collect(node) AS nodes, collect(score) AS scores
CALL (nodes) {
  UNWIND range(0, size(nodes) - 1) AS i
  WITH i, nodes[i] AS m
  WHERE ${PASSES_FILTERS}
  WITH i LIMIT $limit
  RETURN collect(i) AS passed
}
WITH nodes, scores, passed,
     CASE WHEN size(passed) = $limit THEN passed[-1] ELSE size(nodes) END AS last
WITH nodes, scores, passed, last,
     CASE WHEN last < size(nodes) THEN size([s IN scores WHERE s >= scores[last]]) ELSE 0 END AS tie_end
UNWIND passed + range(last + 1, tie_end - 1) AS i
WITH nodes[i] AS m, scores[i] AS score, i > last AS unchecked
WHERE NOT unchecked OR (${PASSES_FILTERS})
RETURN ${TITLE_HIT}
ORDER BY score DESC, popularity DESC, movie_id ASC
LIMIT $limit
`

/**
 * Records a search and what it returned. MERGE on the id keeps a retried transaction from
 * recording twice. RETURNED edges are created in movie-id order so concurrent searches lock
 * movies in one order; the ids are also kept on the node, which outlives deleted movies.
 */
export const RECORD_SEARCH = `
MERGE (s:Search {search_id: $search_id})
  ON CREATE SET s.query = $query,
                s.normalized_query = $normalized_query,
                s.filters = $filters,
                s.searched_at = datetime(),
                s.result_count = size($hits),
                s.returned_movie_ids = [h IN $hits | h.movie_id],
                s.selected_movie_ids = []
WITH s
CALL (s) {
  UNWIND $hits AS hit
  WITH hit ORDER BY hit.movie_id
  MATCH (m:Movie {movie_id: hit.movie_id})
  MERGE (s)-[ret:RETURNED]->(m)
    ON CREATE SET ret.rank = hit.rank, ret.score = hit.score
}
RETURN s.searched_at AS searched_at
`

/** Links a recorded search to its user, created on first use; run after RECORD_SEARCH (movies lock first). */
export const LINK_SEARCH_USER = `
MATCH (s:Search {search_id: $search_id})
MERGE (u:User {user_id: $user_id})
  ON CREATE SET u.created_at = datetime()
MERGE (u)-[:SEARCHED]->(s)
`

/**
 * Marks a movie as chosen from a search's results; choosing it again changes nothing.
 * Always one row, telling which of the two was missing.
 */
export const SELECT_RESULT = `
OPTIONAL MATCH (m:Movie {movie_id: $movie_id})
OPTIONAL MATCH (s:Search {search_id: $search_id})
FOREACH (_ IN CASE WHEN s IS NULL OR m IS NULL THEN [] ELSE [1] END |
  MERGE (s)-[sel:SELECTED]->(m)
    ON CREATE SET sel.at = datetime()
  SET s.selected_movie_ids = CASE
    WHEN $movie_id IN coalesce(s.selected_movie_ids, []) THEN s.selected_movie_ids
    ELSE coalesce(s.selected_movie_ids, []) + $movie_id
  END
)
RETURN s IS NOT NULL AS search_found, m IS NOT NULL AS movie_found
`

export const USER_EXISTS = `
MATCH (u:User {user_id: $user_id})
RETURN u.user_id AS user_id
`

/** A user's searches, newest first, one row past the page. */
export const USER_SEARCHES_PAGE = `
WITH CASE WHEN $after_seconds IS NULL THEN null
          ELSE datetime({epochSeconds: $after_seconds, nanosecond: $after_nanos}) END AS after
MATCH (:User {user_id: $user_id})-[:SEARCHED]->(s:Search)
WHERE after IS NULL OR s.searched_at < after OR (s.searched_at = after AND s.search_id < $after_id)
RETURN s {
         .search_id, .query, .normalized_query, .filters, .searched_at, .result_count,
         returned_movie_ids: coalesce(s.returned_movie_ids, []),
         selected_movie_ids: coalesce(s.selected_movie_ids, [])
       } AS search,
       toString(s.searched_at.epochSeconds) + ':' + toString(s.searched_at.nanosecond) AS position
ORDER BY s.searched_at DESC, s.search_id DESC
LIMIT $limit
`

/** All searches in the window, and how many of them found nothing. */
export const TRENDING_TOTALS = `
WITH datetime() - duration($window) AS since
OPTIONAL MATCH (s:Search)
WHERE s.searched_at >= since AND ($prefix IS NULL OR s.normalized_query STARTS WITH $prefix)
RETURN since,
       count(s) AS searches,
       count(CASE WHEN s.result_count = 0 THEN 1 END) AS zero_result_searches
`

/** Normalized queries in the window, most frequent first. */
export const TRENDING_QUERIES = `
WITH datetime() - duration($window) AS since
MATCH (s:Search)
WHERE s.searched_at >= since AND ($prefix IS NULL OR s.normalized_query STARTS WITH $prefix)
WITH s.normalized_query AS query,
     count(*) AS count,
     count(CASE WHEN s.result_count = 0 THEN 1 END) AS zero_result_count,
     max(s.searched_at) AS last_searched_at
RETURN query, count, zero_result_count, last_searched_at
ORDER BY count DESC, query ASC
LIMIT $limit
`
