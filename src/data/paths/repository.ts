/** Data access for shortest paths between two movies. */
import { rows } from '../../db/database.js'
import type { Database } from '../../db/database.js'
import type { TraversalConfig } from '../../config.js'
import { NotFoundError, violation } from '../../errors.js'
import type { ShortestPathQuery, ShortestPathResponse } from '../../schemas/paths.js'
import { parseTypes } from '../list-params.js'
import { assembleGraph } from '../movie-graph.js'
import type { PathRow } from '../movie-graph.js'
import { requireMovies } from '../movies/exist.js'
import { shortestPath } from './queries.js'

export async function shortestMoviePath(
  db: Database,
  query: ShortestPathQuery,
  config: TraversalConfig
): Promise<ShortestPathResponse> {
  if (query.from === query.to) {
    throw violation('querystring', '/to', 'must differ from from: a path needs two movies')
  }
  const types = parseTypes(query.types)
  const [row] = await db.read(
    async (tx) => {
      await requireMovies(tx, [query.from, query.to])
      return rows<PathRow>(
        await tx.run(shortestPath(types, query.max_depth), { from: query.from, to: query.to })
      )
    },
    { timeoutMs: config.txTimeoutMs }
  )
  if (!row) {
    throw new NotFoundError(
      `No path from '${query.from}' to '${query.to}' over ${types.join(', ')} within ${query.max_depth} hops`,
      { reason: 'NO_PATH', from: query.from, to: query.to, types, max_depth: query.max_depth }
    )
  }
  const graph = assembleGraph([row])
  return {
    from: query.from,
    to: query.to,
    types,
    length: row.edges.length,
    path: graph.paths[0] ?? [],
    nodes: graph.nodes,
    edges: graph.edges
  }
}
