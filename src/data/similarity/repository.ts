/** Data access for movie similarity: the similar-movies read and the steps of a rebuild. */
import type { ManagedTransaction } from 'neo4j-driver'
import { int } from '../../db/convert.js'
import { rows } from '../../db/database.js'
import type { Database } from '../../db/database.js'
import type { SimilarConfig, TraversalConfig } from '../../config/traversal.js'
import { NotFoundError } from '../../errors.js'
import type {
  MovieRef,
  SimilarEvidence,
  SimilarItem,
  SimilarParts,
  SimilarQuery,
  SimilarResponse
} from '../../schemas/traversal.js'
import { parseMovieIds } from '../traversals/params.js'
import {
  COUNT_MOVIES,
  DELETE_STALE_COMPUTED,
  LOCK_MOVIES,
  MOVIE_ID_PAGE,
  PRECOMPUTED_SIMILAR,
  SIMILARITY_MODE,
  SIMILAR_MOVIES,
  WRITE_COMPUTED_EDGES
} from './queries.js'

export interface ComputeOptions {
  /** At most this many per movie. */
  limit: number
  minScore?: number
  exclude?: string[]
  /** Only candidates among these movies (null: any movie). */
  scope?: string[] | null
  /** Leave out pairs that already have an explicit SIMILAR_TO edge. */
  skipExplicit?: boolean
}

export interface ComputedSimilar {
  source_id: string
  movie: MovieRef
  score: number
  parts: SimilarParts
  evidence: SimilarEvidence
}

/** Scores are sums of float products; six decimals is all a client can use. */
function round(value: number): number {
  return Math.min(1, Math.max(0, Math.round(value * 1e6) / 1e6))
}

function roundParts(parts: SimilarParts): SimilarParts {
  const r = (v: number | null) => (v === null ? null : round(v))
  return {
    edge: r(parts.edge),
    genre: r(parts.genre),
    corating: r(parts.corating),
    franchise: r(parts.franchise),
    sentiment: r(parts.sentiment)
  }
}

/** Similar movies of each movie in `movieIds`, ranked, in one query (see SIMILAR_MOVIES). */
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
      scope: options.scope ?? null,
      skip_explicit: options.skipExplicit ?? false,
      limit: int(options.limit),
      min_score: options.minScore ?? 0,
      weights: config.weights,
      high_rating: config.highRating,
      max_coraters: int(config.maxCoraters),
      max_ratings_per_corater: int(config.maxRatingsPerCorater),
      max_per_genre: int(config.maxPerGenre),
      max_links: int(config.maxLinks)
    })
  )
  return found.map((row) => ({
    ...row,
    score: round(row.score),
    parts: roundParts(row.parts),
    evidence: { ...row.evidence, shared_genres: [...row.evidence.shared_genres].sort() }
  }))
}

interface PrecomputedRow {
  movie: MovieRef
  score: number
  source: string | null
  parts_json: string | null
  evidence_json: string | null
}

const NO_PARTS: SimilarParts = { edge: null, genre: null, corating: null, franchise: null, sentiment: null }
const NO_EVIDENCE: SimilarEvidence = {
  shared_genres: [],
  co_raters: null,
  franchise_hops: null,
  edge_source: null
}

function parseJson<T extends object>(text: string | null, fallback: T): T {
  if (text === null) return fallback
  try {
    const parsed: unknown = JSON.parse(text)
    return parsed !== null && typeof parsed === 'object' ? { ...fallback, ...(parsed as T) } : fallback
  } catch {
    return fallback
  }
}

/**
 * A computed edge carries the parts it was scored from; an explicit edge stands on its own
 * score (the curator's judgement), so its only part is the edge itself.
 */
function precomputedItem(row: PrecomputedRow): SimilarItem {
  const score = round(row.score)
  if (row.source === 'computed') {
    return {
      ...row.movie,
      score,
      source: 'computed',
      parts: roundParts(parseJson(row.parts_json, NO_PARTS)),
      evidence: parseJson(row.evidence_json, NO_EVIDENCE)
    }
  }
  return {
    ...row.movie,
    score,
    source: row.source ?? 'unknown',
    parts: { ...NO_PARTS, edge: score },
    evidence: { ...NO_EVIDENCE, edge_source: row.source }
  }
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
      const [mode] = rows<{ precomputed: boolean }>(await tx.run(SIMILARITY_MODE, { movie_id: movieId }))
      if (!mode) throw new NotFoundError(`Movie '${movieId}' does not exist`, { movie_id: movieId })
      const base = { movie_id: movieId, weights: config.similar.weights }
      if (mode.precomputed) {
        const found = rows<PrecomputedRow>(
          await tx.run(PRECOMPUTED_SIMILAR, {
            movie_id: movieId,
            exclude,
            min_score: minScore,
            limit: int(query.limit)
          })
        )
        return { ...base, mode: 'precomputed', items: found.map(precomputedItem) }
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

// --- rebuild steps -------------------------------------------------------------------------

export async function countMovies(db: Database, scope: string[] | null): Promise<number> {
  const [row] = await db.readRows<{ total: number }>(COUNT_MOVIES, { scope })
  return row?.total ?? 0
}

export async function movieIdPage(
  db: Database,
  after: string,
  limit: number,
  scope: string[] | null
): Promise<string[]> {
  const found = await db.readRows<{ movie_id: string }>(MOVIE_ID_PAGE, { after, limit: int(limit), scope })
  return found.map((r) => r.movie_id)
}

export async function computeSimilarBatch(
  db: Database,
  movieIds: string[],
  config: SimilarConfig,
  options: ComputeOptions
): Promise<ComputedSimilar[]> {
  return db.read((tx) => computeSimilar(tx, movieIds, config, options))
}

export interface ComputedPair {
  from: string
  to: string
  score: number
  parts: SimilarParts
  evidence: SimilarEvidence
}

/** Writes one chunk of computed edges in one transaction; returns how many were written. */
export async function writeComputedEdges(
  db: Database,
  runId: string,
  pairs: ComputedPair[]
): Promise<number> {
  if (pairs.length === 0) return 0
  const endpoints = [...new Set(pairs.flatMap((p) => [p.from, p.to]))].sort()
  return db.write(async (tx) => {
    await tx.run(LOCK_MOVIES, { movie_ids: endpoints })
    const [row] = rows<{ written: number }>(
      await tx.run(WRITE_COMPUTED_EDGES, {
        run_id: runId,
        pairs: pairs.map((p) => ({
          from: p.from,
          to: p.to,
          score: p.score,
          parts: JSON.stringify(p.parts),
          evidence: JSON.stringify(p.evidence)
        }))
      })
    )
    return row?.written ?? 0
  })
}

/** Deletes computed edges of earlier runs that start at these movies; counts this run's. */
export async function deleteStaleComputed(
  db: Database,
  runId: string,
  movieIds: string[],
  scope: string[] | null
): Promise<{ kept: number; deleted: number }> {
  const [row] = await db.writeRows<{ kept: number; deleted: number }>(DELETE_STALE_COMPUTED, {
    run_id: runId,
    movie_ids: movieIds,
    scope
  })
  return row ?? { kept: 0, deleted: 0 }
}
