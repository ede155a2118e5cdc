/** Data access for related movies: typed edges walked outward, nearest first. */
import { int } from '../../db/convert.js'
import { rows } from '../../db/database.js'
import type { Database } from '../../db/database.js'
import type { TraversalConfig } from '../../config.js'
import { NotFoundError } from '../../errors.js'
import type { MovieRef } from '../../schemas/common.js'
import type { RelatedQuery, RelatedResponse } from '../../schemas/related.js'
import { parseTypes } from '../list-params.js'
import { MOVIE_REF, assembleGraph } from '../movie-graph.js'
import type { PathRow } from '../movie-graph.js'
import { relatedPaths } from './queries.js'

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
