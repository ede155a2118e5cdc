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
import {
  GENERIC_HASHTAGS,
  TAGS,
  TWEET_LANGUAGES,
  TWEET_LANGUAGE_WEIGHTS,
  alternativeTitle,
  articleLast,
  englishTitle,
  foreignTitle,
  overview,
  sequelTitle,
  titleHashtag,
  tweetText
} from './generate-text.js'
import type { TweetLanguage } from './generate-text.js'
import { LineWriter, csvField } from './line-writer.js'
import { ZipfSampler, deriveRandom, permutation } from './random.js'
import type { Random } from './random.js'

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

export interface GeneratedFile {
  file: string
  /** Good rows (not counting a header or the injected rows). */
  rows: number
  /** Injected bad rows per kind. */
  injected: Record<string, number>
  bytes: number
}

export interface GenerateSummary {
  out: string
  seed: number
  files: GeneratedFile[]
  elapsedMs: number
}

export const DEFAULT_SEED = 1
export const DEFAULT_MALFORMED_RATE = 0.005
export const MANIFEST_FILE = 'manifest.json'

/** Kinds of injected rows per file, as counted in the manifest. */
export const INJECTED_KINDS = {
  'movies.csv': ['short row', 'missing field', 'bad number', 'duplicate key'],
  'links.csv': ['short row', 'missing field', 'bad number', 'unknown movie id', 'duplicate key'],
  'tmdb.jsonl': ['broken JSON', 'missing field', 'bad number', 'bad value', 'duplicate key'],
  'ratings.csv': ['short row', 'missing field', 'bad number', 'unknown movie id', 'duplicate key'],
  'tags.csv': ['short row', 'missing field', 'bad number', 'unknown movie id', 'duplicate key'],
  'tweets.jsonl': [
    'broken JSON',
    'missing field',
    'bad number',
    'unknown movie id',
    'no movie',
    'duplicate key'
  ]
} as const

// MovieLens genres with the share of movies in each: Drama and Comedy dwarf the rest.
const GENRES: ReadonlyArray<
  readonly [movielens: string, share: number, tmdb: readonly [number, string] | null]
> = [
  ['Drama', 0.45, [18, 'Drama']],
  ['Comedy', 0.32, [35, 'Comedy']],
  ['Thriller', 0.17, [53, 'Thriller']],
  ['Romance', 0.14, [10749, 'Romance']],
  ['Action', 0.14, [28, 'Action']],
  ['Crime', 0.11, [80, 'Crime']],
  ['Horror', 0.1, [27, 'Horror']],
  ['Adventure', 0.08, [12, 'Adventure']],
  ['Documentary', 0.07, [99, 'Documentary']],
  ['Sci-Fi', 0.07, [878, 'Science Fiction']],
  ['Mystery', 0.05, [9648, 'Mystery']],
  ['Fantasy', 0.05, [14, 'Fantasy']],
  ['Children', 0.04, [10751, 'Family']],
  ['Animation', 0.04, [16, 'Animation']],
  ['War', 0.03, [10752, 'War']],
  ['Musical', 0.02, [10402, 'Music']],
  ['Western', 0.02, [37, 'Western']],
  ['Film-Noir', 0.005, [80, 'Crime']],
  ['IMAX', 0.005, null]
]
const NO_GENRES_SHARE = 0.015

const FRANCHISE_START = 0.025
const FRANCHISE_LENGTHS = [2, 2, 2, 3, 3, 4, 5, 6]
const HASHTAG_SHARE = 0.05
const TWITTER_EPOCH_MS = 1_288_834_974_657
const TWEETS_FROM_MS = Date.UTC(2015, 0, 1)
const TWEETS_TO_MS = Date.UTC(2023, 1, 1)
const RATINGS_FROM_S = Date.UTC(1996, 0, 29) / 1000
const RATINGS_TO_S = Date.UTC(2023, 6, 1) / 1000
// MovieLens only offered whole stars before this day.
const HALF_STARS_FROM_S = Date.UTC(2003, 1, 18) / 1000
const TAGS_FROM_S = Date.UTC(2006, 0, 1) / 1000
const RATING_POPULARITY_EXPONENT = 1
const TWEET_POPULARITY_EXPONENT = 1.1
/** Share of tweet and TMDB draws that follow popularity; the rest are uniform, so any movie can come up. */
const POPULAR_SHARE = 0.9
const RETWEET_SHARE = 0.15
const REPLY_SHARE = 0.05
const QUOTE_SHARE = 0.03

