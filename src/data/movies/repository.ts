/** Movie data access: each function is one transaction and throws domain errors. */
import { randomUUID } from 'node:crypto'
import type { ManagedTransaction } from 'neo4j-driver'
import type { Database } from '../../db/database.js'
import { int } from '../../db/convert.js'
import { rows } from '../../db/database.js'
import { ConflictError, NotFoundError, invalidCursor, violation } from '../../errors.js'
import { decodeCursor, encodeCursor } from '../../lib/cursor.js'
import type { CursorValue } from '../../lib/cursor.js'
import type {
  MovieBody,
  MovieCreateBody,
  MovieDetailBody,
  MovieListQueryParams,
  MoviePageBody,
  MoviePatchBody,
  MovieReplaceBody
} from '../../schemas/movie.js'
import type { MovieGenresType } from '../../schemas/genre.js'
import { normalizeGenreNames } from '../genres/names.js'
import { checkYearRange } from '../list-params.js'
import { changesAnything, completeFields, patchFields, toParams } from './fields.js'
import type { MovieFields } from './fields.js'
import {
  CREATE_MOVIE,
  DELETE_MOVIE,
  FIND_MOVIE_KEY_CONFLICTS,
  GET_MOVIE,
  GET_MOVIE_BY_TMDB,
  LOCK_MOVIE_FOR_UPDATE,
  PATCH_MOVIE,
  REPLACE_MOVIE_GENRES,
  UPSERT_MOVIE_BY_TMDB,
  listMoviesQuery
} from './queries.js'

function notFound(movieId: string): NotFoundError {
  return new NotFoundError(`Movie ${movieId} does not exist`, { movie_id: movieId })
}

async function detailIn(tx: ManagedTransaction, movieId: string): Promise<MovieDetailBody> {
  const [row] = rows<{ movie: MovieDetailBody }>(await tx.run(GET_MOVIE, { movie_id: movieId }))
  if (!row) throw notFound(movieId)
  return row.movie
}

interface KeyCandidates {
  movie_id?: string | null
  tmdb_id?: number | null
  imdb_id?: string | null
  /** The movie being written, which cannot conflict with itself. */
  self_movie_id?: string | null
  self_tmdb_id?: number | null
}

/**
 * Runs a write and, when a uniqueness constraint refuses it, asks the data which key is taken so
 * the 409 can name it. The explanation is best-effort: a racing delete may leave nothing to name.
 */
async function withKeyConflicts<T>(db: Database, keys: KeyCandidates, write: () => Promise<T>): Promise<T> {
  try {
    return await write()
  } catch (err) {
    if (!(err instanceof ConflictError)) throw err
    const [row] = await db.readRows<{ fields: string[] }>(FIND_MOVIE_KEY_CONFLICTS, {
      movie_id: keys.movie_id ?? null,
      tmdb_id: keys.tmdb_id == null ? null : int(keys.tmdb_id),
      imdb_id: keys.imdb_id ?? null,
      self_movie_id: keys.self_movie_id ?? null,
      self_tmdb_id: keys.self_tmdb_id == null ? null : int(keys.self_tmdb_id)
    })
    const fields = row?.fields ?? []
    const message =
      fields.length > 0
        ? `Another movie already has this ${fields.join(' and ')}`
        : 'The write conflicts with an existing movie'
    throw new ConflictError(message, { fields })
  }
}

export async function getMovie(db: Database, movieId: string): Promise<MovieDetailBody> {
  const [row] = await db.readRows<{ movie: MovieDetailBody }>(GET_MOVIE, { movie_id: movieId })
  if (!row) throw notFound(movieId)
  return row.movie
}

export async function getMovieByTmdbId(db: Database, tmdbId: number): Promise<MovieDetailBody> {
  const [row] = await db.readRows<{ movie: MovieDetailBody }>(GET_MOVIE_BY_TMDB, { tmdb_id: int(tmdbId) })
  if (!row) throw new NotFoundError(`No movie has tmdb_id ${tmdbId}`, { tmdb_id: tmdbId })
  return row.movie
}

export async function createMovie(db: Database, body: MovieCreateBody): Promise<MovieDetailBody> {
  const fields = completeFields(body)
  const movieId = body.movie_id ?? randomUUID()
  const genres = normalizeGenreNames(body.genres ?? [])
  return withKeyConflicts(db, { movie_id: movieId, tmdb_id: fields.tmdb_id, imdb_id: fields.imdb_id }, () =>
    db.write(async (tx) => {
      await tx.run(CREATE_MOVIE, { movie_id: movieId, props: toParams(fields), genres })
      return detailIn(tx, movieId)
    })
  )
}

