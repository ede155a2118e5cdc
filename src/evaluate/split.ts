/**
 * The evaluation's leave-latest-out split of a MovieLens directory: every user with at least
 * holdout + 2 liked ratings has their `holdout` latest liked ratings (by timestamp) held out, and
 * the rest is written to a training directory that the real importer loads.
 *
 * Ratings are read with the importer's own parser and resolved as it resolves them: rows it would
 * refuse (malformed, or naming a movie movies.csv does not have) are left out, and of two rows for
 * one user and movie the later one counts. The training ratings.csv therefore holds exactly the
 * ratings the importer would have kept, minus the held-out ones, and imports without rejects.
 * Tags of a held-out user and movie are dropped too: a tag says the user saw the movie.
 */
import { access, copyFile, mkdir } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { csvField, LineWriter } from '../generate/line-writer.js'
import { openInput } from '../ingest/input.js'
import {
  parseMovieLensMovie,
  parseMovieLensRating,
  parseMovieLensTag,
  readMovieLens
} from '../ingest/movielens.js'
import type { MovieLensFile } from '../ingest/movielens.js'

/** A directory's MovieLens file: `<name>.csv`, else `<name>.csv.gz`. */
export async function findMovieLensFile(dir: string, name: MovieLensFile): Promise<string | undefined> {
  for (const file of [`${name}.csv`, `${name}.csv.gz`]) {
    const path = join(dir, file)
    const found = await access(path).then(
      () => true,
      () => false
    )
    if (found) return path
  }
  return undefined
}

/**
 * Ratings after deduplication, as columns sorted by user, then movie (MovieLens ids); each
 * user's rows are userStart[u]..userStart[u + 1] and belong to userIds[u].
 */
export interface RatingTable {
  size: number
  user: Int32Array
  movie: Int32Array
  /** On the service's 0–10 scale: MovieLens stars × 2, so always a whole number. */
  score: Uint8Array
  /** Unix seconds. */
  timestamp: Float64Array
  userIds: Int32Array
  userStart: Int32Array
}

export interface RatingRow {
  user: number
  movie: number
  score: number
  timestamp: number
}

/** Growable columns: the full MovieLens set has 25 million ratings, too many for objects. */
class RatingColumns {
  size = 0
  user = new Int32Array(1024)
  movie = new Int32Array(1024)
  score = new Uint8Array(1024)
  timestamp = new Float64Array(1024)

  push(row: RatingRow): void {
    if (this.size === this.user.length) {
      const grow = <T extends Int32Array | Uint8Array | Float64Array>(old: T, make: (n: number) => T): T => {
        const next = make(old.length * 2)
        next.set(old)
        return next
      }
      this.user = grow(this.user, (n) => new Int32Array(n))
      this.movie = grow(this.movie, (n) => new Int32Array(n))
      this.score = grow(this.score, (n) => new Uint8Array(n))
      this.timestamp = grow(this.timestamp, (n) => new Float64Array(n))
    }
    const i = this.size++
    this.user[i] = row.user
    this.movie[i] = row.movie
    this.score[i] = row.score
    this.timestamp[i] = row.timestamp
  }
}

/**
 * Sorts rows by user and movie and keeps, of rows for one user and movie, the one that came last,
 * which is the one the importer's writes leave behind.
 */
export function tableOf(rows: Iterable<RatingRow>): RatingTable {
  const columns = new RatingColumns()
  for (const row of rows) columns.push(row)
  return resolved(columns)
}

function resolved(columns: RatingColumns): RatingTable {
  const n = columns.size
  const { user, movie } = columns
  const order = Array.from({ length: n }, (_, i) => i)
  order.sort(
    (a, b) =>
      (user[a] as number) - (user[b] as number) || (movie[a] as number) - (movie[b] as number) || a - b
  )
  const kept: number[] = []
  for (let k = 0; k < n; k++) {
    const i = order[k] as number
    const next = order[k + 1]
    if (next !== undefined && user[next] === user[i] && movie[next] === movie[i]) continue
    kept.push(i)
  }
  const table: RatingTable = {
    size: kept.length,
    user: new Int32Array(kept.length),
    movie: new Int32Array(kept.length),
    score: new Uint8Array(kept.length),
    timestamp: new Float64Array(kept.length),
    userIds: new Int32Array(0),
    userStart: new Int32Array(0)
  }
  const userIds: number[] = []
  const userStart: number[] = []
  kept.forEach((i, k) => {
    const u = user[i] as number
    table.user[k] = u
    table.movie[k] = movie[i] as number
    table.score[k] = columns.score[i] as number
    table.timestamp[k] = columns.timestamp[i] as number
    if (k === 0 || table.user[k - 1] !== u) {
      userIds.push(u)
      userStart.push(k)
    }
  })
  userStart.push(kept.length)
  table.userIds = Int32Array.from(userIds)
  table.userStart = Int32Array.from(userStart)
  return table
}

