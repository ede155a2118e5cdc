/** Genres: named buckets movies point at with IN_GENRE; the name is the key. */
import { Type } from 'typebox'
import type { Static } from 'typebox'
import { Id, PageQuery, Page, Timestamp } from './common.js'

/** Printable text with at least one non-space character; the service trims it before use. */
export const GenreName = Type.String({
  minLength: 1,
  maxLength: 100,
  pattern: '^(?=.*\\S)[^\\u0000-\\u001F\\u007F]+$',
  description: 'Genre name, 1-100 characters; surrounding whitespace is trimmed'
})

export const GenreNames = Type.Array(GenreName, {
  maxItems: 20,
  description: 'Genre names; duplicates are ignored and missing genres are created'
})

export const TmdbGenreId = Type.Integer({ minimum: 1, maximum: 2_147_483_647 })

export const Genre = Type.Object(
  {
    name: Type.String(),
    tmdb_genre_id: Type.Union([TmdbGenreId, Type.Null()]),
    created_at: Type.Union([Timestamp, Type.Null()]),
    movie_count: Type.Integer({ minimum: 0, description: 'Movies in this genre' })
  },
  { title: 'Genre' }
)
export type GenreBody = Static<typeof Genre>

export const GenreCreate = Type.Object(
  { name: GenreName, tmdb_genre_id: Type.Optional(TmdbGenreId) },
  { additionalProperties: false }
)
export type GenreCreateBody = Static<typeof GenreCreate>

export const GenreParams = Type.Object({ name: GenreName })

export const GenreListQuery = Type.Object(
  {
    name_prefix: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Case-sensitive' })),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 100 }),
    cursor: PageQuery.cursor
  },
  { additionalProperties: false }
)
export type GenreListQueryParams = Static<typeof GenreListQuery>

export const GenrePage = Page(Genre)
export type GenrePageBody = Static<typeof GenrePage>

export const GenreDeleteQuery = Type.Object(
  {
    force: Type.Boolean({
      default: false,
      description: 'Delete even while movies use the genre (their IN_GENRE edges go with it)'
    })
  },
  { additionalProperties: false }
)

export const MovieGenresBody = Type.Object({ genres: GenreNames }, { additionalProperties: false })
export type MovieGenresBodyType = Static<typeof MovieGenresBody>

export const MovieGenres = Type.Object(
  { movie_id: Id, genres: Type.Array(Type.String(), { description: 'Sorted by name' }) },
  { title: 'MovieGenres' }
)
export type MovieGenresType = Static<typeof MovieGenres>