/** The movies, held in memory as columns: everything else refers to them. */
interface Catalogue {
  size: number
  movieId: Int32Array
  tmdbId: Int32Array
  imdbNumber: Int32Array
  year: Int16Array
  month: Uint8Array
  day: Uint8Array
  genres: Int32Array
  quality: Float32Array
  title: string[]
  original: Array<string | undefined>
  language: string[]
  movieLensTitle: string[]
  collection: Int32Array
  collections: Array<{ id: number; name: string; members: number[] }>
  rankToIndex: Int32Array
  rankOf: Int32Array
  hashtag: Array<string | undefined>
  maxMovieId: number
  maxTmdbId: number
  /** Added to user ids (the other ids carry it already). */
  idOffset: number
}

/** Decides, per good row, whether a bad row follows it, and of which kind. */
class Injector {
  /** Every kind of the file, in a fixed order, so the manifest reads the same for every seed. */
  readonly counts: Record<string, number>
  readonly random: Random
  private readonly kinds: readonly string[]

  constructor(
    seed: number,
    file: keyof typeof INJECTED_KINDS,
    private readonly rate: number
  ) {
    this.random = deriveRandom(seed, `${file}#injected`)
    this.kinds = INJECTED_KINDS[file]
    this.counts = Object.fromEntries(this.kinds.map((kind) => [kind, 0]))
  }

  next(): string | undefined {
    if (this.rate <= 0 || this.random.next() >= this.rate) return undefined
    const kind = this.random.pick(this.kinds)
    this.counts[kind] = (this.counts[kind] as number) + 1
    return kind
  }
}

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

  record(await writeMovies(options.out, catalogue, seed, rate))
  record(await writeLinks(options.out, catalogue, seed, rate))
  record(await writeTmdb(options.out, catalogue, seed, rate))
  record(await writeHashtags(options.out, catalogue))
  record(await writeRatings(options.out, catalogue, seed, rate, options.users, options.ratings, perUserCap))
  record(await writeTags(options.out, catalogue, seed, rate, options.users, tagCount, tagCap))
  record(await writeTweets(options.out, catalogue, seed, rate, options.tweets))

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

function buildCatalogue(size: number, seed: number, idOffset: number): Catalogue {
  const random = deriveRandom(seed, 'catalogue')
  const c: Catalogue = {
    size,
    movieId: new Int32Array(size),
    tmdbId: new Int32Array(size),
    imdbNumber: new Int32Array(size),
    year: new Int16Array(size),
    month: new Uint8Array(size),
    day: new Uint8Array(size),
    genres: new Int32Array(size),
    quality: new Float32Array(size),
    title: new Array<string>(size),
    original: new Array<string | undefined>(size),
    language: new Array<string>(size),
    movieLensTitle: new Array<string>(size),
    collection: new Int32Array(size).fill(-1),
    collections: [],
    rankToIndex: new Int32Array(0),
    rankOf: new Int32Array(size),
    hashtag: new Array<string | undefined>(size),
    maxMovieId: 0,
    maxTmdbId: 0,
    idOffset
  }
  const aka = new Array<string | undefined>(size)
  const noYear = new Uint8Array(size)
  const originalOnly = new Uint8Array(size)
  let movieId = idOffset
  let tmdbId = 1 + idOffset
  let imdbNumber = 10_000 + idOffset
  for (let i = 0; i < size; i++) {
    // MovieLens ids have gaps where movies were removed.
    movieId += random.chance(0.1) ? 2 + random.int(4) : 1
    c.movieId[i] = movieId
    tmdbId += 1 + random.int(20)
    c.tmdbId[i] = random.chance(0.02) ? 0 : tmdbId
    imdbNumber += 1 + random.int(40)
    c.imdbNumber[i] = imdbNumber
    // More recent years are more common.
    c.year[i] = 1920 + Math.floor(103.99 * Math.sqrt(random.next()))
    c.month[i] = 1 + random.int(12)
    c.day[i] = 1 + random.int(28)
    let genres = 0
    if (!random.chance(NO_GENRES_SHARE)) {
      for (let g = 0; g < GENRES.length; g++)
        if (random.chance((GENRES[g] as (typeof GENRES)[number])[1])) genres |= 1 << g
      if (genres === 0) genres = 1 << random.weighted(GENRES.map((genre) => genre[1]))
    }
    c.genres[i] = genres
    c.quality[i] = Math.max(-1.5, Math.min(1, random.gaussian() * 0.45))
    if (random.chance(0.12)) {
      const foreign = foreignTitle(random)
      c.title[i] = englishTitle(random)
      c.original[i] = foreign.title
      c.language[i] = foreign.language
      originalOnly[i] = random.chance(0.5) ? 1 : 0
    } else {
      c.title[i] = englishTitle(random)
      c.language[i] = 'en'
      if (random.chance(0.01)) aka[i] = alternativeTitle(random)
    }
    if (random.chance(0.005)) noYear[i] = 1
  }
  c.maxMovieId = movieId
  c.maxTmdbId = tmdbId

  // Franchise chains: a first film and 1–5 sequels further down the catalogue, in later years.
  let collectionId = 8000 + idOffset
  for (let i = 0; i < size - 1; i++) {
    if (c.collection[i] !== -1 || !random.chance(FRANCHISE_START)) continue
    const length = random.pick(FRANCHISE_LENGTHS)
    const members = [i]
    let j = i
    while (members.length < length) {
      j += 1 + random.int(40)
      if (j >= size || c.collection[j] !== -1) break
      members.push(j)
    }
    if (members.length < 2) continue
    collectionId += 1 + random.int(500)
    const base = c.title[i] as string
    const index = c.collections.length
    c.collections.push({ id: collectionId, name: `${base} Collection`, members })
    for (const [part, member] of members.entries()) {
      c.collection[member] = index
      if (part === 0) continue
      const previous = members[part - 1] as number
      c.title[member] = sequelTitle(base, part + 1, random)
      c.original[member] = undefined
      c.language[member] = c.language[i] as string
      c.year[member] = Math.min(2023, (c.year[previous] as number) + 1 + random.int(4))
      c.genres[member] = c.genres[i] as number
      aka[member] = undefined
    }
  }

  for (let i = 0; i < size; i++) {
    const original = c.original[i]
    let title = articleLast(c.title[i] as string)
    if (original !== undefined) {
      title = originalOnly[i] ? articleLast(original) : `${title} (${articleLast(original)})`
    }
    if (aka[i] !== undefined) title = `${title} (a.k.a. ${aka[i]})`
    c.movieLensTitle[i] = noYear[i] ? title : `${title} (${c.year[i]})`
  }

  c.rankToIndex = permutation(size, random)
  for (let rank = 0; rank < size; rank++) c.rankOf[c.rankToIndex[rank] as number] = rank

  // The hashtag map covers the most popular movies, as a curated list would.
  const used = new Set<string>(GENERIC_HASHTAGS.map((tag) => tag.toLowerCase()))
  const mapped = Math.min(size, Math.max(20, Math.round(size * HASHTAG_SHARE)))
  for (let rank = 0; rank < mapped; rank++) {
    const i = c.rankToIndex[rank] as number
    let tag = titleHashtag(
      c.original[i] !== undefined && originalOnly[i] ? (c.original[i] as string) : (c.title[i] as string)
    )
    if (used.has(tag.toLowerCase())) tag = `${tag}${c.year[i]}`
    if (used.has(tag.toLowerCase())) tag = `${tag}M${c.movieId[i]}`
    used.add(tag.toLowerCase())
    c.hashtag[i] = tag
  }
  return c
}

