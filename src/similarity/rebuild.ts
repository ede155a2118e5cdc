/**
 * Precomputed similarity: for every movie, its top-k similar movies are written as
 * `SIMILAR_TO {source: 'computed', score, parts, evidence, run_id}` edges.
 *
 * How computed and explicit edges coexist: a symmetric edge is stored once per pair, so a pair
 * that already has an explicit SIMILAR_TO edge (editorial, tmdb, ...) gets no computed one and
 * the explicit edge is never read for scoring's sake, changed or deleted. Computed edges are
 * never an input of the computation either, so a rebuild does not feed on its own output.
 *
 * How it stays out of the API's way: movies are visited in movie_id order, a batch at a time; each
 * batch is one read transaction (score) and small write transactions (write). New edges are
 * tagged with the run id and earlier computed edges are removed only after every batch was
 * written, so readers always find a complete set (old, new, or a mix of both) and never none.
 * Two whole-graph rebuilds must not run at once (each would remove the other's edges at the end),
 * so one holds the `similarity-rebuild` job lock and renews it after every batch; a second one
 * stops at once with a conflict naming the running one.
 *
 * A movie may end with more than k computed edges: k are its own picks, the rest are movies that
 * picked it (the union keeps the relation symmetric).
 */
import { randomUUID } from 'node:crypto'
import type { Database } from '../db/database.js'
import { DEFAULT_TRAVERSAL_CONFIG } from '../config/traversal.js'
import type { SimilarConfig } from '../config/traversal.js'
import {
  computeSimilarBatch,
  countMovies,
  deleteStaleComputed,
  movieIdPage,
  writeComputedEdges
} from '../data/similarity/repository.js'
import type { ComputedPair, ComputedSimilar } from '../data/similarity/repository.js'
import { acquireLock } from '../data/locks/repository.js'

/** Write transactions stay this small however big a batch of movies is. */
const WRITE_CHUNK = 1000

export const REBUILD_LOCK = 'similarity-rebuild'
/** Long enough for any one batch; a rebuild that died frees the lock after this. */
const LOCK_TTL_MS = 10 * 60_000

export interface RebuildProgress {
  phase: 'compute' | 'cleanup'
  /** Movies done in this phase. */
  done: number
  total: number
  /** Edge writes so far; a pair picked from both ends is written twice. */
  edgeWrites: number
  /** Computed edges of this run found in the cleanup so far. */
  edges: number
  edgesRemoved: number
}

export interface RebuildOptions {
  topK?: number
  batchSize?: number
  onProgress?: (progress: RebuildProgress) => void
  /** Weights and caps of the score; the environment's by default. */
  config?: SimilarConfig
  /**
   * Rebuild only among these movies: sources and candidates both come from the set, and only
   * computed edges between two of them are replaced. Default: the whole graph.
   */
  movieIds?: string[]
}

export interface RebuildSummary {
  runId: string
  movies: number
  batches: number
  /** Computed edges the run left (among the scope, when there is one). */
  edges: number
  /** Computed edges of earlier runs that were removed. */
  edgesRemoved: number
  durationMs: number
}

/** One pair per unordered movie pair, in stored (smaller → larger) order, the higher score kept. */
export function toPairs(found: ComputedSimilar[]): ComputedPair[] {
  const byKey = new Map<string, ComputedPair>()
  for (const row of found) {
    const [from, to] =
      row.source_id < row.movie.movie_id
        ? [row.source_id, row.movie.movie_id]
        : [row.movie.movie_id, row.source_id]
    const key = `${from}\u0000${to}`
    const seen = byKey.get(key)
    if (!seen || row.score > seen.score) {
      byKey.set(key, { from, to, score: row.score, parts: row.parts, evidence: row.evidence })
    }
  }
  return [...byKey.values()]
}

async function forEachBatch(
  db: Database,
  batchSize: number,
  scope: string[] | null,
  visit: (movieIds: string[]) => Promise<void>
): Promise<number> {
  let after = ''
  let batches = 0
  for (;;) {
    const ids = await movieIdPage(db, after, batchSize, scope)
    if (ids.length === 0) return batches
    await visit(ids)
    batches += 1
    after = ids[ids.length - 1] as string
    if (ids.length < batchSize) return batches
  }
}

export async function rebuildSimilarity(db: Database, options: RebuildOptions = {}): Promise<RebuildSummary> {
  const topK = options.topK ?? DEFAULT_TRAVERSAL_CONFIG.rebuild.topK
  const batchSize = options.batchSize ?? DEFAULT_TRAVERSAL_CONFIG.rebuild.batchSize
  if (!Number.isInteger(topK) || topK < 1 || topK > 1000)
    throw new RangeError('topK must be an integer 1..1000')
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 5000) {
    throw new RangeError('batchSize must be an integer 1..5000')
  }
  const config = options.config ?? DEFAULT_TRAVERSAL_CONFIG.similar
  const scope = options.movieIds ? [...new Set(options.movieIds)] : null
  const report = options.onProgress ?? (() => {})
  const started = Date.now()
  const runId = randomUUID()
  // A scoped rebuild only replaces edges inside its own set, so only whole-graph runs exclude each other.
  const lock = scope === null ? await acquireLock(db, REBUILD_LOCK, runId, LOCK_TTL_MS) : null
  try {
    return await rebuild(db, {
      runId,
      started,
      topK,
      batchSize,
      config,
      scope,
      report,
      renew: () => lock?.renew()
    })
  } finally {
    await lock?.release()
  }
}

interface RunState {
  runId: string
  started: number
  topK: number
  batchSize: number
  config: SimilarConfig
  scope: string[] | null
  report: (progress: RebuildProgress) => void
  renew: () => Promise<void> | undefined
}

async function rebuild(db: Database, run: RunState): Promise<RebuildSummary> {
  const { runId, started, topK, batchSize, config, scope, report } = run
  const total = await countMovies(db, scope)
  let done = 0
  let edgeWrites = 0
  let edges = 0
  let edgesRemoved = 0

  const batches = await forEachBatch(db, batchSize, scope, async (ids) => {
    const found = await computeSimilarBatch(db, ids, config, { limit: topK, scope, skipExplicit: true })
    const pairs = toPairs(found)
    for (let i = 0; i < pairs.length; i += WRITE_CHUNK) {
      edgeWrites += await writeComputedEdges(db, runId, pairs.slice(i, i + WRITE_CHUNK))
    }
    done += ids.length
    await run.renew()
    report({ phase: 'compute', done, total, edgeWrites, edges, edgesRemoved })
  })

  done = 0
  await forEachBatch(db, batchSize, scope, async (ids) => {
    const { kept, deleted } = await deleteStaleComputed(db, runId, ids, scope)
    edges += kept
    edgesRemoved += deleted
    done += ids.length
    await run.renew()
    report({ phase: 'cleanup', done, total, edgeWrites, edges, edgesRemoved })
  })

  return { runId, movies: total, batches, edges, edgesRemoved, durationMs: Date.now() - started }
}
