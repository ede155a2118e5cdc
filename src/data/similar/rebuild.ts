/**
 * `cinegraph similarity rebuild`: every movie's top-k similar movies, computed for the whole
 * catalogue at once and stored on the movie (`similar_ids`, `similar_scores`, `similar`,
 * `similar_fans`, `similar_at`), so that a read touches only that list.
 *
 * The catalogue is streamed once into memory (SimilarityModel: movies, each user's most recent
 * likes, explicit and franchise links) and every movie is scored there, which costs seconds for
 * 100,000 movies; per-movie queries cost hours. Lists are written in batches, each movie's list
 * replaced whole, so readers always find a complete list, old or new. A run killed halfway
 * leaves old lists beside new ones and no JobRun record, so the next run (and `--since last`)
 * does the work again.
 *
 * A refresh (`since` or `movieIds`) loads the same catalogue but scores and writes only the
 * touched movies. Whole rebuilds and refreshes exclude each other through the job lock: two
 * writers of one movie's list would only waste work, and a refresh that starts from the last
 * finished run must not race the run that is about to finish.
 */
import { randomUUID } from 'node:crypto'
import { getHeapStatistics } from 'node:v8'
import type { SimilarConfig } from '../../config.js'
import { DEFAULT_TRAVERSAL_CONFIG } from '../../config.js'
import { int } from '../../db/convert.js'
import type { Database } from '../../db/database.js'
import { acquireLock } from '../locks/repository.js'
import { SimilarityModel } from './model.js'
import type { LinkInput, MovieInput, ScoredCandidate } from './model.js'
import {
  CATALOGUE_SIZE,
  DATABASE_TIME,
  DELETE_COMPUTED_EDGES,
  FINISH_RUN,
  LAST_RUN,
  LOAD_EXPLICIT_EDGES,
  LOAD_EXPLICIT_EDGES_OF,
  LOAD_FRANCHISE_LINKS,
  LOAD_LIKES,
  LOAD_MOVIES,
  TOUCHED_SINCE,
  WRITE_LISTS
} from './queries.js'

export const REBUILD_LOCK = 'similarity-rebuild'
/** A run that died frees the lock after this; a live one renews it after every batch. */
const LOCK_TTL_MS = 10 * 60_000
const LEGACY_DELETE_BATCH = 10_000

export type RebuildPhase = 'cleanup' | 'load' | 'score'

export interface RebuildProgress {
  phase: RebuildPhase
  /** Units done in this phase: rows loaded, or movies scored and written. */
  done: number
  /** Movies to score; 0 while loading. */
  total: number
  message?: string
}

export interface RebuildOptions {
  topK?: number
  /** Movies whose lists are written per transaction. */
  batchSize?: number
  /** Weights and caps of the score; the defaults when not given. */
  config?: SimilarConfig
  /** Refresh only movies touched since this ISO time, or since the last finished run ('last'). */
  since?: string
  /** Refresh only these movies. */
  movieIds?: string[]
  onProgress?: (progress: RebuildProgress) => void
  /** Free V8 heap in bytes; the process's own by default (a test can pretend it is smaller). */
  freeHeapBytes?: number
  /** Timeout of each loading transaction. */
  txTimeoutMs?: number
}

export interface RebuildSummary {
  runId: string
  mode: 'full' | 'refresh'
  /** Movies in the catalogue. */
  movies: number
  /** Movies whose lists were written. */
  written: number
  /** Entries in the written lists. */
  entries: number
  /** Computed SIMILAR_TO edges of the former edge-based rebuild that were removed. */
  legacyEdgesRemoved: number
  /** Time of the run start that a later `--since last` starts from. */
  startedAt: string
  durationMs: number
  phasesMs: { load: number; score: number }
}

/** What a stored list entry holds, in this order (see SIMILAR_LIST). */
export type StoredEntry = [
  score: number,
  edge: number,
  genre: number | null,
  corating: number | null,
  franchise: number,
  sentiment: number | null,
  coRaters: number | null,
  franchiseHops: number | null,
  edgeSource: string | null
]

export function toStoredEntry(c: ScoredCandidate): StoredEntry {
  return [
    c.score,
    c.parts.edge ?? 0,
    c.parts.genre,
    c.parts.corating,
    c.parts.franchise ?? 0,
    c.parts.sentiment,
    c.co_raters,
    c.franchise_hops,
    c.edge_source
  ]
}

/** Rough bytes per unit of what the model holds while it loads and scores. */
const BYTES = { movie: 700, rating: 24, edge: 200 }

