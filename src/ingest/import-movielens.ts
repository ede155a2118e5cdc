/**
 * `importMovieLens`: a MovieLens export directory into the graph. links.csv is read first and held
 * in memory (one entry per movie), then movies.csv is matched against the movies already stored
 * (by TMDB id, then IMDb id, then MovieLens id) and written, then ratings.csv and tags.csv are
 * streamed in batches against the MovieLens id → movie_id map the movies left behind. Each file
 * may be gzipped (`movies.csv.gz`); only movies.csv is required.
 *
 * Memory grows with the number of movies and users, never with the number of ratings or tags.
 */
import { access } from 'node:fs/promises'
import { basename, join } from 'node:path'
import type { QueryResult } from 'neo4j-driver'
import { int } from '../db/convert.js'
import { rows } from '../db/database.js'
import type { Database } from '../db/database.js'
import { ratingId } from '../data/ratings/repository.js'
import { batches } from './batch.js'
import { openInput } from './input.js'
import type { Input } from './input.js'
import {
  MOVIELENS_SCALE,
  parseMovieLensLink,
  parseMovieLensMovie,
  parseMovieLensRating,
  parseMovieLensTag,
  readMovieLens
} from './movielens.js'
import type {
  MovieLensFile,
  MovieLensLink,
  MovieLensMovie,
  MovieLensRating,
  MovieLensTag
} from './movielens.js'
import { newGenreCache, writeMovieBatch } from './movie-writer.js'
import type { GenreCache, MovieRow } from './movie-writer.js'
import { planMovieLensMovie, MOVIELENS_SOURCE } from './plan.js'
import { ENSURE_USERS, MOVIES_BY_MOVIELENS_ID, WRITE_RATINGS, WRITE_TAGS } from './queries.js'
import { REJECTS_SUFFIX } from './rejects.js'
import { parseRows } from './rows.js'
import type { Located } from './rows.js'
import {
  FileRun,
  batchSizeOf,
  concurrencyOf,
  pipeline,
  refreshStaleAggregates,
  run,
  summarize,
  writeBatch
} from './writer.js'
import type { FileSummary, ImportOptions, ImportSummary } from './writer.js'

const FILE_ORDER: readonly MovieLensFile[] = ['links', 'movies', 'ratings', 'tags']

/** What one run learns as it goes and reuses across files. */
interface RunState {
  /** MovieLens movieId → the service's movie_id. */
  movieIds: Map<number, string>
  /** MovieLens ids looked up in the graph and not found. */
  missing: Set<number>
  users: Set<string>
  genres: GenreCache
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false
  )
}

/** `<name>.csv`, else `<name>.csv.gz`. */
async function findFile(dir: string, name: MovieLensFile): Promise<string | undefined> {
  for (const file of [`${name}.csv`, `${name}.csv.gz`]) {
    const path = join(dir, file)
    if (await exists(path)) return path
  }
  return undefined
}

function rejectsPathFor(path: string, options: ImportOptions): string {
  return options.rejectsPath === undefined
    ? `${path}${REJECTS_SUFFIX}`
    : join(options.rejectsPath, `${basename(path)}${REJECTS_SUFFIX}`)
}

/**
 * Opens one file of the export with its run (progress, counts, rejects) and hands both to `load`.
 * If `load` fails, the run is abandoned so no half-written rejects file is left; the input is
 * always closed.
 */
async function withRun<T>(
  path: string,
  options: ImportOptions,
  load: (input: Input, fileRun: FileRun) => Promise<T>
): Promise<T> {
  const input = await openInput(path)
  try {
    const fileRun = await FileRun.open(path, rejectsPathFor(path, options), {
      progress: options.progress,
      totalBytes: input.totalBytes,
      bytesRead: () => input.bytesRead()
    })
    try {
      return await load(input, fileRun)
    } catch (error) {
      await fileRun.abandon()
      throw error
    }
  } finally {
    input.close()
  }
}

