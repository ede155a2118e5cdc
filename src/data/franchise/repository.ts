/** Data access for a movie's franchise in release order. */
import type { ManagedTransaction } from 'neo4j-driver'
import { int } from '../../db/convert.js'
import { rows } from '../../db/database.js'
import type { Database } from '../../db/database.js'
import type { TraversalConfig } from '../../config.js'
import type { FranchiseAttachment, FranchiseMovie, FranchiseResponse } from '../../schemas/franchise.js'
import { requireMovies } from '../movies/exist.js'
import { ATTACHED_TO, FRANCHISE_ATTACHMENTS, FRANCHISE_MAIN_LINE } from './queries.js'
import { compareReleaseOrder } from './release-order.js'

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
