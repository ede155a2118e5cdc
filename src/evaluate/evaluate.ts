/**
 * `evaluate`: offline quality of the similar lists and recommendations on a MovieLens directory.
 *
 * Each user's latest liked ratings are held out (see split.ts), the rest is loaded into an empty
 * Neo4j with the real importer and `rebuildSimilarity` runs on it, as in production. A seeded
 * sample of the users with held-out ratings then gets a top-k list from each engine, never naming
 * a movie the user rated in training, and the lists are scored against the held-out movies.
 *
 * Without a database given, a throwaway Neo4j is started for the run and removed after it, also
 * when the run fails or the process exits; the training files go to a temporary directory that is
 * removed as well.
 */
import { rmSync } from 'node:fs'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEFAULT_TRAVERSAL_CONFIG } from '../config.js'
import type { TraversalConfig } from '../config.js'
import { rebuildSimilarity } from '../data/similar/rebuild.js'
import { recommendForUser } from '../data/recommendations/repository.js'
import { Database } from '../db/database.js'
import { migrate } from '../db/migrate.js'
import { createRandom, permutation } from '../generate/random.js'
import { importMovieLens } from '../ingest/import-movielens.js'
import { movieLensUserId } from '../ingest/movielens.js'
import type { ProgressStream } from '../ingest/progress.js'
import { startEphemeralNeo4j } from '../neo4j-local/index.js'
import type { EphemeralNeo4jHandle } from '../neo4j-local/index.js'
import { TRAVERSAL_BOUNDS } from '../schemas/common.js'
import { CosineEngine, PopularityEngine, StoredLists, aggregateLists, likeCounts } from './engines.js'
import { MetricsAccumulator } from './metrics.js'
import type { EngineMetrics } from './metrics.js'
import { userProgress } from './progress.js'
import { findMovieLensFile, readMovieIds, readRatings, splitTable, writeTraining } from './split.js'
import type { RatingTable, Split } from './split.js'

export const ENGINES = ['similar', 'recommendations', 'popularity', 'cosine'] as const
export type EngineName = (typeof ENGINES)[number]
export const ENGINE_LABELS: Record<EngineName, string> = {
  similar: 'similar',
  recommendations: 'recommendations',
  popularity: 'popularity',
  cosine: 'co-rating cosine'
}

/** Timeout of each engine query during an evaluation. */
const OFFLINE_TX_TIMEOUT_MS = 120_000

export const EVALUATE_DEFAULTS = { holdout: 1, users: 1000, k: 10, seed: 1 } as const
export const EVALUATE_LIMITS = {
  holdout: [1, 100],
  users: [1, 1_000_000],
  k: [1, TRAVERSAL_BOUNDS.maxLimit],
  seed: [0, 2 ** 32 - 1]
} as const satisfies Record<keyof typeof EVALUATE_DEFAULTS, readonly [number, number]>

/** A user's most recent likes that the list-based engines start from. */
export const SEEDS_PER_USER = 50
/** Entries of each seed's cosine list that count. */
export const COSINE_PER_SEED = 50
/** Users whose stored lists are read in one query. */
const USERS_PER_BATCH = 50
/** Recommendation queries in flight at once: two keep a small server's cores busy. */
const RECOMMEND_CONCURRENCY = 2

export interface EvaluateOptions {
  /** A MovieLens directory: ratings.csv and movies.csv (plain or gzipped), links.csv, tags.csv. */
  dir: string
  holdout?: number
  /** At most this many users with held-out ratings are evaluated, a sample drawn with `seed`. */
  users?: number
  k?: number
  seed?: number
  /** The similarity and recommendation settings; the defaults when not given. */
  config?: TraversalConfig
  /** An empty, migrated database to load the training split into instead of a throwaway Neo4j. */
  db?: Database
  /** Where the importer's and the user pass's progress go; nothing when absent. */
  progress?: ProgressStream
  log?: (line: string) => void
}

export interface DatasetSize {
  /** Movies in the graph after the import. */
  movies: number
  /** Users with at least one rating. */
  users: number
  /** Ratings the importer keeps (one per user and movie), held-out ones included. */
  ratings: number
  likes: number
  /** Users with held-out ratings. */
  eligibleUsers: number
  /** The sample of them that was evaluated. */
  testUsers: number
  heldOut: number
}

export interface TrainingSplit {
  /** Held-out movie_ids (latest first) of every user who has any, by user_id. */
  heldOut: Map<string, string[]>
  /** Training likes of every user, most recent first, by user_id. */
  liked: Map<string, string[]>
  /** The evaluated users, ascending. */
  testUsers: string[]
  trainingRatings: number
}

export interface EngineResult extends EngineMetrics {
  engine: EngineName
  label: string
}

export interface EvaluateResult {
  k: number
  holdout: number
  seed: number
  dataset: DatasetSize
  engines: EngineResult[]
  split: TrainingSplit
  timingsMs: { split: number; import: number; rebuild: number; users: number }
}

export class EvaluateInputError extends Error {}

function checkOption(name: keyof typeof EVALUATE_LIMITS, value: number): number {
  const [min, max] = EVALUATE_LIMITS[name]
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new EvaluateInputError(`${name} must be an integer from ${min} to ${max}, got ${value}`)
  }
  return value
}

