/** The 404 every movie-to-movie operation gives, naming each movie that is missing. */
import type { ManagedTransaction } from 'neo4j-driver'
import { rows } from '../../db/database.js'
import { NotFoundError } from '../../errors.js'

export const MOVIES_EXIST = `
UNWIND $movie_ids AS movie_id
OPTIONAL MATCH (m:Movie {movie_id: movie_id})
RETURN movie_id, m IS NOT NULL AS found
`

export async function requireMovies(tx: ManagedTransaction, movieIds: string[]): Promise<void> {
  const found = rows<{ movie_id: string; found: boolean }>(
    await tx.run(MOVIES_EXIST, { movie_ids: movieIds })
  )
  const missing = found.filter((r) => !r.found).map((r) => r.movie_id)
  if (missing.length > 0) {
    throw new NotFoundError(`Movie ${missing.map((id) => `'${id}'`).join(' and ')} does not exist`, {
      missing_movie_ids: missing
    })
  }
}
