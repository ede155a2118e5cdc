/**
 * What related movies and shortest paths share: the Cypher fragments of a walk over typed edges
 * and the pure helper that turns its path rows into what a client draws.
 *
 * Variable-length patterns need their types and bounds in the query text: types come only
 * through `relationshipTypeToken()`, bounds only as checked integers. Walks use Neo4j's
 * breadth-first shortest-path operator (`SHORTEST`), which visits each movie once, so a depth
 * bound is a real bound on work.
 */
import { isRelationshipType, isSymmetric, relationshipTypeToken } from '../domain/relationship-types.js'
import type { RelationshipType } from '../domain/relationship-types.js'
import type { MovieRef } from '../schemas/common.js'
import type { GraphEdge } from '../schemas/related.js'

export function typeAlternatives(types: readonly RelationshipType[]): string {
  if (types.length === 0) throw new Error('a traversal needs at least one relationship type')
  return types.map((t) => relationshipTypeToken(t)).join('|')
}

export function hops(value: number, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new Error(`traversal depth ${value} is outside 1..${max}`)
  }
  return value
}

export const EDGE_PROJECTION = `[r IN relationships(p) | {
         type: type(r), from: startNode(r).movie_id, to: endNode(r).movie_id,
         source: r.source, score: r.score, key: elementId(r)
       }]`

export const NODE_PROJECTION = `[n IN nodes(p) | n {.movie_id, .title, .year}]`

/** One row per asked id, in the order asked, saying whether the movie exists. */
export const MOVIE_REF = `
MATCH (m:Movie {movie_id: $movie_id})
RETURN m {.movie_id, .title, .year} AS movie
`

export interface PathRow {
  nodes: MovieRef[]
  edges: (Omit<GraphEdge, 'symmetric'> & { key: string })[]
}

export interface Graph {
  nodes: MovieRef[]
  edges: GraphEdge[]
  paths: string[][]
}

/**
 * Nodes and edges of all paths, each once, in first-seen order (so the start movie comes first);
 * edges keep their stored direction and say whether their type is symmetric.
 */
export function assembleGraph(rows: readonly PathRow[], start?: MovieRef): Graph {
  const nodes = new Map<string, MovieRef>()
  const edges = new Map<string, GraphEdge>()
  if (start) nodes.set(start.movie_id, start)
  const paths: string[][] = []
  for (const row of rows) {
    for (const node of row.nodes) if (!nodes.has(node.movie_id)) nodes.set(node.movie_id, node)
    for (const { key, ...edge } of row.edges) {
      if (edges.has(key)) continue
      edges.set(key, {
        ...edge,
        symmetric: isRelationshipType(edge.type) && isSymmetric(edge.type)
      })
    }
    paths.push(row.nodes.map((n) => n.movie_id))
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()], paths }
}
