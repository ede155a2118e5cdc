/** Genre data access: each function is one transaction and throws domain errors. */
import type { Database } from '../../db/database.js'
import { int } from '../../db/convert.js'
import { rows } from '../../db/database.js'
import { ConflictError, NotFoundError, invalidCursor } from '../../errors.js'
import { decodeCursor, encodeCursor } from '../../lib/cursor.js'
import type { GenreBody, GenreCreateBody, GenreListQueryParams, GenrePageBody } from '../../schemas/genre.js'
import { normalizeGenreName } from './names.js'
import { CREATE_GENRE, DELETE_GENRE, FIND_GENRE_BY_TMDB_ID, GET_GENRE, LIST_GENRES } from './queries.js'

const CURSOR_SORT = 'name'

export async function listGenres(db: Database, query: GenreListQueryParams): Promise<GenrePageBody> {
  const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor, CURSOR_SORT)
  if (cursor && typeof cursor.key !== 'string') {
    throw invalidCursor()
  }
  const found = await db.readRows<{ genre: GenreBody }>(LIST_GENRES, {
    name_prefix: query.name_prefix ?? null,
    after_name: cursor?.key ?? null,
    limit: int(query.limit + 1)
  })
  const page = found.slice(0, query.limit).map((r) => r.genre)
  const last = page[page.length - 1]
  const next =
    found.length > query.limit && last
      ? encodeCursor({ sort: CURSOR_SORT, key: last.name, id: last.name })
      : null
  return { items: page, next_cursor: next }
}

export async function getGenre(db: Database, name: string): Promise<GenreBody> {
  const key = normalizeGenreName(name)
  const [row] = await db.readRows<{ genre: GenreBody }>(GET_GENRE, { name: key })
  if (!row) throw new NotFoundError(`Genre ${JSON.stringify(key)} does not exist`, { name: key })
  return row.genre
}

export async function createGenre(db: Database, body: GenreCreateBody): Promise<GenreBody> {
  const name = normalizeGenreName(body.name)
  const tmdbGenreId = body.tmdb_genre_id === undefined ? null : int(body.tmdb_genre_id)
  let outcome: { genre: GenreBody } | { tmdbIdHolder: string }
  try {
    outcome = await db.write(async (tx) => {
      if (tmdbGenreId !== null) {
        const [holder] = rows<{ name: string }>(
          await tx.run(FIND_GENRE_BY_TMDB_ID, { tmdb_genre_id: tmdbGenreId })
        )
        if (holder) return { tmdbIdHolder: holder.name }
      }
      const [row] = rows<{ genre: GenreBody }>(
        await tx.run(CREATE_GENRE, { name, tmdb_genre_id: tmdbGenreId })
      )
      if (!row) throw new Error('CREATE returned no row')
      return { genre: row.genre }
    })
  } catch (err) {
    // The lookup above names the holder of a tmdb_genre_id; the constraint still refuses the one
    // of two concurrent creates that both found none.
    if (err instanceof ConflictError) {
      const fields = (err.details as { fields?: string[] } | undefined)?.fields ?? []
      if (fields.includes('tmdb_genre_id')) {
        throw new ConflictError(`Another genre already has tmdb_genre_id ${body.tmdb_genre_id}`, {
          fields: ['tmdb_genre_id']
        })
      }
      throw new ConflictError(`Genre ${JSON.stringify(name)} already exists`, { fields: ['name'] })
    }
    throw err
  }
  if ('tmdbIdHolder' in outcome) {
    throw new ConflictError(
      `Genre ${JSON.stringify(outcome.tmdbIdHolder)} already has tmdb_genre_id ${body.tmdb_genre_id}`,
      { fields: ['tmdb_genre_id'] }
    )
  }
  return outcome.genre
}

/** 409 while movies use the genre, unless forced (their IN_GENRE edges then go with it). */
export async function deleteGenre(db: Database, name: string, force: boolean): Promise<void> {
  const key = normalizeGenreName(name)
  const [row] = await db.writeRows<{ movie_count: number }>(DELETE_GENRE, { name: key, force })
  if (!row) throw new NotFoundError(`Genre ${JSON.stringify(key)} does not exist`, { name: key })
  if (row.movie_count > 0 && !force) {
    throw new ConflictError(
      `Genre ${JSON.stringify(key)} is used by ${row.movie_count} movie(s); pass force=true`,
      {
        movie_count: row.movie_count
      }
    )
  }
}
