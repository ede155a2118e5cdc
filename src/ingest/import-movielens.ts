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
import { join } from 'node:path'
import type { QueryResult } from 'neo4j-driver'
import type { AggregateKind } from '../data/movies/aggregates.js'
import { int } from '../db/convert.js'
import { rows } from '../db/database.js'
import type { Database } from '../db/database.js'
import { ratingId } from '../data/ratings/repository.js'
import type { BatchKey } from './batch.js'
import type { CsvRecord } from './csv.js'
import type { ParseResult } from './fields.js'
import { batchSizeOf, concurrencyOf, summarize, withFileRun } from './file-run.js'
import type { FileRun, FileSummary, ImportOptions, ImportSummary } from './file-run.js'
import type { Input } from './input.js'
import {
  MOVIELENS_SCALE,
  movieLensMovieId,
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
import type { Located } from './rows.js'
import { pipeline, refreshStaleAggregates, writeBatch } from './writer.js'

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
  const movies = (links?: Links): Promise<FileSummary> =>
    withFileRun(moviesPath, 'movielens', options, (input, fileRun) =>
      loadMovies(db, input, fileRun, links, state, size)
    )
  const linksPath = paths.get('links')
  if (linksPath) {
    // Links are written with their movies, so their run spans the movies' and ends after it.
    await withFileRun(linksPath, 'movielens', options, async (input, fileRun) => {
      const links = await readLinks(input, fileRun)
      const moviesSummary = await movies(links)
      files.push(await links.finish(), moviesSummary)
    })
  } else {
    files.push(await movies())
  }
  const ratingsPath = paths.get('ratings')
  if (ratingsPath) files.push(await loadEdges(db, ratingsPath, RATINGS, state, options, size))
  const tagsPath = paths.get('tags')
  if (tagsPath) files.push(await loadEdges(db, tagsPath, TAGS, state, options, size))
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
async function readLinks(input: Input, fileRun: FileRun): Promise<Links> {
  const byMovie = new Map<number, LinkEntry>()
  const whole = fileRun.batches(readMovieLens(input, 'links'), parseMovieLensLink, {
    size: Number.MAX_SAFE_INTEGER,
    key: (row) => row.value.movielens_id
  })
  const all: Located<MovieLensLink>[] = []
  for await (const batch of whole) all.push(...batch)
  all.sort((a, b) => a.lineNumber - b.lineNumber)
  const tmdbOwner = new Map<number, Located<MovieLensLink>>()
  const imdbOwner = new Map<string, Located<MovieLensLink>>()
  for (const row of all) {
    const { tmdb_id: tmdb, imdb_id: imdb, movielens_id: id } = row.value
    const clash =
      (tmdb === null ? undefined : takenBy('tmdbId', tmdb, tmdbOwner.get(tmdb))) ??
      takenBy('imdbId', imdb, imdbOwner.get(imdb))
    if (clash !== undefined) {
      await fileRun.reject(row, clash)
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
}

/** Why a link is refused when an earlier line gave its id to another movie; undefined if none did. */
function takenBy(
  name: string,
  value: number | string,
  owner: Located<MovieLensLink> | undefined
): string | undefined {
  return owner && `${name} ${value} is also movieId ${owner.value.movielens_id}'s (line ${owner.lineNumber})`
}

async function loadMovies(
  db: Database,
  input: Input,
  fileRun: FileRun,
  links: Links | undefined,
  state: RunState,
  size: number
): Promise<FileSummary> {
  const grouped = fileRun.batches(readMovieLens(input, 'movies'), parseMovieLensMovie, {
    size,
    key: (row) => row.value.movielens_id
  })
  const linkOf = (id: number): MovieLensLink | undefined => links?.byMovie.get(id)?.located.value
  // One batch at a time: each is planned against the graph the previous one left.
  await pipeline(grouped, async (batch) => {
    const movieRows: MovieRow<MovieLensMovie>[] = batch.map((located) => ({
      located,
      genres: located.value.genres,
      keys: {
        key: located.value.movielens_id,
        tmdb_id: linkOf(located.value.movielens_id)?.tmdb_id ?? null,
        imdb_id: linkOf(located.value.movielens_id)?.imdb_id ?? null,
        movielens_id: located.value.movielens_id,
        movie_id: movieLensMovieId(located.value.movielens_id)
      }
    }))
    const outcomes = await writeMovieBatch(
      db,
      fileRun,
      movieRows,
      state.genres,
      'movielens_id',
      (row, found) => planMovieLensMovie(row.located.value, linkOf(row.keys.key), found)
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

interface Written {
  created: number
  written: number
  /** Indexes of the rows whose movie or user was gone when the batch was written. */
  missing: number[]
}

function writtenCounts(result: QueryResult): Written {
  const [counts] = rows<{ created: number | null; written: number | null; missing: number[] | null }>(result)
  return { created: counts?.created ?? 0, written: counts?.written ?? 0, missing: counts?.missing ?? [] }
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
    await tx.run(ENSURE_USERS, { user_ids: userIds })
  })
  for (const id of userIds) state.users.add(id)
}

/** A row of ratings.csv or tags.csv: an edge from a user to a movie, named in MovieLens ids. */
interface MovieLensEdge {
  user_id: string
  movielens_id: number
}

/** What sets one file of one edge per row apart; loadEdges does the rest. */
interface EdgeFile<P extends MovieLensEdge, R extends { user_id: string }> {
  name: 'ratings' | 'tags'
  parse: (record: CsvRecord) => ParseResult<P>
  /** One row per key in a batch; the key names user and movie in MovieLens terms, before the movie is matched. */
  key: (row: Located<P>) => BatchKey
  /** The row as `query` takes it, once its movie is known. */
  row: (value: P, movieId: string) => R
  /** The order rows are written (and locked) in, when the batch's key order is not the one wanted. */
  order?: (a: R, b: R) => number
  /**
   * Writes `$rows`, returning how many were created, how many written at all (created, changed or
   * linked again), and the indexes of rows whose movie or user was gone.
   */
  query: string
  params?: Record<string, unknown>
  /** The movie aggregates the file changes, recomputed when it is done. */
  aggregates?: AggregateKind
}

const RATINGS: EdgeFile<MovieLensRating, RatingRow> = {
  name: 'ratings',
  parse: parseMovieLensRating,
  key: (row) => row.value.rating_id,
  row: (r, movieId) => ({
    rating_id: ratingId(r.user_id, movieId),
    user_id: r.user_id,
    movie_id: movieId,
    score: r.score,
    original_score: r.original_score,
    rated_at: r.rated_at
  }),
  order: byUserDescending,
  query: WRITE_RATINGS,
  params: RATING_SOURCE,
  aggregates: 'ratings'
}

const TAGS: EdgeFile<MovieLensTag, { user_id: string; movie_id: string; tag: string; tagged_at: string }> = {
  name: 'tags',
  parse: parseMovieLensTag,
  key: (row) => `${row.value.user_id}\u0000${row.value.movielens_id}\u0000${row.value.tag}`,
  row: (t, movieId) => ({ user_id: t.user_id, movie_id: movieId, tag: t.tag, tagged_at: t.tagged_at }),
  query: WRITE_TAGS
}

/**
 * Streams one file of one edge per row (ratings.csv, tags.csv) in batches, several in flight: each
 * row's movie is matched through the MovieLens ids, rows of unknown movies are refused, users are
 * created first, and what is written is counted from what the query reports.
 */
async function loadEdges<P extends MovieLensEdge, R extends { user_id: string }>(
  db: Database,
  path: string,
  file: EdgeFile<P, R>,
  state: RunState,
  options: ImportOptions,
  size: number
): Promise<FileSummary> {
  return withFileRun(path, 'movielens', options, async (input, fileRun) => {
    const grouped = fileRun.batches(readMovieLens(input, file.name), file.parse, { size, key: file.key })
    await pipeline(
      grouped,
      async (batch) => {
        await resolveMovieLensIds(
          db,
          batch.map((row) => row.value.movielens_id),
          state
        )
        const ready: Array<{ located: Located<P>; row: R }> = []
        for (const located of batch) {
          const movieId = state.movieIds.get(located.value.movielens_id)
          if (movieId === undefined) await fileRun.reject(located, unknownMovie(located.value.movielens_id))
          else ready.push({ located, row: file.row(located.value, movieId) })
        }
        if (ready.length === 0) return
        const order = file.order
        if (order) ready.sort((a, b) => order(a.row, b.row))
        await ensureUsers(
          db,
          fileRun,
          state,
          ready.map(({ row }) => row.user_id)
        )
        const result = await writeBatch(db, fileRun, async (tx) =>
          writtenCounts(await tx.run(file.query, { rows: ready.map(({ row }) => row), ...file.params }))
        )
        for (const index of result.missing) {
          const gone = ready[index]
          if (gone) await fileRun.reject(gone.located, 'its movie or user was deleted while the import ran')
        }
        fileRun.count({
          created: result.created,
          updated: result.written - result.created,
          unchanged: ready.length - result.written - result.missing.length
        })
      },
      { concurrency: concurrencyOf(options), keys: (batch) => batch.map(file.key) }
    )
    if (file.aggregates) await refreshStaleAggregates(db, file.aggregates, fileRun)
    return await fileRun.finish()
  })
}