function movieLensGenres(mask: number): string {
  if (mask === 0) return '(no genres listed)'
  const names: string[] = []
  for (let g = 0; g < GENRES.length; g++)
    if (mask & (1 << g)) names.push((GENRES[g] as (typeof GENRES)[number])[0])
  return names.join('|')
}

function imdbDigits(value: number): string {
  return String(value).padStart(7, '0')
}

/** Draws a movie index: by popularity most of the time, uniformly otherwise. */
function drawMovie(c: Catalogue, zipf: ZipfSampler, random: Random): number {
  return random.next() < POPULAR_SHARE ? (c.rankToIndex[zipf.sample(random)] as number) : random.int(c.size)
}

/**
 * Adds one new value to a user's picks: first by popularity, and when that one is taken, uniformly
 * until a new one turns up. Light users thus rate the hits, heavy users dig into the catalogue, and
 * a user with half the catalogue to rate still finishes quickly.
 */
function pickNew(picked: Set<number>, popular: () => number, uniform: () => number): void {
  const first = popular()
  if (!picked.has(first)) {
    picked.add(first)
    return
  }
  for (let next = uniform(); ; next = uniform()) {
    if (!picked.has(next)) {
      picked.add(next)
      return
    }
  }
}

async function writeMovies(out: string, c: Catalogue, seed: number, rate: number): Promise<GeneratedFile> {
  const file = 'movies.csv'
  const writer = new LineWriter(join(out, file))
  const bad = new Injector(seed, file, rate)
  writer.add('movieId,title,genres\n')
  for (let i = 0; i < c.size; i++) {
    const id = c.movieId[i] as number
    const title = csvField(c.movieLensTitle[i] as string)
    const genres = movieLensGenres(c.genres[i] as number)
    const line = `${id},${title},${genres}\n`
    let full = writer.add(line)
    const kind = bad.next()
    if (kind === 'short row') full = writer.add(`${id},${title}\n`)
    else if (kind === 'missing field') full = writer.add(`${id},,${genres}\n`)
    else if (kind === 'bad number')
      full = writer.add(`${bad.random.pick([`x${id}`, `${id}.5`, `-${id}`])},${title},${genres}\n`)
    else if (kind === 'duplicate key') full = writer.add(line)
    if (full) await writer.flush()
  }
  await writer.close()
  return { file, rows: c.size, injected: bad.counts, bytes: writer.bytes }
}

