/**
 * Cypher for loading the demo dataset. Every statement MERGEs on a unique key and takes its rows
 * from one UNWIND, so a batch is one round trip and loading twice changes nothing.
 */
import { INITIAL_AGGREGATES } from '../data/movies/aggregates.js'
import { relationshipTypeToken } from '../domain/relationship-types.js'
import type { RelationshipType } from '../domain/relationship-types.js'

/**
 * Keyed on tmdb_id like the TMDB importer, so a movie already there under that id is updated in
 * place. updated_at moves only when a value or the genre set changes; genres not listed are removed.
 */
export const MERGE_MOVIES = `
UNWIND $rows AS row
MERGE (m:Movie {tmdb_id: row.tmdb_id})
  ON CREATE SET m.__created = true, m.movie_id = row.movie_id, m.created_at = datetime(),
                ${INITIAL_AGGREGATES}
WITH m, row, row.props AS raw, m.__created IS NOT NULL AS created,
     COLLECT { MATCH (m)-[:IN_GENRE]->(g:Genre) RETURN g.name ORDER BY g.name } AS genres_before
REMOVE m.__created
WITH m, row, created, genres_before, raw {.*, release_date: date(raw.release_date)} AS props
WITH m, row, props,
     created
       OR any(k IN keys(props) WHERE NOT coalesce(m[k] = props[k], m[k] IS NULL AND props[k] IS NULL))
       OR genres_before <> row.genres AS changed
SET m += props,
    m.title_lower = toLower(props.title),
    m.updated_at = CASE WHEN changed THEN datetime() ELSE m.updated_at END
WITH m, row
CALL (m, row) {
  OPTIONAL MATCH (m)-[r:IN_GENRE]->(old:Genre)
  WHERE NOT old.name IN row.genres
  DELETE r
}
CALL (m, row) {
  UNWIND row.genres AS name
  MATCH (g:Genre {name: name})
  MERGE (m)-[:IN_GENRE]->(g)
}
RETURN row.tmdb_id AS tmdb_id, m.movie_id AS movie_id
`

export const MERGE_USERS = `
UNWIND $rows AS row
MERGE (u:User {user_id: row.user_id})
  ON CREATE SET u.created_at = datetime(row.created_at)
`

/** One statement per type: a relationship type is query text, taken only from the allow-list. */
export function mergeRelationships(type: RelationshipType): string {
  const t = relationshipTypeToken(type)
  return `
UNWIND $rows AS row
MATCH (a:Movie {movie_id: row.from}), (b:Movie {movie_id: row.to})
MERGE (a)-[r:${t}]->(b)
  ON CREATE SET r.created_at = datetime(), r.updated_at = datetime()
SET r.source = $source, r.score = row.score
`
}

/** The rating id is derived from user and movie, so the ratings API and this loader meet on one node. */
export const MERGE_RATINGS = `
UNWIND $rows AS row
MATCH (m:Movie {movie_id: row.movie_id})
MATCH (u:User {user_id: row.user_id})
MERGE (r:Rating {rating_id: row.rating_id})
SET r.score = row.score,
    r.original_score = row.original_score,
    r.original_scale_min = row.scale_min,
    r.original_scale_max = row.scale_max,
    r.source = row.source,
    r.rated_at = datetime(row.rated_at),
    r.updated_at = datetime(row.rated_at)
MERGE (u)-[:GAVE]->(r)
MERGE (r)-[:RATES]->(m)
`

export const MERGE_REVIEWS = `
UNWIND $rows AS row
MATCH (m:Movie {movie_id: row.movie_id})
MERGE (r:Review {review_id: row.review_id})
SET r += row.props,
    r.created_at = datetime(row.created_at),
    r.updated_at = datetime(row.created_at)
WITH r, m, row
CALL (r, m) {
  OPTIONAL MATCH (r)-[old:REVIEWS]->(other:Movie)
  WHERE other <> m
  DELETE old
}
MERGE (r)-[:REVIEWS]->(m)
WITH r, row
WHERE row.author_id IS NOT NULL
MATCH (u:User {user_id: row.author_id})
MERGE (u)-[:WROTE]->(r)
`

export const MERGE_SEARCHES = `
UNWIND $rows AS row
MERGE (s:Search {search_id: row.search_id})
SET s.query = row.query,
    s.normalized_query = row.normalized_query,
    s.filters = row.filters,
    s.searched_at = datetime(row.searched_at),
    s.result_count = row.result_count,
    s.returned_movie_ids = [h IN row.results | h.movie_id],
    s.selected_movie_ids = [x IN row.selected | x.movie_id]
WITH s, row
CALL (s, row) {
  UNWIND row.results AS hit
  MATCH (m:Movie {movie_id: hit.movie_id})
  MERGE (s)-[ret:RETURNED]->(m)
  SET ret.rank = hit.rank, ret.score = hit.score
}
CALL (s, row) {
  UNWIND row.selected AS chosen
  MATCH (m:Movie {movie_id: chosen.movie_id})
  MERGE (s)-[sel:SELECTED]->(m)
  SET sel.at = datetime(chosen.at)
}
CALL (s, row) {
  WITH s, row
  WHERE row.user_id IS NOT NULL
  MATCH (u:User {user_id: row.user_id})
  MERGE (u)-[:SEARCHED]->(s)
}
`
