/**
 * MovieLens CSV files (movies, ratings, links, tags) turned into clean records. Ids stay the
 * MovieLens integers here; the service's ids are derived from them by movieLensMovieId and
 * movieLensUserId, so a writer can first match a MovieLens movie to one it already holds.
 */
import { readCsv } from './csv.js'
import type { CsvRecord } from './csv.js'
import { decimalText, fail, integerText, ok, requiredText, show, unixSecondsToIso } from './fields.js'
import type { ParseResult } from './fields.js'
import type { Input } from './input.js'
import { naturalTitle } from './movielens-title.js'
import type { SourceRow } from './rows.js'
import { tmdbMovieId } from './tmdb.js'

export const MOVIELENS_COLUMNS = {
  movies: ['movieId', 'title', 'genres'],
  ratings: ['userId', 'movieId', 'rating', 'timestamp'],
  links: ['movieId', 'imdbId', 'tmdbId'],
  tags: ['userId', 'movieId', 'tag', 'timestamp']
} as const

export type MovieLensFile = keyof typeof MOVIELENS_COLUMNS

export const MOVIELENS_SCALE = Object.freeze({ min: 0.5, max: 5 } as const)
const STEP = 0.5
/** MovieLens stars are put on the service's 0–10 scale. */
const SCORE_FACTOR = 2
const NO_GENRES = '(no genres listed)'
// The first feature films; a trailing "(2525)" is part of a title, not a year.
const MIN_YEAR = 1870
const MAX_YEAR = 2100

export interface MovieLensMovie {
  movielens_id: number
  /** As people write it: "The Matrix", not "Matrix, The" (see movielens-title.ts). */
  title: string
  original_title: string | null
  aka_titles: string[]
  /** The title exactly as movies.csv gives it, year included. */
  ml_title: string
  year: number | null
  genres: string[]
}

export interface MovieLensRating {
  /**
   * The rating's key in MovieLens terms (`ml-<userId>-<movieId>`), one per user and movie. The
   * writer stores ratingId(user_id, movie_id) of the matched movie instead, the ratings API's id.
   */
  rating_id: string
  user_id: string
  movielens_id: number
  original_score: number
  original_scale: { min: 0.5; max: 5 }
  /** original_score on the service's 0–10 scale. */
  score: number
  rated_at: string
}

export interface MovieLensLink {
  movielens_id: number
  /** `tt` and at least seven digits. */
  imdb_id: string
  tmdb_id: number | null
}

export interface MovieLensTag {
  user_id: string
  movielens_id: number
  tag: string
  tagged_at: string
}

/** Reads one MovieLens file as rows, checking its header. */
export function readMovieLens(
  source: Input | AsyncIterable<Buffer | string>,
  file: MovieLensFile
): AsyncGenerator<SourceRow<CsvRecord>> {
  return readCsv(source, {
    columns: MOVIELENS_COLUMNS[file],
    name: 'path' in source ? undefined : `${file}.csv`
  })
}

export function movieLensUserId(userId: number): string {
  return `ml-${userId}`
}

export type MovieIdLookup = (movielensId: number) => string | undefined

/** The service's movie_id for a MovieLens movie: the one it was matched to, else `ml-<movieId>`. */
export function movieLensMovieId(movielensId: number, matched?: MovieIdLookup): string {
  return matched?.(movielensId) ?? `ml-${movielensId}`
}

/**
 * Matches MovieLens movies through links.csv to TMDB movies the service holds. `movieIdOfTmdb`
 * says which TMDB ids are held and under which movie_id (by default every one, as `tmdb-<id>`).
 */
export function matchThroughLinks(
  links: Iterable<MovieLensLink>,
  movieIdOfTmdb: (tmdbId: number) => string | undefined = tmdbMovieId
): MovieIdLookup {
  const byMovieLensId = new Map<number, number>()
  for (const link of links) if (link.tmdb_id !== null) byMovieLensId.set(link.movielens_id, link.tmdb_id)
  return (movielensId) => {
    const tmdbId = byMovieLensId.get(movielensId)
    return tmdbId === undefined ? undefined : movieIdOfTmdb(tmdbId)
  }
}

const TRAILING_YEAR = /^(.*?)\s*\((\d{4})(?:\s*[-–]\s*(?:\d{4})?)?\)\s*$/

/**
 * Splits the release year off a MovieLens title: "Seven (a.k.a. Se7en) (1995)" is "Seven (a.k.a.
 * Se7en)" from 1995; a series' "(1975-1979)" gives its first year; a title without one keeps it all.
 */
export function splitTitleYear(text: string): { title: string; year: number | null } {
  const trimmed = text.trim()
  const match = TRAILING_YEAR.exec(trimmed)
  if (match) {
    const year = Number(match[2])
    const title = (match[1] as string).trim()
    if (year >= MIN_YEAR && year <= MAX_YEAR && title !== '') return { title, year }
  }
  return { title: trimmed, year: null }
}

