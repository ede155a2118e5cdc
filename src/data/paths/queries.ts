/** Cypher of shortest paths (see ../movie-graph.ts for the walk's building blocks). */
import type { RelationshipType } from '../../domain/relationship-types.js'
import { EDGE_PROJECTION, NODE_PROJECTION, hops, typeAlternatives } from '../movie-graph.js'

/**
 * A shortest path between two movies (edges followed either way).
 *
 * `shortestPath()` with both ends bound runs a bidirectional breadth-first search: it grows the
 * smaller frontier of the two each step and stops where they meet. A path of three hops through
 * a hub then costs about the hub's degree, where a search from one end only (what `SHORTEST`
 * plans here in Neo4j 5.26) reads the neighbourhood of every neighbour of the hub, seconds at
 * full scale. Both find a path of the least length; which one among equally short paths is not
 * specified by either. The target is matched inside a subquery, so the two lookups are joined
 * by an Apply rather than a CartesianProduct.
 */
export function shortestPath(types: readonly RelationshipType[], maxDepth: number): string {
  return `
MATCH (a:Movie {movie_id: $from})
CALL (a) {
  MATCH (b:Movie {movie_id: $to})
  MATCH p = shortestPath((a)-[:${typeAlternatives(types)}*1..${hops(maxDepth, 6)}]-(b))
  RETURN p
}
RETURN ${NODE_PROJECTION} AS nodes,
       ${EDGE_PROJECTION} AS edges
`
}