async function writeLinks(out: string, c: Catalogue, seed: number, rate: number): Promise<GeneratedFile> {
  const file = 'links.csv'
  const writer = new LineWriter(join(out, file))
  const bad = new Injector(seed, file, rate)
  writer.add('movieId,imdbId,tmdbId\n')
  for (let i = 0; i < c.size; i++) {
    const id = c.movieId[i] as number
    const imdb = imdbDigits(c.imdbNumber[i] as number)
    const tmdb = c.tmdbId[i] ? String(c.tmdbId[i]) : ''
    const line = `${id},${imdb},${tmdb}\n`
    let full = writer.add(line)
    const kind = bad.next()
    if (kind === 'short row') full = writer.add(`${id},${imdb}\n`)
    else if (kind === 'missing field') full = writer.add(`${id},,${tmdb}\n`)
    else if (kind === 'bad number')
      full = writer.add(`${id},${imdb},${bad.random.pick(['abc', '-1', '1e5'])}\n`)
    else if (kind === 'unknown movie id') {
      full = writer.add(
        `${c.maxMovieId + 1 + bad.random.int(10_000)},${imdbDigits(9_000_000 + bad.random.int(999_999))},\n`
      )
    } else if (kind === 'duplicate key') full = writer.add(line)
    if (full) await writer.flush()
  }
  await writer.close()
  return { file, rows: c.size, injected: bad.counts, bytes: writer.bytes }
}

/** TMDB's `similar` / `recommendations` page; entries carry only the id the importer reads. */
function relatedList(ids: number[]): {
  page: number
  results: object[]
  total_pages: number
  total_results: number
} {
  const results = ids.map((id) => ({ id }))
  return { page: 1, results, total_pages: 1, total_results: results.length }
}

