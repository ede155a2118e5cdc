/**
 * Data access for similar movies: a movie's stored list when the rebuild left one, otherwise
 * the on-the-fly query over bounded candidate sets.
 */
import type { ManagedTransaction } from 'neo4j-driver'
import { int } from '../../db/convert.js'
import { rows } from '../../db/database.js'
import type { Database } from '../../db/database.js'
import type { SimilarConfig, TraversalConfig } from '../../config.js'
import { NotFoundError } from '../../errors.js'
import type { MovieRef } from '../../schemas/common.js'
import type {
  SimilarEvidence,
  SimilarItem,
  SimilarParts,
  SimilarQuery,
  SimilarResponse
} from '../../schemas/similar.js'
import { parseMovieIds } from '../list-params.js'
import type { StoredEntry } from './rebuild.js'
import { SIMILAR_LIST, SIMILAR_MOVIES } from './queries.js'
import { normalizedWeights, roundScore } from './score.js'

export interface ComputeOptions {
  /** At most this many per movie. */
  limit: number
  minScore?: number
  exclude?: string[]
}

export interface ComputedSimilar {
  source_id: string
  movie: MovieRef
  score: number
  parts: SimilarParts
  evidence: SimilarEvidence
}

function roundParts(parts: SimilarParts): SimilarParts {
  const r = (v: number | null) => (v === null ? null : roundScore(v))
  return {
    edge: r(parts.edge),
    genre: r(parts.genre),
    corating: r(parts.corating),
    franchise: r(parts.franchise),
    sentiment: r(parts.sentiment)
  }
}

/** Similar movies of each movie in `movieIds`, scored now, ranked (see SIMILAR_MOVIES). */
export async function computeSimilar(
  tx: ManagedTransaction,
  movieIds: string[],
  config: SimilarConfig,
  options: ComputeOptions
): Promise<ComputedSimilar[]> {
  const found = rows<ComputedSimilar>(
    await tx.run(SIMILAR_MOVIES, {
      movie_ids: movieIds,
      exclude: options.exclude ?? [],
      limit: int(options.limit),
      min_score: options.minScore ?? 0,
      weights: normalizedWeights(config.weights),
      corating_shrink: config.coratingShrink,
      high_rating: config.highRating,
      max_coraters: int(config.maxCoraters),
      max_ratings_per_corater: int(config.maxRatingsPerCorater),
      max_per_genre: int(config.maxPerGenre),
      max_links: int(config.maxLinks)
    })
  )
  return found.map((row) => ({
    ...row,
    score: roundScore(row.score),
    parts: roundParts(row.parts),
    evidence: { ...row.evidence, shared_genres: [...row.evidence.shared_genres].sort() }
  }))
}

interface ListedMovie extends MovieRef {
  genres: string[]
  position: number
}

interface ListRow {
  precomputed: boolean
  list: string | null
  genres: string[]
  movies: ListedMovie[]
}

function parseList(text: string | null): StoredEntry[] {
  if (text === null) return []
  try {
    const parsed: unknown = JSON.parse(text)
    return Array.isArray(parsed) ? (parsed as StoredEntry[]) : []
  } catch {
    return []
  }
}

/**
 * Items of a stored list, in stored order: entries whose movie was deleted since the rebuild are
 * dropped; titles and shared genres are read now, so they are current.
 */
function listItems(row: ListRow): SimilarItem[] {
  const entries = parseList(row.list)
  const own = new Set(row.genres)
  const items: SimilarItem[] = []
  for (const movie of [...row.movies].sort((a, b) => a.position - b.position)) {
    const entry = entries[movie.position]
    if (!entry) continue
    const [score, edge, genre, corating, franchise, sentiment, coRaters, hops, edgeSource] = entry
    items.push({
      movie_id: movie.movie_id,
      title: movie.title,
      year: movie.year,
      score,
      source: 'computed',
      parts: { edge, genre, corating, franchise, sentiment },
      evidence: {
        shared_genres: movie.genres.filter((g) => own.has(g)).sort(),
        co_raters: coRaters,
        franchise_hops: hops,
        edge_source: edgeSource
      }
    })
  }
  return items
}

export async function similarMovies(
  db: Database,
  movieId: string,
  query: SimilarQuery,
  config: TraversalConfig
): Promise<SimilarResponse> {
  const exclude = parseMovieIds(query.exclude, 'exclude')
  const minScore = query.min_score
  return db.read(
    async (tx) => {
      const [row] = rows<ListRow>(await tx.run(SIMILAR_LIST, { movie_id: movieId }))
      if (!row) throw new NotFoundError(`Movie '${movieId}' does not exist`, { movie_id: movieId })
      const base = { movie_id: movieId, weights: config.similar.weights }
      if (row.precomputed) {
        const skip = new Set(exclude)
        const items = listItems(row)
          .filter((item) => item.score >= minScore && !skip.has(item.movie_id))
          .slice(0, query.limit)
        return { ...base, mode: 'precomputed', items }
      }
      const found = await computeSimilar(tx, [movieId], config.similar, {
        limit: query.limit,
        minScore,
        exclude
      })
      return {
        ...base,
        mode: 'on_the_fly',
        items: found.map((row) => ({
          ...row.movie,
          score: row.score,
          source: 'computed',
          parts: row.parts,
          evidence: row.evidence
        }))
      }
    },
    { timeoutMs: config.txTimeoutMs }
  )
}
