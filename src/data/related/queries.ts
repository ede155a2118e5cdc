/** Cypher of related movies (see ../movie-graph.ts for the walk's building blocks). */
import type { RelationshipType } from '../../domain/relationship-types.js'
import { EDGE_PROJECTION, NODE_PROJECTION, hops, typeAlternatives } from '../movie-graph.js'

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