export interface CatalogueSize {
  movies: number
  users: number
  ratings: number
  similar_edges: number
}

/** What the in-memory pass will need, from counts alone (an upper bound: every rating a like). */
export function estimateBytes(size: CatalogueSize, config: SimilarConfig): number {
  const edges = Math.min(size.similar_edges * 2, size.movies * config.maxLinks * 2)
  return size.movies * BYTES.movie + size.ratings * BYTES.rating + edges * BYTES.edge
}

function freeHeap(): number {
  const heap = getHeapStatistics()
  return heap.heap_size_limit - heap.used_heap_size
}

const MiB = (bytes: number) => Math.ceil(bytes / 1_048_576)

export async function rebuildSimilarity(db: Database, options: RebuildOptions = {}): Promise<RebuildSummary> {
  const topK = options.topK ?? DEFAULT_TRAVERSAL_CONFIG.rebuild.topK
  const batchSize = options.batchSize ?? DEFAULT_TRAVERSAL_CONFIG.rebuild.batchSize
  if (!Number.isInteger(topK) || topK < 1 || topK > 1000)
    throw new RangeError('topK must be an integer 1..1000')
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
    throw new RangeError('batchSize must be an integer 1..10000')
  }
  if (options.since !== undefined && options.movieIds !== undefined) {
    throw new RangeError('give either since or movieIds, not both')
  }
  if (options.since !== undefined && options.since !== 'last' && Number.isNaN(Date.parse(options.since))) {
    throw new RangeError(`since must be an ISO date-time or 'last', not ${JSON.stringify(options.since)}`)
  }
  const config = options.config ?? DEFAULT_TRAVERSAL_CONFIG.similar
  const report = options.onProgress ?? (() => {})
  const started = Date.now()
  const runId = randomUUID()
  const lock = await acquireLock(db, REBUILD_LOCK, runId, LOCK_TTL_MS)
  try {
    const since = await resolveSince(db, options.since)
    const [clock] = await db.readRows<{ now: string }>(DATABASE_TIME)
    const startedAt = clock?.now ?? new Date().toISOString()

    const [size] = await db.readRows<CatalogueSize>(CATALOGUE_SIZE)
    if (!size) throw new Error('could not read the catalogue size')
    const needed = estimateBytes(size, config)
    const free = options.freeHeapBytes ?? freeHeap()
    if (needed > free) {
      const suggest = Math.ceil((getHeapStatistics().used_heap_size + needed * 1.5) / 1_048_576 / 256) * 256
      throw new InsufficientMemoryError(
        `similarity rebuild needs about ${MiB(needed)} MiB of memory for ${size.movies} movies and ` +
          `${size.ratings} ratings, and ${MiB(free)} MiB are free; run it with ` +
          `NODE_OPTIONS=--max-old-space-size=${suggest}`
      )
    }

    let legacyEdgesRemoved = 0
    for (;;) {
      const [row] = await db.writeRows<{ deleted: number }>(DELETE_COMPUTED_EDGES, {
        limit: int(LEGACY_DELETE_BATCH)
      })
      const deleted = row?.deleted ?? 0
      legacyEdgesRemoved += deleted
      if (deleted > 0) report({ phase: 'cleanup', done: legacyEdgesRemoved, total: 0 })
      if (deleted < LEGACY_DELETE_BATCH) break
      await lock.renew()
    }

    const loadStarted = Date.now()
    const named = await targetIdsOf(db, since, options.movieIds)
    const model = await loadModel(db, config, report, options.txTimeoutMs, named)
    await lock.renew()
    const targets = named === null ? model.ids.map((_, i) => i) : indexesOf(model, named)
    const loadMs = Date.now() - loadStarted

    const scoreStarted = Date.now()
    let written = 0
    let entries = 0
    report({ phase: 'score', done: 0, total: targets.length })
    // Scoring runs in this process and writing in Neo4j, so the next batch is scored while the
    // last one is being written: on two cores the two overlap instead of taking turns.
    let writing: Promise<void> = Promise.resolve()
    for (let i = 0; i < targets.length; i += batchSize) {
      const batch = targets.slice(i, i + batchSize)
      const lists = batch.map((m) => {
        const found = model.similarTo(m, topK)
        entries += found.length
        return {
          movie_id: model.ids[m] ?? '',
          ids: found.map((c) => c.movie_id),
          scores: found.map((c) => c.score),
          fans: int(model.fanCount(m)),
          list: JSON.stringify(found.map(toStoredEntry))
        }
      })
      await writing
      const done = i + batch.length
      writing = (async () => {
        const [row] = await db.writeRows<{ written: number }>(WRITE_LISTS, {
          lists,
          at: startedAt,
          run_id: runId
        })
        written += row?.written ?? 0
        await lock.renew()
        report({ phase: 'score', done, total: targets.length })
      })()
      // A failed write surfaces at the next await; until then it must not count as unhandled.
      writing.catch(() => undefined)
    }
    await writing
    const scoreMs = Date.now() - scoreStarted

    const mode = options.since === undefined && options.movieIds === undefined ? 'full' : 'refresh'
    // A run over named movies says nothing about the others, so only whole and --since runs move
    // the point a later `--since last` starts from.
    if (options.movieIds === undefined) {
      await db.writeRows(FINISH_RUN, {
        name: REBUILD_LOCK,
        started_at: startedAt,
        run_id: runId,
        movies: int(written)
      })
    }
    return {
      runId,
      mode,
      movies: model.size,
      written,
      entries,
      legacyEdgesRemoved,
      startedAt,
      durationMs: Date.now() - started,
      phasesMs: { load: loadMs, score: scoreMs }
    }
  } finally {
    await lock.release()
  }
}