/** PUT by tmdb_id: creates or replaces the description; `created` tells 201 from 200. */
export async function upsertMovieByTmdbId(
  db: Database,
  tmdbId: number,
  body: MovieReplaceBody
): Promise<{ created: boolean; movie: MovieDetailBody }> {
  if (body.tmdb_id !== undefined && body.tmdb_id !== tmdbId) {
    throw violation('body', '/tmdb_id', `must equal the path's tmdb_id ${tmdbId}, not ${body.tmdb_id}`)
  }
  const fields: MovieFields = { ...completeFields(body), tmdb_id: tmdbId }
  const genres = body.genres === undefined ? null : normalizeGenreNames(body.genres)
  // Fixed outside the transaction function so that a retry proposes the same id.
  const newMovieId = body.movie_id ?? randomUUID()
  const keys = { movie_id: body.movie_id, imdb_id: fields.imdb_id, self_tmdb_id: tmdbId }
  const result = await withKeyConflicts(db, keys, () =>
    db.write(async (tx) => {
      const [row] = rows<{ movie_id: string; created: boolean }>(
        await tx.run(UPSERT_MOVIE_BY_TMDB, {
          tmdb_id: int(tmdbId),
          movie_id: body.movie_id ?? null,
          new_movie_id: newMovieId,
          props: toParams(fields),
          genres
        })
      )
      if (!row) return undefined
      return { created: row.created, movie: await detailIn(tx, row.movie_id) }
    })
  )
  if (!result) {
    throw new ConflictError(`The movie with tmdb_id ${tmdbId} has another movie_id; movie_id cannot change`, {
      fields: ['movie_id']
    })
  }
  return result
}

export async function patchMovie(
  db: Database,
  movieId: string,
  patch: MoviePatchBody
): Promise<MovieDetailBody> {
  const genres = patch.genres === undefined ? null : normalizeGenreNames(patch.genres)
  const keys = { tmdb_id: patch.tmdb_id, imdb_id: patch.imdb_id, self_movie_id: movieId }
  return withKeyConflicts(db, keys, () =>
    db.write(async (tx) => {
      const [current] = rows<{ fields: MovieFields; genres: string[] }>(
        await tx.run(LOCK_MOVIE_FOR_UPDATE, { movie_id: movieId })
      )
      if (!current) throw notFound(movieId)
      const set = patchFields(patch, current.fields)
      const changed =
        changesAnything(set, current.fields) || (genres !== null && !sameList(genres, current.genres))
      const { release_date, ...rest } = set
      await tx.run(PATCH_MOVIE, {
        movie_id: movieId,
        set: toParams(rest),
        set_release_date: release_date !== undefined,
        release_date: release_date ?? null,
        changed,
        genres
      })
      return detailIn(tx, movieId)
    })
  )
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i])
}

export async function replaceMovieGenres(
  db: Database,
  movieId: string,
  names: string[]
): Promise<MovieGenresType> {
  const genres = normalizeGenreNames(names)
  const [row] = await db.writeRows<MovieGenresType>(REPLACE_MOVIE_GENRES, { movie_id: movieId, genres })
  if (!row) throw notFound(movieId)
  return row
}

export async function deleteMovie(db: Database, movieId: string): Promise<void> {
  const [row] = await db.writeRows<{ deleted: number }>(DELETE_MOVIE, { movie_id: movieId })
  if (!row || row.deleted === 0) throw notFound(movieId)
}

/** Cursor keys as the sort stores them: a forged cursor must fail as a 400, never reach Cypher. */
function checkCursorKey(sort: MovieListQueryParams['sort'], key: CursorValue): unknown {
  if (key === null) return null
  if (sort === 'title' && typeof key === 'string') return key
  if ((sort === 'year' || sort === 'rating' || sort === 'popularity') && typeof key === 'number') return key
  if (sort === 'created' && typeof key === 'string') {
    const match = /^(-?\d{1,12})\.(\d{9})$/.exec(key)
    if (match) return [int(Number(match[1])), int(Number(match[2]))]
  }
  throw invalidCursor()
}

/** The cursor key of a row as the next request will send it back. */
function cursorKeyOf(sort: MovieListQueryParams['sort'], value: unknown): CursorValue {
  if (sort === 'created') {
    const [seconds, nanos] = (value as [number | null, number | null] | null) ?? [null, null]
    if (seconds === null || nanos === null) return null
    return `${seconds}.${String(nanos).padStart(9, '0')}`
  }
  return value as CursorValue
}

export async function listMovies(db: Database, query: MovieListQueryParams): Promise<MoviePageBody> {
  checkYearRange(query, 'querystring')
  // The order is part of the cursor's sort name: a page boundary means nothing in the other order.
  const sortName = `${query.sort}:${query.order}`
  const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor, sortName)
  const afterKey = cursor === undefined ? undefined : checkCursorKey(query.sort, cursor.key)
  const text = listMoviesQuery({
    sort: query.sort,
    order: query.order,
    genre: query.genre !== undefined,
    yearFrom: query.year_from !== undefined,
    yearTo: query.year_to !== undefined,
    minRating: query.min_rating !== undefined,
    titlePrefix: query.title_prefix !== undefined,
    after: cursor === undefined ? null : afterKey === null ? 'null-key' : 'key'
  })
  const found = await db.readRows<{ movie: MovieBody; cursor_key: unknown }>(text, {
    genre: query.genre?.trim() ?? null,
    year_from: query.year_from === undefined ? null : int(query.year_from),
    year_to: query.year_to === undefined ? null : int(query.year_to),
    min_rating: query.min_rating ?? null,
    title_prefix: query.title_prefix ?? null,
    after_key: afterKey ?? null,
    after_id: cursor?.id ?? null,
    limit: int(query.limit + 1)
  })
  const page = found.slice(0, query.limit)
  const last = page[page.length - 1]
  const nextCursor =
    found.length > query.limit && last
      ? encodeCursor({
          sort: sortName,
          key: cursorKeyOf(query.sort, last.cursor_key),
          id: last.movie.movie_id
        })
      : null
  return { items: page.map((r) => r.movie), next_cursor: nextCursor }
}
