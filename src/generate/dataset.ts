/**
 * A synthetic dataset in the public formats the importers read: MovieLens CSV files, TMDB details
 * as JSON lines, Twitter API v2 tweets as JSON lines and the hashtag map. The shape is realistic
 * where it matters to an importer: Zipf-like popularity (a few movies get most ratings and tweets),
 * a few very large genres, franchise chains, non-ASCII and quoted titles, tweet ids beyond 2^53,
 * and a configurable share of duplicate and malformed rows, counted per kind in manifest.json.
 *
 * Output is a function of the options alone (seeded PRNG, one independent stream per file), and
 * every file is streamed with backpressure, so millions of rows take constant memory; only the
 * movie catalogue is held in memory.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { buildCatalogue } from './catalogue.js'
import { MOVIELENS_INJECTED_KINDS, writeLinks, writeMovies, writeRatings, writeTags } from './movielens.js'
import type { GeneratedFile, Generation } from './output.js'
import { TAGS } from './text.js'
import { TMDB_INJECTED_KINDS, writeTmdb } from './tmdb.js'
import { TWEETS_INJECTED_KINDS, writeHashtags, writeTweets } from './tweets.js'

export type { GeneratedFile } from './output.js'

export interface GenerateOptions {
  /** Directory to write into; created when missing. */
  out: string
  movies: number
  users: number
  ratings: number
  tweets: number
  /** Defaults to one tag per 25 ratings. */
  tags?: number
  seed?: number
  /** Share of rows followed by one injected bad row (malformed or duplicate); 0 for a clean set. */
  malformedRate?: number
  /**
   * Added to every MovieLens movie and user id, TMDB id, IMDb number and collection id, so that
   * datasets generated with different offsets can share one graph without touching each other.
   * Tweet ids are not shifted: they depend on the seed.
   */
  idOffset?: number
  log?: (line: string) => void
}

export interface GenerateSummary {
  out: string
  seed: number
  files: GeneratedFile[]
  elapsedMs: number
}

export const DEFAULT_SEED = 1
/**
 * Bumped whenever the same options start writing different files, so that anything keyed by the
 * options (the benchmarks' loaded datasets) is keyed by this too. 2: planted taste in the ratings.
 */
export const GENERATOR_VERSION = 2
export const DEFAULT_MALFORMED_RATE = 0.005
export const MANIFEST_FILE = 'manifest.json'

/** Kinds of injected rows per file, as counted in the manifest. */
export const INJECTED_KINDS = {
  ...MOVIELENS_INJECTED_KINDS,
  ...TMDB_INJECTED_KINDS,
  ...TWEETS_INJECTED_KINDS
} as const

function checkCount(name: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new Error(`${name} must be an integer of at least ${min}, got ${value}`)
  }
}

export async function generateDataset(options: GenerateOptions): Promise<GenerateSummary> {
  const started = performance.now()
  const seed = options.seed ?? DEFAULT_SEED
  const rate = options.malformedRate ?? DEFAULT_MALFORMED_RATE
  const tagCount = options.tags ?? Math.round(options.ratings / 25)
  checkCount('movies', options.movies, 1)
  checkCount('users', options.users, 1)
  checkCount('ratings', options.ratings, 0)
  checkCount('tweets', options.tweets, 0)
  checkCount('tags', tagCount, 0)
  checkCount('seed', seed, 0)
  const idOffset = options.idOffset ?? 0
  checkCount('idOffset', idOffset, 0)
  // The catalogue keeps ids in Int32Arrays, and TMDB ids must stay 32-bit integers.
  if (idOffset + 10_000 + 41 * options.movies > 2_147_483_647) {
    throw new Error(`idOffset ${idOffset} leaves no room for ${options.movies} movies below 2^31`)
  }
  if (!(rate >= 0 && rate <= 0.5)) throw new Error(`malformed rate must be between 0 and 0.5, got ${rate}`)
  const perUserCap = Math.max(1, Math.floor(options.movies / 2))
  if (options.ratings > options.users * perUserCap) {
    throw new Error(
      `${options.ratings} ratings do not fit: at most ${options.users * perUserCap} ` +
        `(each user rates at most half of the ${options.movies} movies)`
    )
  }

  const tagCap = Math.max(1, Math.floor((options.movies * TAGS.length) / 2))
  if (tagCount > options.users * tagCap) {
    throw new Error(
      `${tagCount} tags do not fit: at most ${options.users * tagCap} for these users and movies`
    )
  }

  await mkdir(options.out, { recursive: true })
  const log = options.log ?? (() => undefined)
  const catalogue = buildCatalogue(options.movies, seed, idOffset)
  const files: GeneratedFile[] = []
  let lap = performance.now()
  const record = (file: GeneratedFile): void => {
    files.push(file)
    const bad = Object.values(file.injected).reduce((sum, n) => sum + n, 0)
    const seconds = ((performance.now() - lap) / 1000).toFixed(1)
    lap = performance.now()
    log(
      `${file.file}: ${file.rows} rows${bad > 0 ? ` (+${bad} injected)` : ''}, ${file.bytes} bytes in ${seconds}s`
    )
  }

  const generation: Generation = { out: options.out, catalogue, seed, rate }
  record(await writeMovies(generation))
  record(await writeLinks(generation))
  record(await writeTmdb(generation))
  record(await writeHashtags(generation))
  record(await writeRatings(generation, { users: options.users, total: options.ratings, cap: perUserCap }))
  record(await writeTags(generation, { users: options.users, total: tagCount, cap: tagCap }))
  record(await writeTweets(generation, options.tweets))

  const manifest = {
    seed,
    malformed_rate: rate,
    id_offset: idOffset,
    counts: {
      movies: options.movies,
      users: options.users,
      ratings: options.ratings,
      tags: tagCount,
      tweets: options.tweets
    },
    files: Object.fromEntries(
      files.map(({ file, rows, injected, bytes }) => [file, { rows, injected, bytes }])
    )
  }
  await writeFile(join(options.out, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`)
  return { out: options.out, seed, files, elapsedMs: performance.now() - started }
}
