/**
 * Cypher for typed-edge traversals. Variable-length patterns need their types and bounds in the
 * query text: types come only through `relationshipTypeToken()`, bounds only as checked integers.
 * Both searches are Neo4j's breadth-first shortest-path operator (`SHORTEST`), which visits each
 * movie once, so a depth bound is a real bound on work.
 */
import { relationshipTypeToken } from '../../domain/relationship-types.js'
import type { RelationshipType } from '../../domain/relationship-types.js'

function typeAlternatives(types: readonly RelationshipType[]): string {
  if (types.length === 0) throw new Error('a traversal needs at least one relationship type')
  return types.map((t) => relationshipTypeToken(t)).join('|')
}

function hops(value: number, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new Error(`traversal depth ${value} is outside 1..${max}`)
  }
  return value
}

const EDGE_PROJECTION = `[r IN relationships(p) | {
         type: type(r), from: startNode(r).movie_id, to: endNode(r).movie_id,
         source: r.source, score: r.score, key: elementId(r)
       }]`

const NODE_PROJECTION = `[n IN nodes(p) | n {.movie_id, .title, .year}]`

/** One row per asked id, in the order asked, saying whether the movie exists. */
export const MOVIE_REF = `
MATCH (m:Movie {movie_id: $movie_id})
RETURN m {.movie_id, .title, .year} AS movie
`

/**
 * One shortest path (edges followed either way) from the movie to each movie within `depth`
 * hops, nearest first, then by movie_id. A path that comes back to the movie is dropped.
 */
export function relatedPaths(types: readonly RelationshipType[], depth: number): string {
  return `
MATCH (m:Movie {movie_id: $movie_id})
MATCH p = ANY SHORTEST (m)-[:${typeAlternatives(types)}]-{1,${hops(depth, 3)}}(o:Movie)
WITH m, o, p WHERE o <> m
WITH o, p ORDER BY length(p), o.movie_id
LIMIT $limit
RETURN ${NODE_PROJECTION} AS nodes,
       ${EDGE_PROJECTION} AS edges
`
}

/**
 * A shortest path between two movies (edges followed either way). The target is matched inside
 * a subquery so the planner expands from the source instead of joining two independent lookups.
 */
export function shortestPath(types: readonly RelationshipType[], maxDepth: number): string {
  return `
MATCH (a:Movie {movie_id: $from})
CALL (a) {
  MATCH (b:Movie {movie_id: $to})
  MATCH p = SHORTEST 1 (a)-[:${typeAlternatives(types)}]-{1,${hops(maxDepth, 6)}}(b)
  RETURN p
}
RETURN ${NODE_PROJECTION} AS nodes,
       ${EDGE_PROJECTION} AS edges
`
}

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