async function writeTmdb(out: string, c: Catalogue, seed: number, rate: number): Promise<GeneratedFile> {
  const file = 'tmdb.jsonl'
  const writer = new LineWriter(join(out, file))
  const bad = new Injector(seed, file, rate)
  const random = deriveRandom(seed, file)
  const zipf = new ZipfSampler(c.size, RATING_POPULARITY_EXPONENT)
  let rows = 0
  const pickRelated = (self: number, count: number): number[] => {
    const ids: number[] = []
    for (let k = 0; k < count; k++) {
      const other = drawMovie(c, zipf, random)
      const tmdb = c.tmdbId[other] as number
      if (tmdb !== 0) ids.push(tmdb)
    }
    // TMDB lists do repeat themselves, point at the movie itself and at movies outside the set.
    if (random.chance(0.02) && ids.length > 0) ids.push(ids[0] as number)
    if (random.chance(0.01)) ids.push(self)
    if (random.chance(0.03)) ids.push(c.maxTmdbId + 1 + random.int(100_000))
    return ids
  }
  for (let i = 0; i < c.size; i++) {
    const tmdb = c.tmdbId[i] as number
    if (tmdb === 0) continue
    rows++
    const rank = c.rankOf[i] as number
    const collectionIndex = c.collection[i] as number
    const collection = collectionIndex === -1 ? undefined : c.collections[collectionIndex]
    const franchise = collection
      ? collection.members.filter((m) => m !== i).map((m) => c.tmdbId[m] as number)
      : []
    const similar = [...franchise.filter((id) => id !== 0), ...pickRelated(tmdb, 3 + random.int(8))]
    const recommended = pickRelated(tmdb, random.int(9))
    const genres: Array<{ id: number; name: string }> = []
    for (let g = 0; g < GENRES.length; g++) {
      const tmdbGenre = (GENRES[g] as (typeof GENRES)[number])[2]
      if (
        (c.genres[i] as number) & (1 << g) &&
        tmdbGenre &&
        !genres.some((genre) => genre.id === tmdbGenre[0])
      ) {
        genres.push({ id: tmdbGenre[0], name: tmdbGenre[1] })
      }
    }
    const voteCount = Math.floor((20_000 / Math.pow(rank + 1, 0.7)) * random.next())
    const details: Record<string, unknown> = {
      adult: false,
      backdrop_path: random.chance(0.8) ? imagePath(random) : null,
      belongs_to_collection: collection
        ? { id: collection.id, name: collection.name, poster_path: null, backdrop_path: null }
        : null,
      budget: random.chance(0.5) ? 0 : 1_000_000 * (1 + random.int(200)),
      genres,
      homepage: '',
      id: tmdb,
      imdb_id: random.chance(0.02) ? null : `tt${imdbDigits(c.imdbNumber[i] as number)}`,
      original_language: c.language[i],
      original_title: c.original[i] ?? c.title[i],
      overview: random.chance(0.03) ? '' : overview(random),
      popularity: Math.round((200 / Math.pow(rank + 1, 0.6) + random.next() * 2) * 1000) / 1000,
      poster_path: random.chance(0.9) ? imagePath(random) : null,
      release_date: random.chance(0.03)
        ? ''
        : `${c.year[i]}-${pad2(c.month[i] as number)}-${pad2(c.day[i] as number)}`,
      revenue: 0,
      runtime: random.chance(0.02) ? 0 : Math.max(60, Math.round(105 + random.gaussian() * 20)),
      status: 'Released',
      tagline: '',
      title: c.title[i],
      video: false,
      vote_average:
        voteCount === 0
          ? 0
          : Math.max(
              0,
              Math.min(
                10,
                Math.round((6.3 + (c.quality[i] as number) * 2 + random.gaussian() * 0.4) * 10) / 10
              )
            ),
      vote_count: voteCount,
      similar: relatedList(similar),
      recommendations: relatedList(recommended)
    }
    const line = JSON.stringify(details)
    let full = writer.add(`${line}\n`)
    const kind = bad.next()
    if (kind === 'broken JSON') {
      full = writer.add(`${line.slice(0, 1 + bad.random.int(line.length - 2))}\n`)
    } else if (kind !== undefined) {
      const copy: Record<string, unknown> = { ...details }
      if (kind === 'missing field') delete copy[bad.random.pick(['id', 'title'])]
      else if (kind === 'bad number') {
        const variant = bad.random.int(3)
        if (variant === 0) copy['runtime'] = 'two hours'
        else if (variant === 1) copy['vote_average'] = 11.5
        else copy['id'] = `${tmdb}x`
      } else if (kind === 'bad value') {
        const variant = bad.random.int(3)
        if (variant === 0) copy['release_date'] = `${c.year[i]}-02-30`
        else if (variant === 1) copy['original_language'] = 'English'
        else copy['imdb_id'] = 'nm0000001'
      } else if (kind === 'duplicate key') {
        copy['popularity'] = Math.round(((details['popularity'] as number) + 1) * 1000) / 1000
      }
      full = writer.add(`${JSON.stringify(copy)}\n`)
    }
    if (full) await writer.flush()
  }
  await writer.close()
  return { file, rows, injected: bad.counts, bytes: writer.bytes }
}

const IMAGE_CHARACTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'

function imagePath(random: Random): string {
  let name = '/'
  for (let k = 0; k < 27; k++) name += IMAGE_CHARACTERS.charAt(random.int(IMAGE_CHARACTERS.length))
  return `${name}.jpg`
}

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value)
}

async function writeHashtags(out: string, c: Catalogue): Promise<GeneratedFile> {
  const file = 'hashtags.json'
  const map: Record<string, { tmdb_id: number } | { movie_id: string }> = {}
  let rows = 0
  for (let rank = 0; rank < c.size; rank++) {
    const i = c.rankToIndex[rank] as number
    const tag = c.hashtag[i]
    if (tag === undefined) continue
    map[`#${tag}`] = c.tmdbId[i] ? { tmdb_id: c.tmdbId[i] as number } : { movie_id: `ml-${c.movieId[i]}` }
    rows++
  }
  const text = `${JSON.stringify(map, null, 2)}\n`
  await writeFile(join(out, file), text)
  return { file, rows, injected: {}, bytes: Buffer.byteLength(text) }
}

/** Ratings per user: heavy-tailed (a few users rate thousands), summing exactly to `total`. */
function ratingsPerUser(users: number, total: number, cap: number, random: Random): Int32Array {
  const weights = new Float64Array(users)
  let sum = 0
  for (let u = 0; u < users; u++) {
    const draw = -Math.log(1 - random.next())
    weights[u] = draw * draw + 0.05
    sum += weights[u] as number
  }
  const counts = new Int32Array(users)
  let cumulative = 0
  let given = 0
  let overflow = 0
  for (let u = 0; u < users; u++) {
    cumulative += weights[u] as number
    const upTo = u === users - 1 ? total : Math.floor((cumulative / sum) * total)
    let count = upTo - given
    given = upTo
    if (count > cap) {
      overflow += count - cap
      count = cap
    }
    counts[u] = count
  }
  // What the heaviest users could not take goes to the others, a round at a time.
  for (let u = 0; overflow > 0; u = (u + 1) % users) {
    if ((counts[u] as number) < cap) {
      counts[u] = (counts[u] as number) + 1
      overflow--
    }
  }
  return counts
}

