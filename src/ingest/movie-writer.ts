/**
 * The write side shared by the MovieLens and TMDB movie importers: genres merged before the movies
 * that point at them, the candidate movies a batch could be, the plans carried out in one
 * transaction, and the parameters in the types the schema expects.
 */
import type { ManagedTransaction } from 'neo4j-driver'
import { int } from '../db/convert.js'
import { rows } from '../db/database.js'
import type { Database } from '../db/database.js'
import type { MovieCandidates, MoviePlan } from './plan.js'
import { ENSURE_GENRES, ENSURE_GENRE_TMDB_IDS, MOVIE_CANDIDATES, writeMovies } from './queries.js'
import type { FileRun } from './file-run.js'
import { writeBatch, writeOrSplit } from './writer.js'
import type { Located } from './rows.js'
import type { TmdbGenre } from './tmdb.js'

/** Sent as Neo4j Integers; a JS number would arrive as a Float. */
const INTEGER_FIELDS = new Set(['tmdb_id', 'movielens_id', 'year', 'runtime', 'vote_count', 'collection_id'])
const INTEGER_LIST_FIELDS = new Set(['tmdb_similar_ids', 'tmdb_recommended_ids'])

export function movieProps(props: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(props)) {
    if (typeof value === 'number' && INTEGER_FIELDS.has(key)) out[key] = int(value)
    else if (Array.isArray(value) && INTEGER_LIST_FIELDS.has(key)) out[key] = value.map((v: number) => int(v))
    else out[key] = value
  }
  return out
}

export interface CandidateKeys {
  key: number
  tmdb_id: number | null
  imdb_id: string | null
  movielens_id: number | null
  /** The movie_id a new movie would get; a movie that already has it is a candidate too. */
  movie_id: string
}

export interface MovieRow<T> {
  located: Located<T>
  keys: CandidateKeys
  genres: string[]
  /** TMDB's ids for some of `genres`. */
  genre_ids?: TmdbGenre[]
}

export interface MovieOutcome<T> {
  row: MovieRow<T>
  /** The movie the row now is (absent when refused). */
  movie_id?: string
  status: 'created' | 'updated' | 'unchanged' | 'rejected'
  reason?: string
}

/** Genre names, and genre ids, already written by this run, so each is written once. */
export interface GenreCache {
  names: Set<string>
  /** `<tmdb_genre_id>:<name>` */
  ids: Set<string>
}

export function newGenreCache(): GenreCache {
  return { names: new Set(), ids: new Set() }
}

const genreIdKey = (genre: TmdbGenre): string => `${genre.tmdb_genre_id}:${genre.name}`

/**
 * The genre ids of `part` not yet written by this run, each id once (its first name wins within
 * the batch as it does in the graph), in name order like the genres themselves.
 */
