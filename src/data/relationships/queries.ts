/**
 * Cypher for movie-to-movie relationships. Every value is a parameter; a relationship type is
 * pasted into query text only after `relationshipTypeToken()` accepted it.
 */
import { RELATIONSHIP_TYPES, relationshipTypeToken } from '../../domain/relationship-types.js'
import type { RelationshipType } from '../../domain/relationship-types.js'

/** Every allowed type as one pattern alternative, so reads never wander onto genre or rating edges. */
const ANY_TYPE = RELATIONSHIP_TYPES.map((t) => relationshipTypeToken(t)).join('|')

/** One row per asked id, in the order asked, saying whether the movie exists. */
/**
 * Takes the write lock on a movie node by writing a throwaway property. Both ends of an edge are
 * locked in movie_id order before MERGE, so concurrent writes of one edge serialise instead of
 * each creating it, and cannot deadlock on each other.
 */
export const LOCK_MOVIE = `
MATCH (m:Movie {movie_id: $movie_id})
SET m._lock = true
REMOVE m._lock
`

/** Whether the edge exists in its stored direction, and whether the opposite one does. */
export function edgeState(type: RelationshipType): string {
  const t = relationshipTypeToken(type)
  return `
MATCH (a:Movie {movie_id: $from}), (b:Movie {movie_id: $to})
RETURN EXISTS { (a)-[:${t}]->(b) } AS exists, EXISTS { (b)-[:${t}]->(a) } AS reverse_exists
`
}

/**
 * Creates or updates the edge in its stored direction and returns it seen from $movie_id.
 * Properties are replaced, so the same body twice leaves the same state apart from updated_at.
 */
export function mergeEdge(type: RelationshipType): string {
  const t = relationshipTypeToken(type)
  return `
MATCH (a:Movie {movie_id: $from}), (b:Movie {movie_id: $to})
MERGE (a)-[r:${t}]->(b)
  ON CREATE SET r.created_at = datetime()
SET r.updated_at = datetime(), r.source = $source, r.score = $score
WITH r, CASE WHEN a.movie_id = $movie_id THEN b ELSE a END AS o
RETURN o {.movie_id, .title, .year} AS other,
       r.score AS score, r.source AS source, r.created_at AS created_at, r.updated_at AS updated_at
`
}

/**
 * Deletes the edge between two movies. Symmetric edges are matched without direction, so either
 * end may name them; directed edges only from their start.
 */
export function deleteEdge(type: RelationshipType, symmetric: boolean): string {
  const t = relationshipTypeToken(type)
  const arrow = symmetric ? '-' : '->'
  return `
MATCH (:Movie {movie_id: $movie_id})-[r:${t}]${arrow}(:Movie {movie_id: $other_movie_id})
DELETE r
RETURN count(*) AS deleted
`
}

/**
 * One page of a movie's relationships, keyset-ordered by (type, other movie_id, direction); the
 * direction only breaks ties between two directed edges of one type between the same movies.
 */
export const LIST_RELATIONSHIPS = `
MATCH (m:Movie {movie_id: $movie_id})-[r:${ANY_TYPE}]-(o:Movie)
WHERE type(r) IN $types
WITH r, o, type(r) AS type,
     CASE WHEN type(r) IN $symmetric_types THEN 'both' WHEN startNode(r) = m THEN 'out' ELSE 'in' END AS direction
WHERE ($direction = 'both' OR direction = 'both' OR direction = $direction)
  AND ($after_type IS NULL
       OR type > $after_type
       OR (type = $after_type AND (o.movie_id > $after_movie_id
           OR (o.movie_id = $after_movie_id AND direction > $after_direction))))
RETURN type, direction, o {.movie_id, .title, .year} AS other,
       r.score AS score, r.source AS source, r.created_at AS created_at, r.updated_at AS updated_at
ORDER BY type, other.movie_id, direction
LIMIT $limit
`
