/** Cypher of shortest paths (see ../movie-graph.ts for the walk's building blocks). */
import type { RelationshipType } from '../../domain/relationship-types.js'
import { EDGE_PROJECTION, NODE_PROJECTION, hops, typeAlternatives } from '../movie-graph.js'

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