export async function importMovieLens(
  db: Database,
  dir: string,
  options: ImportOptions = {}
): Promise<ImportSummary> {
  const startedAt = performance.now()
  const size = batchSizeOf(options)
  const paths = new Map<MovieLensFile, string>()
  for (const name of FILE_ORDER) {
    const path = await findFile(dir, name)
    if (path) paths.set(name, path)
  }
  const moviesPath = paths.get('movies')
  if (!moviesPath) throw new Error(`${dir} has no movies.csv (or movies.csv.gz)`)

  const state: RunState = {
    movieIds: new Map(),
    missing: new Set(),
    users: new Set(),
    genres: newGenreCache()
  }
  const files: FileSummary[] = []
  const linksPath = paths.get('links')
  const links = linksPath ? await readLinks(linksPath, options) : undefined
  try {
    files.push(await loadMovies(db, moviesPath, links, state, options, size))
    if (links) files.unshift(await links.finish())
  } catch (error) {
    await links?.fileRun.abandon()
    throw error
  }
  const ratingsPath = paths.get('ratings')
  if (ratingsPath) files.push(await loadRatings(db, ratingsPath, state, options, size))
  const tagsPath = paths.get('tags')
  if (tagsPath) files.push(await loadTags(db, tagsPath, state, options, size))
  return summarize(files, startedAt)
}

interface Links {
  fileRun: FileRun
  byMovie: Map<number, LinkEntry>
  finish(): Promise<FileSummary>
}

interface LinkEntry {
  located: Located<MovieLensLink>
  used: boolean
}

/**
 * links.csv, whole: the file is one batch, so a movieId listed twice keeps its last line. A TMDB
 * or IMDb id given to two movies is refused on the later line, since one movie cannot be two.
 * Links are written with their movies, so the file is finished (and timed) after movies.csv.
 */
async function readLinks(path: string, options: ImportOptions): Promise<Links> {
  return withRun(path, options, async (input, fileRun) => {
    const byMovie = new Map<number, LinkEntry>()
    const parsed = parseRows(
      readMovieLens(input, 'links'),
      parseMovieLensLink,
      fileRun.rejects,
      fileRun.progress
    )
    const whole = batches(parsed, {
      size: Number.MAX_SAFE_INTEGER,
      key: (row) => row.value.movielens_id,
      onDuplicate: fileRun.duplicates<MovieLensLink>()
    })
    const all: Located<MovieLensLink>[] = []
    for await (const batch of whole) all.push(...batch)
    all.sort((a, b) => a.lineNumber - b.lineNumber)
    const tmdbOwner = new Map<number, Located<MovieLensLink>>()
    const imdbOwner = new Map<string, Located<MovieLensLink>>()
    for (const row of all) {
      const { tmdb_id: tmdb, imdb_id: imdb, movielens_id: id } = row.value
      const tmdbTaken = tmdb === null ? undefined : tmdbOwner.get(tmdb)
      const imdbTaken = imdbOwner.get(imdb)
      if (tmdbTaken) {
        await fileRun.reject(
          row,
          `tmdbId ${tmdb} is also movieId ${tmdbTaken.value.movielens_id}'s (line ${tmdbTaken.lineNumber})`
        )
        continue
      }
      if (imdbTaken) {
        await fileRun.reject(
          row,
          `imdbId ${imdb} is also movieId ${imdbTaken.value.movielens_id}'s (line ${imdbTaken.lineNumber})`
        )
        continue
      }
      if (tmdb !== null) tmdbOwner.set(tmdb, row)
      imdbOwner.set(imdb, row)
      byMovie.set(id, { located: row, used: false })
    }
    return {
      fileRun,
      byMovie,
      async finish() {
        // A link the movies never asked for names a movie this export does not have.
        for (const entry of byMovie.values()) {
          if (!entry.used) {
            await fileRun.reject(
              entry.located,
              `unknown movie: movieId ${entry.located.value.movielens_id} has no usable row in movies.csv`
            )
          }
        }
        return fileRun.finish()
      }
    }
  })
}

