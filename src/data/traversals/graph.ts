/** Pure helpers that turn path rows into what a client draws, and order a franchise. */
import { isRelationshipType, isSymmetric } from '../../domain/relationship-types.js'
import type { FranchiseMovie, GraphEdge, MovieRef } from '../../schemas/traversal.js'

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

function yearOf(movie: FranchiseMovie): number | null {
  if (movie.year !== null) return movie.year
  const fromDate = movie.release_date === null ? NaN : Number(movie.release_date.slice(0, 4))
  return Number.isFinite(fromDate) ? fromDate : null
}

/**
 * Release order: by year (from `year`, else the release date), then by release date within a
 * year (a movie without a date after those with one), then title, then movie_id. Movies with
 * neither year nor date come last.
 */
export function compareReleaseOrder(a: FranchiseMovie, b: FranchiseMovie): number {
  const ya = yearOf(a)
  const yb = yearOf(b)
  if (ya !== yb) {
    if (ya === null) return 1
    if (yb === null) return -1
    return ya - yb
  }
  if (a.release_date !== b.release_date) {
    if (a.release_date === null) return 1
    if (b.release_date === null) return -1
    return a.release_date < b.release_date ? -1 : 1
  }
  const ta = a.title ?? ''
  const tb = b.title ?? ''
  if (ta !== tb) return ta < tb ? -1 : 1
  return a.movie_id < b.movie_id ? -1 : a.movie_id > b.movie_id ? 1 : 0
}
