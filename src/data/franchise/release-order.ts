/** The order a franchise is listed in. */
import type { FranchiseMovie } from '../../schemas/franchise.js'

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
