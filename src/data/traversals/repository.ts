/** Data access for typed-edge traversals: related movies, shortest paths, franchises. */
import type { ManagedTransaction } from 'neo4j-driver'
import { int } from '../../db/convert.js'
import { requireMovies } from '../movies/exist.js'
import { rows } from '../../db/database.js'
import type { Database } from '../../db/database.js'
import type { TraversalConfig } from '../../config/traversal.js'
import { BadRequestError, NotFoundError } from '../../errors.js'
import type {
  FranchiseAttachment,
  FranchiseMovie,
  FranchiseResponse,
  MovieRef,
  RelatedQuery,
  RelatedResponse,
  ShortestPathQuery,
  ShortestPathResponse
} from '../../schemas/traversal.js'
import { assembleGraph, compareReleaseOrder } from './graph.js'
import type { PathRow } from './graph.js'
import { parseTypes } from './params.js'
import {
  ATTACHED_TO,
  FRANCHISE_ATTACHMENTS,
  FRANCHISE_MAIN_LINE,
  MOVIE_REF,
  relatedPaths,
  shortestPath
} from './queries.js'

export async function relatedMovies(
  db: Database,
  movieId: string,
  query: RelatedQuery,
  config: TraversalConfig
): Promise<RelatedResponse> {
  const types = parseTypes(query.types)
  const { start, found } = await db.read(
    async (tx) => {
      const [self] = rows<{ movie: MovieRef }>(await tx.run(MOVIE_REF, { movie_id: movieId }))
      if (!self) throw new NotFoundError(`Movie '${movieId}' does not exist`, { movie_id: movieId })
      // Nearest first means a deeper hop only matters when the nearer ones leave the limit
      // unfilled, so each depth is searched only then: a movie with enough direct neighbours never
      // pays for the neighbourhood of its neighbours, which around a hub is most of the graph.
      let paths: PathRow[] = []
      for (let depth = 1; depth <= query.depth && paths.length < query.limit; depth++) {
        paths = rows<PathRow>(
          await tx.run(relatedPaths(types, depth), { movie_id: movieId, limit: int(query.limit) })
        )
      }
      return { start: self.movie, found: paths }
    },
    { timeoutMs: config.txTimeoutMs }
  )
  return { movie_id: movieId, types, depth: query.depth, ...assembleGraph(found, start) }
}

export async function shortestMoviePath(
  db: Database,
  query: ShortestPathQuery,
  config: TraversalConfig
): Promise<ShortestPathResponse> {
  if (query.from === query.to) {
    throw new BadRequestError('from and to are the same movie; a path needs two', { from: query.from })
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

async function mainLine(
  tx: ManagedTransaction,
  movieId: string,
  maxMembers: number
): Promise<{ members: FranchiseMovie[]; truncated: boolean }> {
  const found = rows<{ movie: FranchiseMovie }>(
    await tx.run(FRANCHISE_MAIN_LINE, { movie_id: movieId, max_members_plus_one: int(maxMembers + 1) })
  ).map((r) => r.movie)
  return { members: found.slice(0, maxMembers), truncated: found.length > maxMembers }
}

/**
 * The main line is collected from the movie. A stand-alone spin-off or remake (nothing on its
 * own line but itself) is shown within the franchise of the movie it attaches to.
 */
export async function movieFranchise(
  db: Database,
  movieId: string,
  config: TraversalConfig
): Promise<FranchiseResponse> {
  const max = config.franchiseMaxMembers
  return db.read(
    async (tx) => {
      await requireMovies(tx, [movieId])
      let anchor = movieId
      let line = await mainLine(tx, movieId, max)
      if (line.members.length === 1) {
        const [parent] = rows<{ movie_id: string }>(await tx.run(ATTACHED_TO, { movie_id: movieId }))
        if (parent) {
          anchor = parent.movie_id
          line = await mainLine(tx, anchor, max)
        }
      }
      const ids = line.members.map((m) => m.movie_id)
      const attached = rows<FranchiseAttachment>(
        await tx.run(FRANCHISE_ATTACHMENTS, { movie_ids: ids, max_members: int(max) })
      )
      const byRelease = (a: FranchiseAttachment, b: FranchiseAttachment) =>
        compareReleaseOrder(a.movie, b.movie) || (a.attaches_to < b.attaches_to ? -1 : 1)
      return {
        movie_id: movieId,
        anchor_movie_id: anchor,
        main_line: [...line.members].sort(compareReleaseOrder),
        spinoffs: attached.filter((a) => a.type === 'SPINOFF_OF').sort(byRelease),
        remakes: attached.filter((a) => a.type === 'REMAKE_OF').sort(byRelease),
        truncated: line.truncated
      }
    },
    { timeoutMs: config.txTimeoutMs }
  )
}