function ratingValue(mean: number, timestamp: number, random: Random): number {
  const raw = mean + random.gaussian() * 0.9
  if (timestamp < HALF_STARS_FROM_S) return Math.max(1, Math.min(5, Math.round(raw)))
  return Math.max(0.5, Math.min(5, Math.round(raw * 2) / 2))
}

async function writeRatings(
  out: string,
  c: Catalogue,
  seed: number,
  rate: number,
  users: number,
  total: number,
  cap: number
): Promise<GeneratedFile> {
  const file = 'ratings.csv'
  const writer = new LineWriter(join(out, file))
  const bad = new Injector(seed, file, rate)
  const random = deriveRandom(seed, file)
  const zipf = new ZipfSampler(c.size, RATING_POPULARITY_EXPONENT)
  const counts = ratingsPerUser(users, total, cap, random)
  const picked = new Set<number>()
  writer.add('userId,movieId,rating,timestamp\n')
  for (let u = 0; u < users; u++) {
    const count = counts[u] as number
    if (count === 0) continue
    const userId = u + 1 + c.idOffset
    const userBias = random.gaussian() * 0.35
    const from = RATINGS_FROM_S + random.next() * (RATINGS_TO_S - RATINGS_FROM_S)
    const span = Math.min(RATINGS_TO_S - from, -Math.log(1 - random.next()) * 2 * 365 * 86_400)
    picked.clear()
    const popular = (): number => c.rankToIndex[zipf.sample(random)] as number
    const uniform = (): number => random.int(c.size)
    while (picked.size < count) pickNew(picked, popular, uniform)
    // MovieLens lists a user's ratings by movie id; indices grow with movie ids.
    const movies = Int32Array.from(picked).sort()
    for (const i of movies) {
      const movieId = c.movieId[i] as number
      const timestamp = Math.floor(from + random.next() * span)
      const value = ratingValue(3.55 + (c.quality[i] as number) + userBias, timestamp, random)
      let full = writer.add(`${userId},${movieId},${value.toFixed(1)},${timestamp}\n`)
      const kind = bad.next()
      if (kind === 'short row') full = writer.add(`${userId},${movieId},${value.toFixed(1)}\n`)
      else if (kind === 'missing field') {
        full = writer.add(
          bad.random.chance(0.5)
            ? `${userId},,${value.toFixed(1)},${timestamp}\n`
            : `${userId},${movieId},,${timestamp}\n`
        )
      } else if (kind === 'bad number') {
        const variant = bad.random.pick(['7', '3.7', 'four', '-1', 'time'])
        full = writer.add(
          variant === 'time'
            ? `${userId},${movieId},${value.toFixed(1)},yesterday\n`
            : `${userId},${movieId},${variant},${timestamp}\n`
        )
      } else if (kind === 'unknown movie id') {
        full = writer.add(
          `${userId},${c.maxMovieId + 1 + bad.random.int(10_000)},${value.toFixed(1)},${timestamp}\n`
        )
      } else if (kind === 'duplicate key') {
        const other = value >= 5 ? value - 1 : value + 0.5
        full = writer.add(`${userId},${movieId},${other.toFixed(1)},${timestamp + 60}\n`)
      }
      if (full) await writer.flush()
    }
  }
  await writer.close()
  return { file, rows: total, injected: bad.counts, bytes: writer.bytes }
}

