/** Cypher of a movie's franchise: its main line and what attaches to it. */
import { typeAlternatives } from '../movie-graph.js'

const MAIN_LINE = typeAlternatives(['SEQUEL_OF', 'SAME_FRANCHISE'])
const ATTACHMENT = typeAlternatives(['SPINOFF_OF', 'REMAKE_OF'])

/** Longest chain followed to collect a franchise; far longer than any real one. */
export const FRANCHISE_MAX_HOPS = 100

/**
 * The franchise's main line: every movie reachable through SEQUEL_OF (either way) and
 * SAME_FRANCHISE, the movie included, at most $max_members + 1 (one more tells it was cut).
 */
export const FRANCHISE_MAIN_LINE = `
MATCH (m:Movie {movie_id: $movie_id})
MATCH p = ANY SHORTEST (m)-[:${MAIN_LINE}]-{0,${FRANCHISE_MAX_HOPS}}(f:Movie)
WITH f ORDER BY length(p), f.movie_id
LIMIT $max_members_plus_one
RETURN f {.movie_id, .title, .year, .release_date} AS movie
`

/** Spin-offs and remakes of main-line movies that are not on the main line themselves. */
export const FRANCHISE_ATTACHMENTS = `
UNWIND $movie_ids AS movie_id
MATCH (f:Movie {movie_id: movie_id})<-[r:${ATTACHMENT}]-(s:Movie)
WHERE NOT s.movie_id IN $movie_ids
RETURN s {.movie_id, .title, .year, .release_date} AS movie, type(r) AS type, f.movie_id AS attaches_to
LIMIT $max_members
`

/** What a movie is a spin-off or remake of, first by type then movie_id (spin-off wins). */
export const ATTACHED_TO = `
MATCH (:Movie {movie_id: $movie_id})-[r:${ATTACHMENT}]->(o:Movie)
RETURN o.movie_id AS movie_id
ORDER BY type(r) DESC, o.movie_id
LIMIT 1
`
