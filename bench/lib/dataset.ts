/**
 * Generated datasets for the benchmark suites: written once per run into the work directory and
 * loaded with the importers only when the graph does not hold them yet, so the API and load
 * suites can reuse what the import suite (or another suite) already loaded.
 *
 * A loaded dataset is marked by a `(:BenchDataset {key})` node written after its last file. Each
 * set of sizes gets its own id offset, so two datasets in one graph do not overwrite each other.
 */
import { access } from 'node:fs/promises'
import { join } from 'node:path'
import { int } from '../../src/db/convert.js'
import type { Database } from '../../src/db/database.js'
import { GENERATOR_VERSION, MANIFEST_FILE, generateDataset } from '../../src/generate/dataset.js'
import { importMovieLens } from '../../src/ingest/import-movielens.js'
import { importTmdb } from '../../src/ingest/import-tmdb.js'
import { importTweets } from '../../src/ingest/import-tweets.js'
import type { ImportSummary } from '../../src/ingest/file-run.js'
import type { BenchContext } from '../suites/types.js'

export interface DatasetSizes {
  movies: number
  users: number
  ratings: number
  tweets: number
}

export const BENCH_SEED = 20_240_601
/** Ids of one dataset stay below its offset plus this (IMDb numbers grow fastest, ~41 a movie). */
const OFFSET_STEP = 20_000_000
const SAMPLE = 5_000

export function datasetKey(sizes: DatasetSizes, generator = GENERATOR_VERSION): string {
  const base = `movies=${sizes.movies},users=${sizes.users},ratings=${sizes.ratings},tweets=${sizes.tweets},seed=${BENCH_SEED}`
  // Keys written before the generator had versions carry none; that generator is version 1.
  return generator === 1 && GENERATOR_VERSION > 1 ? base : `${base},generator=${generator}`
}

/** A stable offset per key (FNV-1a), at most about 1e9 so every id stays a 32-bit integer. */
export function datasetOffset(key: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return (1 + (hash % 50)) * OFFSET_STEP
}

export interface DatasetFiles {
  key: string
  offset: number
  dir: string
  movielens: string
  tmdb: string
  tweets: string
  hashtags: string
}

/** Generates the dataset into ctx.workDir unless this run already did. */
export async function generateBenchDataset(ctx: BenchContext, sizes: DatasetSizes): Promise<DatasetFiles> {
  const key = datasetKey(sizes)
  const offset = datasetOffset(key)
  const dir = join(ctx.workDir, `dataset-${sizes.movies}-${sizes.users}-${sizes.ratings}-${sizes.tweets}`)
  const exists = await access(join(dir, MANIFEST_FILE)).then(
    () => true,
    () => false
  )
  if (!exists) {
    ctx.log(`generating ${key} into ${dir}`)
    await generateDataset({
      ...sizes,
      out: dir,
      seed: BENCH_SEED,
      idOffset: offset,
      log: (line) => ctx.log(line)
    })
  }
  return {
    key,
    offset,
    dir,
    movielens: dir,
    tmdb: join(dir, 'tmdb.jsonl'),
    tweets: join(dir, 'tweets.jsonl'),
    hashtags: join(dir, 'hashtags.json')
  }
}

export async function isDatasetLoaded(db: Database, key: string): Promise<boolean> {
  const rows = await db.readRows<{ key: string }>('MATCH (d:BenchDataset {key: $key}) RETURN d.key AS key', {
    key
  })
  return rows.length > 0
}

export async function markDatasetLoaded(db: Database, key: string): Promise<void> {
  await db.writeRows('MERGE (d:BenchDataset {key: $key}) SET d.loaded_at = datetime()', { key })
}

/**
 * The three importers in the order the files depend on each other: movies before what names them.
 * `afterMovieLens` runs between the MovieLens files and the others.
 */
export async function importDataset(
  db: Database,
  files: DatasetFiles,
  log: (line: string) => void,
  afterMovieLens?: () => Promise<void>
): Promise<{ movielens: ImportSummary; tmdb: ImportSummary; tweets: ImportSummary }> {
  const progress = { write: (text: string) => log(text.trimEnd()), isTTY: false }
  const movielens = await importMovieLens(db, files.movielens, { progress })
  await afterMovieLens?.()
  const tmdb = await importTmdb(db, files.tmdb, { progress })
  const tweets = await importTweets(db, files.tweets, { progress, hashtags: files.hashtags })
  return { movielens, tmdb, tweets }
}

/** Up to `limit` values spread evenly over the list. */
function spread<T>(values: readonly T[], limit: number): T[] {
  if (values.length <= limit) return [...values]
  const step = values.length / limit
  return Array.from({ length: limit }, (_, i) => values[Math.floor(i * step)] as T)
}

async function sampleIds(
  db: Database,
  files: Pick<DatasetFiles, 'offset'>,
  sizes: DatasetSizes
): Promise<{ movieIds: string[]; userIds: string[] }> {
  // MovieLens ids grow by at most 5 a movie; every movie of the dataset is in this range.
  const movies = await db.readRows<{ movie_id: string }>(
    `MATCH (m:Movie) WHERE m.movielens_id > $lo AND m.movielens_id <= $hi
     RETURN m.movie_id AS movie_id ORDER BY m.movielens_id`,
    { lo: int(files.offset), hi: int(files.offset + sizes.movies * 5) }
  )
  const candidates = spread(
    Array.from({ length: sizes.users }, (_, i) => `ml-${files.offset + i + 1}`),
    SAMPLE
  )
  const users = await db.readRows<{ user_id: string }>(
    `UNWIND $ids AS id MATCH (u:User {user_id: id}) RETURN u.user_id AS user_id`,
    { ids: candidates }
  )
  return {
    movieIds: spread(
      movies.map((m) => m.movie_id),
      SAMPLE
    ),
    userIds: users.map((u) => u.user_id)
  }
}

/**
 * The dataset of these sizes, generated into ctx.workDir and loaded unless the graph has it, with
 * up to 5,000 movie ids and user ids present in the graph for generating requests.
 */
export async function ensureDataset(
  ctx: BenchContext,
  sizes: DatasetSizes
): Promise<{ key: string; movieIds: string[]; userIds: string[] }> {
  // A graph that holds these sizes from an earlier generator is used as it is: the HTTP suites
  // need its shape and skew, which the versions share, and loading a second copy beside it
  // would double the graph they measure. The key used is reported with the figures.
  for (let generator = GENERATOR_VERSION - 1; generator >= 1; generator--) {
    const older = datasetKey(sizes, generator)
    if (!(await isDatasetLoaded(ctx.db, datasetKey(sizes))) && (await isDatasetLoaded(ctx.db, older))) {
      ctx.log(`using ${older}, already loaded, instead of loading ${datasetKey(sizes)}`)
      return { key: older, ...(await sampleIds(ctx.db, { offset: datasetOffset(older) }, sizes)) }
    }
  }
  const files = await generateBenchDataset(ctx, sizes)
  if (!(await isDatasetLoaded(ctx.db, files.key))) {
    ctx.log(`loading ${files.key}`)
    await importDataset(ctx.db, files, ctx.log)
    await markDatasetLoaded(ctx.db, files.key)
  }
  return { key: files.key, ...(await sampleIds(ctx.db, files, sizes)) }
}