async function writeTags(
  out: string,
  c: Catalogue,
  seed: number,
  rate: number,
  users: number,
  total: number,
  cap: number
): Promise<GeneratedFile> {
  const file = 'tags.csv'
  const writer = new LineWriter(join(out, file))
  const bad = new Injector(seed, file, rate)
  const random = deriveRandom(seed, file)
  const movies = new ZipfSampler(c.size, RATING_POPULARITY_EXPONENT)
  const tags = new ZipfSampler(TAGS.length, 0.8)
  // Like ratings: user by user, each (movie, tag) pair once per user, so no duplicates arise by chance.
  const counts = ratingsPerUser(users, total, cap, random)
  const picked = new Set<number>()
  writer.add('userId,movieId,tag,timestamp\n')
  for (let u = 0; u < users; u++) {
    const count = counts[u] as number
    if (count === 0) continue
    const userId = u + 1 + c.idOffset
    picked.clear()
    const popular = (): number =>
      (c.rankToIndex[movies.sample(random)] as number) * TAGS.length + tags.sample(random)
    const uniform = (): number => random.int(c.size) * TAGS.length + random.int(TAGS.length)
    while (picked.size < count) pickNew(picked, popular, uniform)
    for (const pair of Int32Array.from(picked).sort()) {
      const movieId = c.movieId[Math.floor(pair / TAGS.length)] as number
      const tag = csvField(TAGS[pair % TAGS.length] as string)
      const timestamp = Math.floor(TAGS_FROM_S + random.next() * (RATINGS_TO_S - TAGS_FROM_S))
      const line = `${userId},${movieId},${tag},${timestamp}\n`
      let full = writer.add(line)
      const kind = bad.next()
      if (kind === 'short row') full = writer.add(`${userId},${movieId},${tag}\n`)
      else if (kind === 'missing field') full = writer.add(`${userId},${movieId},,${timestamp}\n`)
      else if (kind === 'bad number') {
        full = writer.add(`${userId},${movieId},${tag},${bad.random.pick(['soon', '-5', '1.5e9'])}\n`)
      } else if (kind === 'unknown movie id') {
        full = writer.add(`${userId},${c.maxMovieId + 1 + bad.random.int(10_000)},${tag},${timestamp}\n`)
      } else if (kind === 'duplicate key') full = writer.add(line)
      if (full) await writer.flush()
    }
  }
  await writer.close()
  return { file, rows: total, injected: bad.counts, bytes: writer.bytes }
}

interface Original {
  id: string
  author: number
  text: string
  tags: string[]
}

/** Tweet ids the way Twitter makes them: milliseconds since its epoch, shifted, plus a sequence. */
class Snowflakes {
  private lastMs = 0
  private sequence = 0

  constructor(private readonly random: Random) {}

  next(ms: number): string {
    if (ms <= this.lastMs) {
      this.sequence++
    } else {
      this.lastMs = ms
      this.sequence = this.random.int(1 << 20)
    }
    return ((BigInt(this.lastMs - TWITTER_EPOCH_MS) << 22n) | BigInt(this.sequence)).toString()
  }
}

function authorId(author: number): string {
  // A bijection on 0..899,999,999 (the multiplier is a prime that does not divide the modulus).
  return String(100_000_000 + ((author * 2_654_435_761) % 900_000_000))
}

function codePoints(text: string): number {
  let count = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code < 0xd800 || code > 0xdbff) count++
  }
  return count
}

/** `entities.hashtags` for the tags that appear whole in the text, with code-point offsets. */
function hashtagEntities(
  text: string,
  tags: readonly string[]
): Array<{ start: number; end: number; tag: string }> {
  const entities: Array<{ start: number; end: number; tag: string }> = []
  for (const tag of tags) {
    const at = text.indexOf(`#${tag}`)
    if (at === -1) continue
    const after = text.charAt(at + tag.length + 1)
    if (after !== '' && /[\p{L}\p{M}\p{N}_]/u.test(after)) continue
    const start = codePoints(text.slice(0, at))
    entities.push({ start, end: start + 1 + codePoints(tag), tag })
  }
  return entities
}

function truncate(text: string, limit: number): string {
  const characters = Array.from(text)
  return characters.length <= limit ? text : `${characters.slice(0, limit - 1).join('')}…`
}