async function loadMovies(
  db: Database,
  path: string,
  links: Links | undefined,
  state: RunState,
  options: ImportOptions,
  size: number
): Promise<FileSummary> {
  return withRun(path, options, async (input, fileRun) => {
    const parsed = parseRows(
      readMovieLens(input, 'movies'),
      parseMovieLensMovie,
      fileRun.rejects,
      fileRun.progress
    )
    const grouped = batches(parsed, {
      size,
      key: (row) => row.value.movielens_id,
      onDuplicate: fileRun.duplicates<MovieLensMovie>()
    })
    // One batch at a time: each is planned against the graph the previous one left.
    await pipeline(grouped, async (batch) => {
      const movieRows: MovieRow<MovieLensMovie>[] = batch.map((located) => {
        const link = links?.byMovie.get(located.value.movielens_id)?.located.value
        return {
          located,
          genres: located.value.genres,
          keys: {
            key: located.value.movielens_id,
            tmdb_id: link?.tmdb_id ?? null,
            imdb_id: link?.imdb_id ?? null,
            movielens_id: located.value.movielens_id
          }
        }
      })
      const outcomes = await writeMovieBatch(
        db,
        fileRun,
        movieRows,
        state.genres,
        'movielens_id',
        (row, found) =>
          planMovieLensMovie(row.located.value, links?.byMovie.get(row.keys.key)?.located.value, found)
      )
      for (const outcome of outcomes) {
        const id = outcome.row.keys.key
        if (outcome.status === 'rejected') {
          await fileRun.reject(outcome.row.located, outcome.reason ?? 'refused')
          continue
        }
        fileRun.count({ [outcome.status]: 1 })
        if (outcome.movie_id !== undefined) state.movieIds.set(id, outcome.movie_id)
        const link = links?.byMovie.get(id)
        if (link) {
          link.used = true
          // The link was written with its movie, so it shares the movie's outcome.
          links?.fileRun.count({ [outcome.status]: 1 })
        }
      }
    })
    return await fileRun.finish()
  })
}

/** MovieLens ids not seen in movies.csv this run are looked up in the graph once each. */
async function resolveMovieLensIds(db: Database, ids: Iterable<number>, state: RunState): Promise<void> {
  const unknown = [...new Set(ids)].filter((id) => !state.movieIds.has(id) && !state.missing.has(id))
  if (unknown.length === 0) return
  const found = await db.readRows<{ movielens_id: number; movie_id: string }>(MOVIES_BY_MOVIELENS_ID, {
    ids: unknown.map((id) => int(id))
  })
  for (const row of found) state.movieIds.set(row.movielens_id, row.movie_id)
  for (const id of unknown) if (!state.movieIds.has(id)) state.missing.add(id)
}

/** `ml-<n>` ids in numeric order: a longer run of digits is a larger number. */
function compareUserIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0)
}

/**
 * The order rows are written in, which is the order their locks are taken: the same total order
 * in every batch, so two batches in flight never wait on each other in a cycle. Users go from the
 * highest id down because exports list ratings by user: the user two consecutive batches share is
 * then the first the earlier batch locks and the last the later one reaches, by which time the
 * earlier batch has usually committed.
 */
function byUserDescending(a: RatingRow, b: RatingRow): number {
  return (
    compareUserIds(b.user_id, a.user_id) ||
    (a.rating_id < b.rating_id ? -1 : a.rating_id > b.rating_id ? 1 : 0)
  )
}

/** A rating as WRITE_RATINGS takes it. */
interface RatingRow {
  rating_id: string
  user_id: string
  movie_id: string
  score: number
  original_score: number
  /** ISO 8601, UTC. */
  rated_at: string
}

/** What every MovieLens rating shares. */
const RATING_SOURCE = {
  source: MOVIELENS_SOURCE,
  scale_min: MOVIELENS_SCALE.min,
  scale_max: MOVIELENS_SCALE.max
}

function unknownMovie(movielensId: number): string {
  return `unknown movie: movieId ${movielensId} is neither in movies.csv nor in the graph`
}

function writtenCounts(result: QueryResult): { created: number; written: number } {
  const [counts] = rows<{ created: number | null; written: number | null }>(result)
  return { created: counts?.created ?? 0, written: counts?.written ?? 0 }
}

/**
 * New users get a transaction of their own, committed before the batch that points at them: two
 * batches in flight often share the user at their boundary (the files are ordered by user), and a
 * user created inside the ratings transaction would hold the other batch until that commit.
 */