export function parseGenres(text: string): string[] {
  const genres: string[] = []
  for (const part of text.split('|')) {
    const genre = part.trim()
    if (genre !== '' && genre !== NO_GENRES && !genres.includes(genre)) genres.push(genre)
  }
  return genres
}

function movieLensId(record: CsvRecord, field: string): ParseResult<number> {
  const text = requiredText(record, field)
  return text.ok ? integerText(text.value, field) : text
}

export function parseMovieLensMovie(record: CsvRecord): ParseResult<MovieLensMovie> {
  const id = movieLensId(record, 'movieId')
  if (!id.ok) return id
  const rawTitle = requiredText(record, 'title')
  if (!rawTitle.ok) return rawTitle
  const genres = requiredText(record, 'genres')
  if (!genres.ok) return genres
  const { title, year } = splitTitleYear(rawTitle.value)
  return ok({
    movielens_id: id.value,
    ...naturalTitle(title),
    ml_title: rawTitle.value,
    year,
    genres: parseGenres(genres.value)
  })
}

/** A MovieLens rating as written ("3.5"), checked for range and half-star steps. */
export function parseMovieLensScore(text: string): ParseResult<number> {
  const value = decimalText(text, 'rating')
  if (!value.ok) return value
  const { min, max } = MOVIELENS_SCALE
  if (value.value < min || value.value > max) return fail(`rating ${text} is outside ${min}..${max}`)
  if (!Number.isInteger(value.value / STEP)) return fail(`rating ${text} is not a multiple of ${STEP}`)
  return ok(value.value)
}

export function parseMovieLensRating(record: CsvRecord): ParseResult<MovieLensRating> {
  const userId = movieLensId(record, 'userId')
  if (!userId.ok) return userId
  const movieId = movieLensId(record, 'movieId')
  if (!movieId.ok) return movieId
  const rating = requiredText(record, 'rating')
  if (!rating.ok) return rating
  const score = parseMovieLensScore(rating.value)
  if (!score.ok) return score
  const timestamp = requiredText(record, 'timestamp')
  if (!timestamp.ok) return timestamp
  const ratedAt = unixSecondsToIso(timestamp.value, 'timestamp')
  if (!ratedAt.ok) return ratedAt
  return ok({
    rating_id: `ml-${userId.value}-${movieId.value}`,
    user_id: movieLensUserId(userId.value),
    movielens_id: movieId.value,
    original_score: score.value,
    original_scale: MOVIELENS_SCALE,
    score: score.value * SCORE_FACTOR,
    rated_at: ratedAt.value
  })
}

/** IMDb's numeric part ("114709" or "0114709", also "tt0114709") as the `tt0114709` form. */
export function imdbIdFromDigits(text: string): ParseResult<string> {
  const digits = text.startsWith('tt') ? text.slice(2) : text
  if (!/^\d+$/.test(digits)) return fail(`imdbId must be digits, got ${show(text)}`)
  const value = digits.replace(/^0+/, '')
  if (value === '') return fail(`imdbId must not be zero`)
  return ok(`tt${value.padStart(7, '0')}`)
}

export function parseMovieLensLink(record: CsvRecord): ParseResult<MovieLensLink> {
  const id = movieLensId(record, 'movieId')
  if (!id.ok) return id
  const imdbText = requiredText(record, 'imdbId')
  if (!imdbText.ok) return imdbText
  const imdbId = imdbIdFromDigits(imdbText.value)
  if (!imdbId.ok) return imdbId
  // Some MovieLens movies have no TMDB entry: an empty tmdbId is allowed.
  const tmdbText = (record['tmdbId'] ?? '').trim()
  let tmdbId: number | null = null
  if (tmdbText !== '') {
    const parsed = integerText(tmdbText, 'tmdbId')
    if (!parsed.ok) return parsed
    tmdbId = parsed.value
  }
  return ok({ movielens_id: id.value, imdb_id: imdbId.value, tmdb_id: tmdbId })
}

export function parseMovieLensTag(record: CsvRecord): ParseResult<MovieLensTag> {
  const userId = movieLensId(record, 'userId')
  if (!userId.ok) return userId
  const movieId = movieLensId(record, 'movieId')
  if (!movieId.ok) return movieId
  const tag = requiredText(record, 'tag')
  if (!tag.ok) return tag
  const timestamp = requiredText(record, 'timestamp')
  if (!timestamp.ok) return timestamp
  const taggedAt = unixSecondsToIso(timestamp.value, 'timestamp')
  if (!taggedAt.ok) return taggedAt
  return ok({
    user_id: movieLensUserId(userId.value),
    movielens_id: movieId.value,
    tag: tag.value,
    tagged_at: taggedAt.value
  })
}