/** movies.csv's movie ids: those the importer can load, so ratings of any other are refused. */
export async function readMovieIds(path: string): Promise<Set<number>> {
  const ids = new Set<number>()
  const input = await openInput(path)
  try {
    for await (const row of readMovieLens(input, 'movies')) {
      if (!row.ok) continue
      const parsed = parseMovieLensMovie(row.raw)
      if (parsed.ok) ids.add(parsed.value.movielens_id)
    }
  } finally {
    input.close()
  }
  return ids
}

export async function readRatings(path: string, movies: ReadonlySet<number>): Promise<RatingTable> {
  const input = await openInput(path)
  const columns = new RatingColumns()
  try {
    for await (const row of readMovieLens(input, 'ratings')) {
      if (!row.ok) continue
      const rating = parseMovieLensRating(row.raw)
      if (!rating.ok || !movies.has(rating.value.movielens_id)) continue
      columns.push({
        user: Number(row.raw['userId']),
        movie: rating.value.movielens_id,
        score: rating.value.score,
        timestamp: Date.parse(rating.value.rated_at) / 1000
      })
    }
  } finally {
    input.close()
  }
  return resolved(columns)
}

export interface SplitOptions {
  holdout: number
  /** A score (0–10) at or above this is a like. */
  highRating: number
}

export interface Split {
  /** Per row of the table: 1 when the rating is held out. */
  heldOut: Uint8Array
  /** The users with held-out ratings, ascending, with their held-out movies, latest first. */
  heldOutByUser: Map<number, number[]>
}

/** Holds out each user's latest liked ratings (a tie in time goes to the higher movie id). */
export function splitTable(table: RatingTable, options: SplitOptions): Split {
  const heldOut = new Uint8Array(table.size)
  const heldOutByUser = new Map<number, number[]>()
  for (let u = 0; u < table.userIds.length; u++) {
    const liked: number[] = []
    for (let i = table.userStart[u] as number; i < (table.userStart[u + 1] as number); i++) {
      if ((table.score[i] as number) >= options.highRating) liked.push(i)
    }
    if (liked.length < options.holdout + 2) continue
    liked.sort(
      (a, b) =>
        (table.timestamp[b] as number) - (table.timestamp[a] as number) ||
        (table.movie[b] as number) - (table.movie[a] as number)
    )
    const out = liked.slice(0, options.holdout)
    for (const i of out) heldOut[i] = 1
    heldOutByUser.set(
      table.userIds[u] as number,
      out.map((i) => table.movie[i] as number)
    )
  }
  return { heldOut, heldOutByUser }
}

/** What the training directory holds. */
export interface TrainingFiles {
  dir: string
  ratings: number
  /** Tags left out because they name a held-out user and movie. */
  tagsDropped: number
}

function starsText(score: number): string {
  return (score / 2).toFixed(1)
}

/** movies.csv and links.csv as they are, ratings.csv without the held-out rows, tags.csv filtered. */
export async function writeTraining(
  source: string,
  out: string,
  table: RatingTable,
  split: Split
): Promise<TrainingFiles> {
  await mkdir(out, { recursive: true })
  for (const name of ['movies', 'links'] as const) {
    const path = await findMovieLensFile(source, name)
    if (path) await copyFile(path, join(out, basename(path)))
  }
  const ratings = new LineWriter(join(out, 'ratings.csv'))
  ratings.add('userId,movieId,rating,timestamp\n')
  let written = 0
  for (let i = 0; i < table.size; i++) {
    if (split.heldOut[i]) continue
    written++
    const full = ratings.add(
      `${table.user[i]},${table.movie[i]},${starsText(table.score[i] as number)},${table.timestamp[i]}\n`
    )
    if (full) await ratings.flush()
  }
  await ratings.close()

  let tagsDropped = 0
  const tagsPath = await findMovieLensFile(source, 'tags')
  if (tagsPath) {
    const held = new Set<string>()
    for (const [user, movies] of split.heldOutByUser) for (const movie of movies) held.add(`${user}:${movie}`)
    const tags = new LineWriter(join(out, 'tags.csv'))
    tags.add('userId,movieId,tag,timestamp\n')
    const input = await openInput(tagsPath)
    try {
      for await (const row of readMovieLens(input, 'tags')) {
        if (!row.ok || !parseMovieLensTag(row.raw).ok) continue
        const { userId, movieId, tag, timestamp } = row.raw as Record<string, string>
        if (held.has(`${Number(userId)}:${Number(movieId)}`)) {
          tagsDropped++
          continue
        }
        if (tags.add(`${userId},${movieId},${csvField(tag ?? '')},${timestamp}\n`)) await tags.flush()
      }
    } finally {
      input.close()
    }
    await tags.close()
  }
  return { dir: out, ratings: written, tagsDropped }
}