/** The input files, or a one-line reason why the directory cannot be evaluated. */
export async function evaluationInputs(dir: string): Promise<{ ratings: string; movies: string }> {
  const info = await stat(dir).catch(() => undefined)
  if (!info?.isDirectory()) throw new EvaluateInputError(`${dir} is not a directory`)
  const ratings = await findMovieLensFile(dir, 'ratings')
  if (!ratings) throw new EvaluateInputError(`${dir} has no ratings.csv (or ratings.csv.gz)`)
  const movies = await findMovieLensFile(dir, 'movies')
  if (!movies) throw new EvaluateInputError(`${dir} has no movies.csv (or movies.csv.gz)`)
  return { ratings, movies }
}

export async function evaluate(options: EvaluateOptions): Promise<EvaluateResult> {
  const holdout = checkOption('holdout', options.holdout ?? EVALUATE_DEFAULTS.holdout)
  const userLimit = checkOption('users', options.users ?? EVALUATE_DEFAULTS.users)
  const k = checkOption('k', options.k ?? EVALUATE_DEFAULTS.k)
  const seed = checkOption('seed', options.seed ?? EVALUATE_DEFAULTS.seed)
  const config = options.config ?? DEFAULT_TRAVERSAL_CONFIG
  const log = options.log ?? (() => undefined)
  const inputs = await evaluationInputs(options.dir)

  const splitStarted = performance.now()
  const table = await readRatings(inputs.ratings, await readMovieIds(inputs.movies))
  const split = splitTable(table, { holdout, highRating: config.similar.highRating })
  const work = await mkdtemp(join(tmpdir(), 'cinegraph-evaluate-'))
  // A process that exits mid-run (an interrupted CLI) still removes the training files.
  const removeWork = (): void => rmSync(work, { recursive: true, force: true })
  process.once('exit', removeWork)
  let neo4j: EphemeralNeo4jHandle | undefined
  let ownDb: Database | undefined
  try {
    const training = await writeTraining(options.dir, join(work, 'training'), table, split)
    const splitMs = performance.now() - splitStarted
    log(
      `split: ${table.size} ratings of ${table.userIds.length} users, ${split.heldOutByUser.size} users ` +
        `with ${holdout} held-out liked rating${holdout === 1 ? '' : 's'}, ${training.ratings} training ratings`
    )

    let db = options.db
    if (!db) {
      log('starting a throwaway Neo4j')
      neo4j = await startEphemeralNeo4j({ log })
      ownDb = new Database({
        uri: neo4j.boltUri,
        user: neo4j.user,
        password: neo4j.password,
        database: 'neo4j',
        txTimeoutMs: config.rebuild.txTimeoutMs,
        connectionTimeoutMs: 10_000
      })
      db = ownDb
      await migrate(db)
    }

    const importStarted = performance.now()
    log(`importing the training split`)
    await importMovieLens(db, training.dir, options.progress ? { progress: options.progress } : {})
    const movieIdOf = await movieIds(db)
    const importMs = performance.now() - importStarted

    const rebuildStarted = performance.now()
    log('rebuilding the similar lists')
    await rebuildSimilarity(db, {
      config: config.similar,
      topK: config.rebuild.topK,
      batchSize: config.rebuild.batchSize,
      txTimeoutMs: config.rebuild.txTimeoutMs
    })
    const rebuildMs = performance.now() - rebuildStarted

    const usersStarted = performance.now()
    const history = trainingHistory(table, split, movieIdOf, config.similar.highRating)
    const testUsers = sampleUsers([...history.heldOut.keys()], userLimit, seed)
    log(`evaluating ${testUsers.length} of ${history.heldOut.size} users with held-out ratings`)
    const engines = await scoreEngines(db, {
      k,
      config,
      testUsers,
      history,
      catalogue: [...movieIdOf.values()],
      progress: options.progress
    })
    const usersMs = performance.now() - usersStarted

    return {
      k,
      holdout,
      seed,
      dataset: {
        movies: movieIdOf.size,
        users: table.userIds.length,
        ratings: table.size,
        likes: countLikes(table, config.similar.highRating),
        eligibleUsers: history.heldOut.size,
        testUsers: testUsers.length,
        heldOut: testUsers.reduce((sum, u) => sum + (history.heldOut.get(u)?.length ?? 0), 0)
      },
      engines,
      split: {
        heldOut: history.heldOut,
        liked: history.liked,
        testUsers,
        trainingRatings: training.ratings
      },
      timingsMs: { split: splitMs, import: importMs, rebuild: rebuildMs, users: usersMs }
    }
  } finally {
    await ownDb?.close().catch(() => undefined)
    await neo4j?.stop().catch(() => undefined)
    await rm(work, { recursive: true, force: true })
    process.removeListener('exit', removeWork)
  }
}

/** MovieLens movieId → the movie_id the importer gave it. */
async function movieIds(db: Database): Promise<Map<number, string>> {
  const rows = await db.readRows<{ movielens_id: number; movie_id: string }>(
    `MATCH (m:Movie) WHERE m.movielens_id IS NOT NULL
     RETURN m.movielens_id AS movielens_id, m.movie_id AS movie_id`
  )
  return new Map(rows.map((row) => [row.movielens_id, row.movie_id]))
}