async function ensureUsers(
  db: Database,
  fileRun: FileRun,
  state: RunState,
  candidates: Iterable<string>
): Promise<void> {
  const userIds = [...new Set(candidates)].filter((id) => !state.users.has(id)).sort()
  if (userIds.length === 0) return
  await writeBatch(db, fileRun, async (tx) => {
    await run(tx, ENSURE_USERS, { user_ids: userIds })
  })
  for (const id of userIds) state.users.add(id)
}

async function loadRatings(
  db: Database,
  path: string,
  state: RunState,
  options: ImportOptions,
  size: number
): Promise<FileSummary> {
  return withRun(path, options, async (input, fileRun) => {
    const parsed = parseRows(
      readMovieLens(input, 'ratings'),
      parseMovieLensRating,
      fileRun.rejects,
      fileRun.progress
    )
    // The parser's key names user and movie in MovieLens terms, before the movie is matched.
    const grouped = batches(parsed, {
      size,
      key: (row) => row.value.rating_id,
      onDuplicate: fileRun.duplicates<MovieLensRating>()
    })
    await pipeline(
      grouped,
      async (batch) => {
        await resolveMovieLensIds(
          db,
          batch.map((row) => row.value.movielens_id),
          state
        )
        const ready: RatingRow[] = []
        for (const row of batch) {
          const movieId = state.movieIds.get(row.value.movielens_id)
          if (movieId === undefined) {
            await fileRun.reject(row, unknownMovie(row.value.movielens_id))
            continue
          }
          const r = row.value
          ready.push({
            rating_id: ratingId(r.user_id, movieId),
            user_id: r.user_id,
            movie_id: movieId,
            score: r.score,
            original_score: r.original_score,
            rated_at: r.rated_at
          })
        }
        if (ready.length === 0) return
        ready.sort(byUserDescending)
        await ensureUsers(
          db,
          fileRun,
          state,
          ready.map((row) => row.user_id)
        )
        const result = await writeBatch(db, fileRun, async (tx) =>
          writtenCounts(await run(tx, WRITE_RATINGS, { rows: ready, ...RATING_SOURCE }))
        )
        fileRun.count({
          created: result.created,
          updated: result.written - result.created,
          unchanged: ready.length - result.written
        })
      },
      { concurrency: concurrencyOf(options), keys: (batch) => batch.map((row) => row.value.rating_id) }
    )
    await refreshStaleAggregates(db, 'ratings_stale', fileRun)
    return await fileRun.finish()
  })
}

function tagKey(row: Located<MovieLensTag>): string {
  return `${row.value.user_id}\u0000${row.value.movielens_id}\u0000${row.value.tag}`
}

async function loadTags(
  db: Database,
  path: string,
  state: RunState,
  options: ImportOptions,
  size: number
): Promise<FileSummary> {
  return withRun(path, options, async (input, fileRun) => {
    const parsed = parseRows(
      readMovieLens(input, 'tags'),
      parseMovieLensTag,
      fileRun.rejects,
      fileRun.progress
    )
    const grouped = batches(parsed, {
      size,
      key: tagKey,
      onDuplicate: fileRun.duplicates<MovieLensTag>()
    })
    await pipeline(
      grouped,
      async (batch) => {
        await resolveMovieLensIds(
          db,
          batch.map((row) => row.value.movielens_id),
          state
        )
        const ready: Array<{ user_id: string; movie_id: string; tag: string; tagged_at: string }> = []
        for (const row of batch) {
          const movieId = state.movieIds.get(row.value.movielens_id)
          if (movieId === undefined) {
            await fileRun.reject(row, unknownMovie(row.value.movielens_id))
            continue
          }
          ready.push({
            user_id: row.value.user_id,
            movie_id: movieId,
            tag: row.value.tag,
            tagged_at: row.value.tagged_at
          })
        }
        if (ready.length === 0) return
        await ensureUsers(
          db,
          fileRun,
          state,
          ready.map((row) => row.user_id)
        )
        const result = await writeBatch(db, fileRun, async (tx) =>
          writtenCounts(await run(tx, WRITE_TAGS, { rows: ready }))
        )
        fileRun.count({
          created: result.created,
          updated: result.written - result.created,
          unchanged: ready.length - result.written
        })
      },
      { concurrency: concurrencyOf(options), keys: (batch) => batch.map(tagKey) }
    )
    return await fileRun.finish()
  })
}
