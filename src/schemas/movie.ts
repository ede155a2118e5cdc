/**
 * Movies: what clients write, and what they read back. The aggregates (ratings, reviews) are
 * maintained by the rating and review writers, so no write schema here accepts them.
 */
import { Type } from 'typebox'
import type { Static, TSchema, TSchemaOptions, TUnsafe } from 'typebox'
import { DIRECTED_TYPES, SYMMETRIC_TYPES } from '../domain/relationship-types.js'
import { DateOnly, Id, PageQuery, Page, Timestamp } from './common.js'
import { GenreName, GenreNames } from './genre.js'

/**
 * `type: [T, 'null']` rather than anyOf: with type coercion on, Ajv would turn a null sent for
 * an anyOf string branch into '' (and for an integer into 0) instead of keeping it null.
 */
export function Nullable<T extends TSchema>(
  schema: T,
  options: TSchemaOptions = {}
): TUnsafe<Static<T> | null> {
  const type = (schema as { type?: unknown }).type
  if (typeof type !== 'string') throw new Error('Nullable needs a schema with a single type')
  return Type.Unsafe<Static<T> | null>({ ...schema, ...options, type: [type, 'null'] })
}

/** A shared schema with its own description (spreading a schema would drop its TypeBox kind). */
function described<T extends TSchema>(schema: T, description: string): TUnsafe<Static<T>> {
  return Type.Unsafe<Static<T>>({ ...schema, description })
}

const INT32_MAX = 2_147_483_647

export const TmdbId = Type.Integer({ minimum: 1, maximum: INT32_MAX, description: 'TMDB id' })
export const ImdbId = Type.String({
  maxLength: 12,
  pattern: '^tt[0-9]{7,10}$',
  description: 'IMDb id, e.g. tt0111161'
})
export const MovielensId = Type.Integer({ minimum: 1, maximum: INT32_MAX })
export const Title = Type.String({
  minLength: 1,
  maxLength: 500,
  pattern: '\\S',
  description: 'Trimmed before storing'
})
export const OriginalTitle = Type.String({ minLength: 1, maxLength: 500 })
export const Overview = Type.String({ maxLength: 10_000 })
export const Year = Type.Integer({ minimum: 1870, maximum: 2100 })
export const ReleaseDate = Type.String({
  format: 'date',
  pattern: '^(18[7-9][0-9]|19[0-9]{2}|20[0-9]{2}|2100)-',
  description: 'YYYY-MM-DD, year 1870-2100'
})
export const Runtime = Type.Integer({ minimum: 0, maximum: 2000, description: 'Minutes' })
export const Language = Type.String({
  minLength: 2,
  maxLength: 35,
  pattern: '^[A-Za-z]{2,3}([_-][A-Za-z0-9]{1,8})*$',
  description: 'ISO 639 code, optionally with a region, e.g. en or pt-BR'
})
export const Popularity = Type.Number({ minimum: 0, maximum: 1e9 })
export const PosterPath = Type.String({ minLength: 1, maxLength: 500 })

/** The descriptive fields, all optional except the title; null means "not known". */
const optionalFields = {
  imdb_id: Type.Optional(Nullable(ImdbId)),
  movielens_id: Type.Optional(Nullable(MovielensId)),
  original_title: Type.Optional(Nullable(OriginalTitle)),
  overview: Type.Optional(Nullable(Overview)),
  release_date: Type.Optional(Nullable(ReleaseDate)),
  year: Type.Optional(
    Nullable(Year, {
      description:
        "Derived from release_date when omitted; must agree with release_date's year, and cannot be null " +
        'while release_date is set'
    })
  ),
  runtime: Type.Optional(Nullable(Runtime)),
  original_language: Type.Optional(Nullable(Language)),
  popularity: Type.Optional(Nullable(Popularity)),
  poster_path: Type.Optional(Nullable(PosterPath))
}

export const MovieCreate = Type.Object(
  {
    movie_id: Type.Optional(described(Id, 'A UUID is generated when omitted')),
    tmdb_id: Type.Optional(Nullable(TmdbId)),
    title: Title,
    ...optionalFields,
    genres: Type.Optional(GenreNames)
  },
  { additionalProperties: false, title: 'MovieCreate' }
)
export type MovieCreateBody = Static<typeof MovieCreate>

export const MovieReplace = Type.Object(
  {
    movie_id: Type.Optional(described(Id, 'Used when the movie is created; must match when it exists')),
    tmdb_id: Type.Optional(described(TmdbId, "Must equal the path's tmdb_id")),
    title: Title,
    ...optionalFields,
    genres: Type.Optional(
      described(GenreNames, "Replaces the movie's genres; omitted leaves them as they are")
    )
  },
  {
    additionalProperties: false,
    title: 'MovieReplace',
    description: 'The whole description of the movie: optional fields left out are cleared'
  }
)
export type MovieReplaceBody = Static<typeof MovieReplace>

