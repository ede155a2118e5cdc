/**
 * The MovieLens files of a generated dataset: movies.csv, links.csv, ratings.csv and tags.csv, in
 * MovieLens's columns and order (ratings and tags user by user), with bad CSV rows injected.
 */
import { GENRES, RATING_POPULARITY_EXPONENT, imdbDigits } from './catalogue.js'
import type { Catalogue } from './catalogue.js'
import { csvField } from './line-writer.js'
import { OutputFile, unknownKind } from './output.js'
import type { GeneratedFile, Generation } from './output.js'
import { ZipfSampler, deriveRandom } from './random.js'
import type { Random } from './random.js'
import { drawFromGroup, favouriteGroups, buildTaste } from './taste.js'
import type { Taste } from './taste.js'
import { TAGS } from './text.js'

/** Kinds of injected rows per file, as counted in the manifest. */
export const MOVIELENS_INJECTED_KINDS = {
  'movies.csv': ['short row', 'missing field', 'bad number', 'duplicate key'],
  'links.csv': ['short row', 'missing field', 'bad number', 'unknown movie id', 'duplicate key'],
  'ratings.csv': ['short row', 'missing field', 'bad number', 'unknown movie id', 'duplicate key'],
  'tags.csv': ['short row', 'missing field', 'bad number', 'unknown movie id', 'duplicate key']
} as const

type MovieLensOutput = keyof typeof MOVIELENS_INJECTED_KINDS

const RATINGS_FROM_S = Date.UTC(1996, 0, 29) / 1000
const RATINGS_TO_S = Date.UTC(2023, 6, 1) / 1000
// MovieLens only offered whole stars before this day.
const HALF_STARS_FROM_S = Date.UTC(2003, 1, 18) / 1000
const TAGS_FROM_S = Date.UTC(2006, 0, 1) / 1000

/** Share of a user's draws taken from their favourite groups. */
const FAVOURITE_SHARE = 0.5
/** Chance that a franchise film of a favourite group brings each other member of its collection. */
const SEQUEL_SHARE = 0.5
// Stars: favourite-group movies mostly 4 and up, the others centred lower and wider.
const FAVOURITE_MEAN = 4.35
const FAVOURITE_SPREAD = 0.6
const OTHER_MEAN = 3.0
const OTHER_SPREAD = 0.9

type Fields = ReadonlyArray<string | number>

/** How a file's bad rows differ from its good row `fields`; the kinds every file has are alike. */
interface CsvFaults {
  /** 'missing field': the field left empty. */
  missing: (random: Random) => number
  /** 'bad number': the field and what it holds instead. */
  badNumber: (random: Random) => [field: number, value: string]
  /** 'unknown movie id': a row naming a movie the catalogue does not have. */
  unknownMovie?: (random: Random) => Fields
  /** 'duplicate key': a row with the same key; the good row again unless given. */
  duplicate?: () => Fields
}

function csvRow(fields: Fields): string {
  return `${fields.join(',')}\n`
}

function replaced(fields: Fields, field: number, value: string | number): Fields {
  return fields.map((old, i) => (i === field ? value : old))
}

/** A CSV file whose every row is `fields`, written with the bad rows `faults` describes. */
class CsvOutput {
  private readonly output: OutputFile

  constructor(
    generation: Generation,
    private readonly file: MovieLensOutput,
    columns: string
  ) {
    this.output = new OutputFile(generation, file, MOVIELENS_INJECTED_KINDS[file])
    this.output.header(`${columns}\n`)
  }

  async add(fields: Fields, faults: CsvFaults): Promise<void> {
    await this.output.add(csvRow(fields), (kind, random) => {
      if (kind === 'short row') return csvRow(fields.slice(0, -1))
      if (kind === 'missing field') return csvRow(replaced(fields, faults.missing(random), ''))
      if (kind === 'bad number') return csvRow(replaced(fields, ...faults.badNumber(random)))
      if (kind === 'unknown movie id' && faults.unknownMovie) return csvRow(faults.unknownMovie(random))
      if (kind === 'duplicate key') return csvRow(faults.duplicate?.() ?? fields)
      throw unknownKind(this.file, kind)
    })
  }

  close(rows: number): Promise<GeneratedFile> {
    return this.output.close(rows)
  }
}

/** A movie id past the catalogue's last one. */
function unknownMovieId(c: Catalogue, random: Random): number {
  return c.maxMovieId + 1 + random.int(10_000)
}