function countLikes(table: RatingTable, highRating: number): number {
  let likes = 0
  for (let i = 0; i < table.size; i++) if ((table.score[i] as number) >= highRating) likes++
  return likes
}

interface History {
  /** By user_id: held-out movie_ids, for users whose held-out movies made it into the graph. */
  heldOut: Map<string, string[]>
  /** By user_id: training likes, most recent first (ties by movie_id, as the rebuild orders them). */
  liked: Map<string, string[]>
  /** By user_id: every movie rated in training. */
  rated: Map<string, string[]>
}

export function trainingHistory(
  table: RatingTable,
  split: Split,
  movieIdOf: ReadonlyMap<number, string>,
  highRating: number
): History {
  const history: History = { heldOut: new Map(), liked: new Map(), rated: new Map() }
  for (let u = 0; u < table.userIds.length; u++) {
    const userId = movieLensUserId(table.userIds[u] as number)
    const rated: string[] = []
    const liked: Array<{ id: string; at: number }> = []
    for (let i = table.userStart[u] as number; i < (table.userStart[u + 1] as number); i++) {
      const id = movieIdOf.get(table.movie[i] as number)
      if (id === undefined || split.heldOut[i]) continue
      rated.push(id)
      if ((table.score[i] as number) >= highRating) liked.push({ id, at: table.timestamp[i] as number })
    }
    liked.sort((a, b) => b.at - a.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    history.rated.set(userId, rated)
    if (liked.length > 0)
      history.liked.set(
        userId,
        liked.map((l) => l.id)
      )
    const held = (split.heldOutByUser.get(table.userIds[u] as number) ?? []).flatMap((movie) => {
      const id = movieIdOf.get(movie)
      return id === undefined ? [] : [id]
    })
    if (held.length > 0) history.heldOut.set(userId, held)
  }
  return history
}

/** Up to `limit` of the users, drawn with the seed, in the users' order. */
export function sampleUsers(users: readonly string[], limit: number, seed: number): string[] {
  if (users.length <= limit) return [...users]
  const order = permutation(users.length, createRandom(seed))
  const chosen = Array.from(order.subarray(0, limit)).sort((a, b) => a - b)
  return chosen.map((i) => users[i] as string)
}

interface ScoreInput {
  k: number
  config: TraversalConfig
  testUsers: readonly string[]
  history: History
  catalogue: readonly string[]
  progress: ProgressStream | undefined
}

async function scoreEngines(db: Database, input: ScoreInput): Promise<EngineResult[]> {
  const { k, config, history } = input
  // A request's deadline guards a live service; an offline run on a busy machine should wait.
  const offline: TraversalConfig = {
    ...config,
    txTimeoutMs: Math.max(config.txTimeoutMs, OFFLINE_TX_TIMEOUT_MS)
  }
  const metrics = Object.fromEntries(ENGINES.map((e) => [e, new MetricsAccumulator(k)])) as Record<
    EngineName,
    MetricsAccumulator
  >
  const allLikes = [...history.liked.values()]
  const popularity = new PopularityEngine(likeCounts(allLikes))
  const cosine = new CosineEngine(
    input.catalogue,
    allLikes.map((likes) => likes.slice(0, config.similar.maxLikesPerUser)),
    COSINE_PER_SEED
  )
  const stored = new StoredLists(db)
  const progress = userProgress(input.progress, input.testUsers.length)

  for (let start = 0; start < input.testUsers.length; start += USERS_PER_BATCH) {
    const batch = input.testUsers.slice(start, start + USERS_PER_BATCH)
    const seedsOf = new Map(batch.map((u) => [u, (history.liked.get(u) ?? []).slice(0, SEEDS_PER_USER)]))
    await stored.load([...seedsOf.values()].flat())
    const recommended = await mapLimit(batch, RECOMMEND_CONCURRENCY, async (userId) => {
      const response = await recommendForUser(db, userId, { limit: k }, offline)
      return response.items.map((item) => item.movie_id)
    })
    batch.forEach((userId, i) => {
      const seeds = seedsOf.get(userId) ?? []
      const exclude = new Set(history.rated.get(userId))
      const relevant = new Set(history.heldOut.get(userId))
      metrics.similar.add(
        aggregateLists(seeds, (id) => stored.listOf(id), exclude, k),
        relevant
      )
      metrics.recommendations.add(recommended[i] ?? [], relevant)
      metrics.popularity.add(popularity.top(exclude, k), relevant)
      metrics.cosine.add(
        aggregateLists(seeds, (id) => cosine.listOf(id), exclude, k),
        relevant
      )
      progress.tick()
    })
  }
  progress.end()
  return ENGINES.map((engine) => ({
    engine,
    label: ENGINE_LABELS[engine],
    ...metrics[engine].result(input.catalogue.length)
  }))
}

/** `fn` over the items with at most `limit` calls in flight, results in the items' order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++
      results[i] = await fn(items[i] as T)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}