export const MoviePatch = Type.Object(
  {
    tmdb_id: Type.Optional(Nullable(TmdbId)),
    title: Type.Optional(Title),
    ...optionalFields,
    genres: Type.Optional(described(GenreNames, "Replaces the movie's genres"))
  },
  {
    additionalProperties: false,
    minProperties: 1,
    title: 'MoviePatch',
    description: 'Fields to change; null clears an optional field'
  }
)
export type MoviePatchBody = Static<typeof MoviePatch>

const RatingSummary = Type.Object({
  count: Type.Integer({ minimum: 0 }),
  mean: Type.Union([Type.Number(), Type.Null()], { description: 'null until the first rating' })
})
const ReviewSummary = Type.Object({
  count: Type.Integer({ minimum: 0 }),
  sentiment_mean: Type.Union([Type.Number(), Type.Null()], { description: 'null until the first review' })
})

const movieProperties = {
  movie_id: Id,
  tmdb_id: Type.Union([Type.Integer(), Type.Null()]),
  imdb_id: Type.Union([Type.String(), Type.Null()]),
  movielens_id: Type.Union([Type.Integer(), Type.Null()]),
  title: Type.String(),
  original_title: Type.Union([Type.String(), Type.Null()]),
  overview: Type.Union([Type.String(), Type.Null()]),
  release_date: Type.Union([DateOnly, Type.Null()]),
  year: Type.Union([Type.Integer(), Type.Null()]),
  runtime: Type.Union([Type.Integer(), Type.Null()]),
  original_language: Type.Union([Type.String(), Type.Null()]),
  popularity: Type.Union([Type.Number(), Type.Null()]),
  poster_path: Type.Union([Type.String(), Type.Null()]),
  genres: Type.Array(Type.String(), { description: 'Genre names, sorted' }),
  ratings: RatingSummary,
  reviews: ReviewSummary,
  created_at: Timestamp,
  updated_at: Timestamp
}

export const Movie = Type.Object(movieProperties, { title: 'Movie' })
export type MovieBody = Static<typeof Movie>

/**
 * Edge counts per relationship type of the allow-list: a symmetric type is one number (edges
 * in either direction); a directed type is `{ out, in }`, where `out` counts edges from this
 * movie (e.g. SEQUEL_OF out: the movies this one is a sequel of) and `in` edges to it.
 */
export const RelationshipCounts = Type.Object(
  {
    ...Object.fromEntries(
      SYMMETRIC_TYPES.map((t) => [
        t,
        Type.Integer({ minimum: 0, description: `${t} edges, either direction` })
      ])
    ),
    ...Object.fromEntries(
      DIRECTED_TYPES.map((t) => [
        t,
        Type.Object({ out: Type.Integer({ minimum: 0 }), in: Type.Integer({ minimum: 0 }) })
      ])
    )
  },
  { title: 'RelationshipCounts', description: 'Symmetric types: a count; directed types: { out, in }' }
)

export const MovieDetail = Type.Object(
  { ...movieProperties, relationships: RelationshipCounts },
  { title: 'MovieDetail' }
)
export type MovieDetailBody = Static<typeof MovieDetail>

export const MovieParams = Type.Object({ movie_id: Id })
export const TmdbParams = Type.Object({ tmdb_id: TmdbId })

export const MOVIE_SORTS = ['title', 'year', 'rating', 'popularity', 'created'] as const
export type MovieSort = (typeof MOVIE_SORTS)[number]

export const MovieListQuery = Type.Object(
  {
    genre: Type.Optional(GenreName),
    year_from: Type.Optional(described(Year, 'Earliest year, inclusive; must not be after year_to')),
    year_to: Type.Optional(described(Year, 'Latest year, inclusive')),
    min_rating: Type.Optional(Type.Number({ minimum: 0, maximum: 10, description: 'Lowest ratings.mean' })),
    title_prefix: Type.Optional(
      Type.String({ minLength: 1, maxLength: 500, description: 'Case-insensitive' })
    ),
    sort: Type.Enum(MOVIE_SORTS, {
      default: 'title',
      description: 'Movies without the sort value (no year, no rating ...) come last in either order'
    }),
    order: Type.Enum(['asc', 'desc'], { default: 'asc' }),
    ...PageQuery
  },
  { additionalProperties: false }
)
export type MovieListQueryParams = Static<typeof MovieListQuery>

export const MoviePage = Page(Movie)
export type MoviePageBody = Static<typeof MoviePage>