function movieLensGenres(mask: number): string {
  if (mask === 0) return '(no genres listed)'
  const names: string[] = []
  for (let g = 0; g < GENRES.length; g++)
    if (mask & (1 << g)) names.push((GENRES[g] as (typeof GENRES)[number])[0])
  return names.join('|')
}

export async function writeMovies(generation: Generation): Promise<GeneratedFile> {
  const c = generation.catalogue
  const output = new CsvOutput(generation, 'movies.csv', 'movieId,title,genres')
  for (let i = 0; i < c.size; i++) {
    const id = c.movieId[i] as number
    await output.add([id, csvField(c.movieLensTitle[i] as string), movieLensGenres(c.genres[i] as number)], {
      missing: () => 1,
      badNumber: (random) => [0, random.pick([`x${id}`, `${id}.5`, `-${id}`])]
    })
  }
  return output.close(c.size)
}

export async function writeLinks(generation: Generation): Promise<GeneratedFile> {
  const c = generation.catalogue
  const output = new CsvOutput(generation, 'links.csv', 'movieId,imdbId,tmdbId')
  for (let i = 0; i < c.size; i++) {
    const tmdb = c.tmdbId[i] ? String(c.tmdbId[i]) : ''
    await output.add([c.movieId[i] as number, imdbDigits(c.imdbNumber[i] as number), tmdb], {
      missing: () => 1,
      badNumber: (random) => [2, random.pick(['abc', '-1', '1e5'])],
      unknownMovie: (random) => [unknownMovieId(c, random), imdbDigits(9_000_000 + random.int(999_999)), '']
    })
  }
  return output.close(c.size)
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

/** The users with at least one row, in id order, with how many rows each has. */
function* activeUsers(counts: Int32Array, idOffset: number): Generator<{ userId: number; count: number }> {
  for (let u = 0; u < counts.length; u++) {
    const count = counts[u] as number
    if (count > 0) yield { userId: u + 1 + idOffset, count }
  }
}

/**
 * `count` different values in ascending order. Each is drawn by popularity first and, when that one
 * is taken, uniformly until a new one turns up: light users thus rate the hits, heavy users dig into
 * the catalogue, and a user with half the catalogue to rate still finishes quickly.
 */
function distinctPicks(count: number, popular: () => number, uniform: () => number): Int32Array {
  const picked = new Set<number>()
  while (picked.size < count) {
    let next = popular()
    while (picked.has(next)) next = uniform()
    picked.add(next)
  }
  return Int32Array.from(picked).sort()
}

function ratingValue(mean: number, spread: number, timestamp: number, random: Random): number {
  const raw = mean + random.gaussian() * spread
  if (timestamp < HALF_STARS_FROM_S) return Math.max(1, Math.min(5, Math.round(raw)))
  return Math.max(0.5, Math.min(5, Math.round(raw * 2) / 2))
}

/**
 * A user's `count` different movies, in ascending order. About FAVOURITE_SHARE of the draws come
 * from the user's favourite groups (by popularity within the group, until a group runs out), the
 * rest from the whole catalogue as distinctPicks draws them. A franchise film of a favourite group
 * brings some of its collection along: people who like a film see its sequels.
 */
function tastePicks(
  c: Catalogue,
  taste: Taste,
  favourites: readonly number[],
  count: number,
  popular: () => number,
  uniform: () => number,
  random: Random
): Int32Array {
  const picked = new Set<number>()
  const left = new Map(favourites.map((g) => [g, taste.members[g]?.length ?? 0]))
  const add = (m: number): void => {
    picked.add(m)
    const g = taste.groupOf[m] as number
    const remaining = left.get(g)
    if (remaining !== undefined) left.set(g, remaining - 1)
  }
  while (picked.size < count) {
    const open = favourites.filter((g) => (left.get(g) ?? 0) > 0)
    let next: number
    if (open.length > 0 && random.chance(FAVOURITE_SHARE)) {
      next = drawFromGroup(taste, random.pick(open), picked, random)
    } else {
      next = popular()
      while (picked.has(next)) next = uniform()
    }
    add(next)
    const collection = c.collection[next] as number
    if (collection === -1 || !left.has(taste.groupOf[next] as number)) continue
    for (const member of c.collections[collection]?.members ?? []) {
      if (picked.size >= count) break
      if (!picked.has(member) && random.chance(SEQUEL_SHARE)) add(member)
    }
  }
  return Int32Array.from(picked).sort()
}

/** Who rates and tags how much: `users` users sharing `total` rows, at most `cap` each. */
export interface Activity {
  users: number
  total: number
  cap: number
}

export async function writeRatings(generation: Generation, activity: Activity): Promise<GeneratedFile> {
  const c = generation.catalogue
  const output = new CsvOutput(generation, 'ratings.csv', 'userId,movieId,rating,timestamp')
  const random = deriveRandom(generation.seed, 'ratings.csv')
  const zipf = new ZipfSampler(c.size, RATING_POPULARITY_EXPONENT)
  const counts = ratingsPerUser(activity.users, activity.total, activity.cap, random)
  const popular = (): number => c.rankToIndex[zipf.sample(random)] as number
  const uniform = (): number => random.int(c.size)
  const taste = buildTaste(c, generation.seed)
  for (const { userId, count } of activeUsers(counts, c.idOffset)) {
    const favourites = favouriteGroups(taste, generation.seed, userId - c.idOffset - 1)
    const userBias = random.gaussian() * 0.35
    const from = RATINGS_FROM_S + random.next() * (RATINGS_TO_S - RATINGS_FROM_S)
    const span = Math.min(RATINGS_TO_S - from, -Math.log(1 - random.next()) * 2 * 365 * 86_400)
    // MovieLens lists a user's ratings by movie id; indices grow with movie ids.
    for (const i of tastePicks(c, taste, favourites, count, popular, uniform, random)) {
      const movieId = c.movieId[i] as number
      const timestamp = Math.floor(from + random.next() * span)
      const quality = c.quality[i] as number
      const value = favourites.includes(taste.groupOf[i] as number)
        ? ratingValue(FAVOURITE_MEAN + quality / 2 + userBias, FAVOURITE_SPREAD, timestamp, random)
        : ratingValue(OTHER_MEAN + quality + userBias, OTHER_SPREAD, timestamp, random)
      const other = value >= 5 ? value - 1 : value + 0.5
      await output.add([userId, movieId, value.toFixed(1), timestamp], {
        missing: (bad) => (bad.chance(0.5) ? 1 : 2),
        badNumber: (bad) => {
          const variant = bad.pick(['7', '3.7', 'four', '-1', 'time'])
          return variant === 'time' ? [3, 'yesterday'] : [2, variant]
        },
        unknownMovie: (bad) => [userId, unknownMovieId(c, bad), value.toFixed(1), timestamp],
        duplicate: () => [userId, movieId, other.toFixed(1), timestamp + 60]
      })
    }
  }
  return output.close(activity.total)
}

export async function writeTags(generation: Generation, activity: Activity): Promise<GeneratedFile> {
  const c = generation.catalogue
  const output = new CsvOutput(generation, 'tags.csv', 'userId,movieId,tag,timestamp')
  const random = deriveRandom(generation.seed, 'tags.csv')
  const movies = new ZipfSampler(c.size, RATING_POPULARITY_EXPONENT)
  const tags = new ZipfSampler(TAGS.length, 0.8)
  // Like ratings: user by user, each (movie, tag) pair once per user, so no duplicates arise by chance.
  const counts = ratingsPerUser(activity.users, activity.total, activity.cap, random)
  const popular = (): number =>
    (c.rankToIndex[movies.sample(random)] as number) * TAGS.length + tags.sample(random)
  const uniform = (): number => random.int(c.size) * TAGS.length + random.int(TAGS.length)
  for (const { userId, count } of activeUsers(counts, c.idOffset)) {
    for (const pair of distinctPicks(count, popular, uniform)) {
      const movieId = c.movieId[Math.floor(pair / TAGS.length)] as number
      const tag = csvField(TAGS[pair % TAGS.length] as string)
      const timestamp = Math.floor(TAGS_FROM_S + random.next() * (RATINGS_TO_S - TAGS_FROM_S))
      await output.add([userId, movieId, tag, timestamp], {
        missing: () => 2,
        badNumber: (bad) => [3, bad.pick(['soon', '-5', '1.5e9'])],
        unknownMovie: (bad) => [userId, unknownMovieId(c, bad), tag, timestamp]
      })
    }
  }
  return output.close(activity.total)
}