async function writeTweets(
  out: string,
  c: Catalogue,
  seed: number,
  rate: number,
  total: number
): Promise<GeneratedFile> {
  const file = 'tweets.jsonl'
  const writer = new LineWriter(join(out, file))
  const bad = new Injector(seed, file, rate)
  const random = deriveRandom(seed, file)
  const ids = new Snowflakes(random)
  const movies = new ZipfSampler(c.size, TWEET_POPULARITY_EXPONENT)
  const authorCount = Math.max(50, Math.ceil(total / 4))
  const authors = new ZipfSampler(authorCount, 0.9)
  const recent: Original[] = []
  const RECENT = 2048
  const averageStep = (TWEETS_TO_MS - TWEETS_FROM_MS) / Math.max(1, total * 1.05)
  let ms = TWEETS_FROM_MS

  const metrics = (): Record<string, number> => {
    const likes = Math.floor(Math.exp(random.next() * random.next() * 9)) - 1
    return {
      retweet_count: Math.floor(likes * random.next() * 0.3),
      reply_count: Math.floor(likes * random.next() * 0.1),
      like_count: likes,
      quote_count: Math.floor(likes * random.next() * 0.05)
    }
  }

  /** A review of a movie, with the movie named by hashtag or beside the tweet. */
  const review = (
    id: string,
    author: number,
    prefix: string
  ): { object: Record<string, unknown>; original: Original } => {
    const i = drawMovie(c, movies, random)
    const language = TWEET_LANGUAGES[random.weighted(TWEET_LANGUAGE_WEIGHTS)] as TweetLanguage
    const mapped = c.hashtag[i]
    let mention: string
    const tags: string[] = []
    if (mapped !== undefined) {
      // People do not keep to the map's capitalisation.
      const variant = random.next()
      const tag = variant < 0.02 ? mapped.toUpperCase() : variant < 0.04 ? mapped.toLowerCase() : mapped
      mention = `#${tag}`
      tags.push(tag)
    } else {
      mention = `“${c.title[i]}”`
    }
    let text = prefix + tweetText(language, mention, random)
    if (random.chance(0.3)) {
      const generic = random.pick(GENERIC_HASHTAGS)
      text += ` #${generic}`
      tags.push(generic)
    }
    const object: Record<string, unknown> = {
      id,
      text,
      author_id: authorId(author),
      created_at: new Date(ms).toISOString(),
      lang: language,
      public_metrics: metrics()
    }
    const entities = hashtagEntities(text, tags)
    if (entities.length > 0) object['entities'] = { hashtags: entities }
    if (mapped === undefined || random.chance(0.25)) {
      if (c.tmdbId[i]) object['tmdb_id'] = c.tmdbId[i]
      else object['movie_id'] = `ml-${c.movieId[i]}`
    }
    return { object, original: { id, author, text, tags } }
  }

  for (let n = 0; n < total; n++) {
    ms += Math.floor(-Math.log(1 - random.next()) * averageStep)
    const id = ids.next(ms)
    const author = authors.sample(random)
    const kindDraw = random.next()
    let object: Record<string, unknown>
    if (recent.length > 0 && kindDraw < RETWEET_SHARE) {
      const original = recent[random.int(recent.length)] as Original
      const text = truncate(`RT @cinefan${original.author}: ${original.text}`, 140)
      object = {
        id,
        text,
        author_id: authorId(author),
        created_at: new Date(ms).toISOString(),
        lang: 'en',
        public_metrics: { retweet_count: 0, reply_count: 0, like_count: 0, quote_count: 0 },
        referenced_tweets: [{ type: 'retweeted', id: original.id }]
      }
      const entities = hashtagEntities(text, original.tags)
      if (entities.length > 0) object['entities'] = { hashtags: entities }
    } else {
      let prefix = ''
      let reference: { type: string; id: string } | undefined
      if (recent.length > 0 && kindDraw < RETWEET_SHARE + REPLY_SHARE) {
        const original = recent[random.int(recent.length)] as Original
        prefix = `@cinefan${original.author} `
        reference = { type: 'replied_to', id: original.id }
      } else if (recent.length > 0 && kindDraw < RETWEET_SHARE + REPLY_SHARE + QUOTE_SHARE) {
        reference = { type: 'quoted', id: (recent[random.int(recent.length)] as Original).id }
      }
      const made = review(id, author, prefix)
      object = made.object
      if (reference) object['referenced_tweets'] = [reference]
      if (recent.length < RECENT) recent.push(made.original)
      else recent[random.int(RECENT)] = made.original
    }
    const line = JSON.stringify(object)
    let full = writer.add(`${line}\n`)
    const kind = bad.next()
    if (kind === 'broken JSON') {
      full = writer.add(`${line.slice(0, 1 + bad.random.int(line.length - 2))}\n`)
    } else if (kind === 'duplicate key') {
      full = writer.add(`${line}\n`)
    } else if (kind !== undefined) {
      full = writer.add(`${badTweet(kind, ids.next(ms), author, ms, c, bad.random)}\n`)
    }
    if (full) await writer.flush()
  }
  await writer.close()
  return { file, rows: total, injected: bad.counts, bytes: writer.bytes }
}

function badTweet(
  kind: string,
  id: string,
  author: number,
  ms: number,
  c: Catalogue,
  random: Random
): string {
  const object: Record<string, unknown> = {
    id,
    text: tweetText('en', `#${random.pick(GENERIC_HASHTAGS)}`, random),
    author_id: authorId(author),
    created_at: new Date(ms).toISOString(),
    lang: 'en',
    tmdb_id: c.maxTmdbId + 1 + random.int(100_000)
  }
  if (kind === 'missing field') {
    delete object[random.pick(['text', 'created_at'])]
  } else if (kind === 'bad number') {
    const variant = random.int(3)
    if (variant === 1) object['public_metrics'] = { like_count: -4 }
    else if (variant === 2) object['tmdb_id'] = 'twenty'
    // Variant 0: the id as a bare JSON number, which cannot hold its digits.
    else return JSON.stringify(object).replace(`"id":"${id}"`, `"id":${id}`)
  } else if (kind === 'no movie') {
    delete object['tmdb_id']
  }
  return JSON.stringify(object)
}