export class InsufficientMemoryError extends Error {}

/**
 * Streams the catalogue into a model; progress counts rows as they arrive. With `explicitOf`,
 * only those movies' explicit edges are loaded (a refresh scores no other movie).
 */
export async function loadModel(
  db: Database,
  config: SimilarConfig,
  report: (progress: RebuildProgress) => void = () => {},
  timeoutMs = DEFAULT_TRAVERSAL_CONFIG.rebuild.txTimeoutMs,
  explicitOf: readonly string[] | null = null
): Promise<SimilarityModel> {
  let rows = 0
  // Each query's rows, collected as they arrive; a retried attempt starts its list again.
  const readAll = async <T>(query: string, params: Record<string, unknown>, what: string): Promise<T[]> => {
    let found: T[] = []
    await db.readStream<T>(
      query,
      params,
      () => {
        found = []
        return (row) => {
          found.push(row)
          rows += 1
          if (rows % 10_000 === 0) report({ phase: 'load', done: rows, total: 0, message: what })
        }
      },
      { timeoutMs }
    )
    return found
  }
  const model = new SimilarityModel(await readAll<MovieInput>(LOAD_MOVIES, {}, 'movies'), config)
  // Nothing keeps the rows once the model has them, so each list can go before the next loads.
  model.setLikes(
    (
      await readAll<{ likes: string[] }>(
        LOAD_LIKES,
        { high_rating: config.highRating, max_likes: int(config.maxLikesPerUser) },
        'likes'
      )
    ).map((row) => row.likes)
  )
  model.setExplicitEdges(
    explicitOf === null
      ? await readAll<LinkInput>(LOAD_EXPLICIT_EDGES, {}, 'explicit edges')
      : await readAll<LinkInput>(
          LOAD_EXPLICIT_EDGES_OF,
          { movie_ids: explicitOf, max_links: int(config.maxLinks) },
          'explicit edges'
        )
  )
  model.setFranchiseLinks(await readAll<LinkInput>(LOAD_FRANCHISE_LINKS, {}, 'franchise links'))
  return model
}

/** The refresh's start time: as given, or when the last finished run started ('last'). */
async function resolveSince(db: Database, since: string | undefined): Promise<string | undefined> {
  if (since !== 'last') return since
  const [last] = await db.readRows<{ started_at: string | null }>(LAST_RUN, { name: REBUILD_LOCK })
  if (!last?.started_at) {
    throw new Error('no similarity rebuild has finished yet, so there is no last run to refresh from')
  }
  return last.started_at
}

/** The movie_ids a refresh scores (touched since, or named); null for a whole rebuild. */
async function targetIdsOf(
  db: Database,
  since: string | undefined,
  movieIds: string[] | undefined
): Promise<string[] | null> {
  if (movieIds !== undefined) return [...new Set(movieIds)]
  if (since === undefined) return null
  const touched = await db.readRows<{ movie_id: string }>(TOUCHED_SINCE, { since })
  return touched.map((r) => r.movie_id)
}

/** Model indexes of the named movies that exist, in index order. */
function indexesOf(model: SimilarityModel, ids: readonly string[]): number[] {
  const found = new Set<number>()
  for (const id of ids) {
    const m = model.indexOf(id)
    if (m !== undefined) found.add(m)
  }
  return [...found].sort((a, b) => a - b)
}