function pendingGenreIds(part: readonly MovieRow<unknown>[], cache: GenreCache): TmdbGenre[] {
  const byId = new Map<number, TmdbGenre>()
  for (const genre of part.flatMap((row) => row.genre_ids ?? [])) {
    if (!cache.ids.has(genreIdKey(genre)) && !byId.has(genre.tmdb_genre_id))
      byId.set(genre.tmdb_genre_id, genre)
  }
  return [...byId.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

/**
 * Plans and writes one batch of movie rows in one transaction. A row refused by a uniqueness
 * constraint at write time (another writer took the key in between) is refused alone.
 */
export async function writeMovieBatch<T>(
  db: Database,
  fileRun: FileRun,
  batch: MovieRow<T>[],
  genres: GenreCache,
  mergeKey: 'movielens_id' | 'tmdb_id',
  plan: (row: MovieRow<T>, found: MovieCandidates) => MoviePlan
): Promise<MovieOutcome<T>[]> {
  const outcomes: MovieOutcome<T>[] = []
  const attempt = async (part: MovieRow<T>[]): Promise<void> => {
    const names = [...new Set(part.flatMap((row) => row.genres))]
      .filter((name) => !genres.names.has(name))
      .sort()
    const ids = pendingGenreIds(part, genres)
    const done = await writeBatch(db, fileRun, async (tx) => {
      if (names.length > 0) await tx.run(ENSURE_GENRES, { names })
      if (ids.length > 0) {
        const rows = ids.map((genre) => ({ name: genre.name, tmdb_genre_id: int(genre.tmdb_genre_id) }))
        await tx.run(ENSURE_GENRE_TMDB_IDS, { genres: rows })
      }
      return planAndWrite(tx, part, mergeKey, plan)
    })
    for (const name of names) genres.names.add(name)
    for (const genre of ids) genres.ids.add(genreIdKey(genre))
    outcomes.push(...done)
  }
  await writeOrSplit(batch, attempt, async (row, reason) => {
    outcomes.push({ row, status: 'rejected', reason })
  })
  return outcomes
}

async function planAndWrite<T>(
  tx: ManagedTransaction,
  part: MovieRow<T>[],
  mergeKey: 'movielens_id' | 'tmdb_id',
  plan: (row: MovieRow<T>, found: MovieCandidates) => MoviePlan
): Promise<MovieOutcome<T>[]> {
  const keys = part.map(({ keys: k }) => ({
    key: int(k.key),
    tmdb_id: k.tmdb_id === null ? null : int(k.tmdb_id),
    imdb_id: k.imdb_id,
    movielens_id: k.movielens_id === null ? null : int(k.movielens_id),
    movie_id: k.movie_id
  }))
  const candidates = new Map<number, MovieCandidates>()
  for (const found of rows<MovieCandidates & { key: number }>(
    await tx.run(MOVIE_CANDIDATES, { rows: keys })
  )) {
    candidates.set(found.key, found)
  }
  const outcomes: MovieOutcome<T>[] = []
  const writes: Array<{ row: MovieRow<T>; params: Record<string, unknown> }> = []
  // Rows are planned against the graph as it was before the batch: two rows of one batch that
  // land on one movie would overwrite each other's keys, so the second is refused.
  const claimed = new Map<string, MovieRow<T>>()
  for (const row of part) {
    const decided = plan(
      row,
      candidates.get(row.keys.key) ?? { by_tmdb: null, by_imdb: null, by_movielens: null, by_movie_id: null }
    )
    const claimant = decided.kind === 'reject' ? undefined : claimed.get(decided.movie_id)
    if (decided.kind !== 'reject' && claimant) {
      outcomes.push({
        row,
        status: 'rejected',
        reason: `matches movie ${decided.movie_id}, which line ${claimant.located.lineNumber} already matched`
      })
      continue
    }
    if (decided.kind !== 'reject') claimed.set(decided.movie_id, row)
    if (decided.kind === 'reject') outcomes.push({ row, status: 'rejected', reason: decided.reason })
    else if (decided.kind === 'unchanged')
      outcomes.push({ row, movie_id: decided.movie_id, status: 'unchanged' })
    else {
      writes.push({
        row,
        params: {
          key: int(row.keys.key),
          create: decided.create,
          movie_id: decided.movie_id,
          props: movieProps(decided.props),
          release_date: decided.release_date,
          genres: decided.genres
        }
      })
    }
  }
  if (writes.length > 0) {
    const written = new Map<number, { movie_id: string; created: boolean }>()
    const result = await tx.run(writeMovies(mergeKey), { rows: writes.map((w) => w.params) })
    for (const r of rows<{ key: number; movie_id: string; created: boolean }>(result)) written.set(r.key, r)
    for (const { row } of writes) {
      const done = written.get(row.keys.key)
      outcomes.push(
        done
          ? { row, movie_id: done.movie_id, status: done.created ? 'created' : 'updated' }
          : { row, status: 'rejected', reason: 'the movie was deleted while the import ran' }
      )
    }
  }
  return outcomes
}
