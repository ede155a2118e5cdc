/** Ratings: one per user and movie, with the movie's aggregates kept exact in the same transaction. */
import { createHash } from 'node:crypto'
import type { Database } from '../../db/database.js'
import { rows } from '../../db/database.js'
import { int } from '../../db/convert.js'
import { NotFoundError, violation } from '../../errors.js'
import type {
  MovieRatingsPageValue,
  RatingBodyValue,
  RatingPageQueryValue,
  RatingSummaryValue,
  RatingValue,
  UserRatingValue,
  UserRatingsPageValue
} from '../../schemas/rating.js'
import {
  DELETE_RATING,
  MOVIE_RATINGS_PAGE,
  MOVIE_RATING_SUMMARY,
  UPSERT_RATING,
  USER_EXISTS,
  USER_RATINGS_PAGE
} from './queries.js'
import { afterParams, nextCursor } from './time-cursor.js'

const SORT = 'rated_at_desc'

/**
 * The id of a user's rating of a movie: the same pair always gives the same id, so the
 * uniqueness constraint makes concurrent first ratings merge instead of duplicating.
 */
export function ratingId(userId: string, movieId: string): string {
  // NUL cannot occur in an id, so no two pairs hash the same input.
  return createHash('sha256').update(`${userId}\u0000${movieId}`).digest('hex').slice(0, 32)
}

export interface ScoreFields {
  score: number
  original_score: number
  scale_min: number
  scale_max: number
}

/** The 0–10 score of a rating body, and what to keep of the value as given. */
export function scoreFields(body: RatingBodyValue): ScoreFields {
  if ('score' in body) return { score: body.score, original_score: body.score, scale_min: 0, scale_max: 10 }
  const { value, scale } = body
  if (!(scale.min < scale.max)) throw violation('body', '/scale', 'must have min < max')
  if (value < scale.min || value > scale.max) {
    throw violation('body', '/value', `must be within the scale ${scale.min}..${scale.max}`)
  }
  const exact = ((value - scale.min) / (scale.max - scale.min)) * 10
  const score = Math.min(10, Math.max(0, Math.round(exact * 10_000) / 10_000))
  return { score, original_score: value, scale_min: scale.min, scale_max: scale.max }
}

/** A timestamp as an ISO string Neo4j parses: the schema's date-time format admits leap seconds, Date does not. */
function ratedAtParam(ratedAt: string | undefined): string | null {
  if (ratedAt === undefined) return null
  const date = new Date(ratedAt)
  if (Number.isNaN(date.getTime()))
    throw violation('body', '/rated_at', 'is not a date-time this service can store')
  return date.toISOString()
}

export async function upsertRating(
  db: Database,
  movieId: string,
  userId: string,
  body: RatingBodyValue
): Promise<{ rating: RatingValue; created: boolean }> {
  const fields = scoreFields(body)
  const result = await db.writeRows<{ rating: RatingValue; created: boolean }>(UPSERT_RATING, {
    movie_id: movieId,
    user_id: userId,
    rating_id: ratingId(userId, movieId),
    ...fields,
    source: body.source ?? 'user',
    rated_at: ratedAtParam(body.rated_at)
  })
  const row = result[0]
  if (!row) throw new NotFoundError(`Movie ${movieId} does not exist`)
  return row
}

export async function deleteRating(db: Database, movieId: string, userId: string): Promise<void> {
  const result = await db.writeRows<{ found: boolean }>(DELETE_RATING, {
    movie_id: movieId,
    rating_id: ratingId(userId, movieId)
  })
  const row = result[0]
  if (!row) throw new NotFoundError(`Movie ${movieId} does not exist`)
  if (!row.found) throw new NotFoundError(`User ${userId} has not rated movie ${movieId}`)
}

interface PositionedRow<T> {
  rating: T
  position: string
}

export async function movieRatings(
  db: Database,
  movieId: string,
  query: RatingPageQueryValue
): Promise<MovieRatingsPageValue> {
  const after = afterParams(query.cursor, SORT)
  return db.read(async (tx) => {
    const [summary] = rows<RatingSummaryValue>(await tx.run(MOVIE_RATING_SUMMARY, { movie_id: movieId }))
    if (!summary) throw new NotFoundError(`Movie ${movieId} does not exist`)
    const fetched = rows<PositionedRow<RatingValue>>(
      await tx.run(MOVIE_RATINGS_PAGE, { movie_id: movieId, ...after, limit: int(query.limit + 1) })
    )
    const { page, next_cursor } = nextCursor(fetched, query.limit, SORT, (r) => ({
      key: r.position,
      id: r.rating.rating_id
    }))
    return { items: page.map((r) => r.rating), next_cursor, summary }
  })
}

export async function userRatings(
  db: Database,
  userId: string,
  query: RatingPageQueryValue
): Promise<UserRatingsPageValue> {
  const after = afterParams(query.cursor, SORT)
  return db.read(async (tx) => {
    const users = rows<{ user_id: string }>(await tx.run(USER_EXISTS, { user_id: userId }))
    if (users.length === 0) throw new NotFoundError(`User ${userId} does not exist`)
    const fetched = rows<PositionedRow<UserRatingValue>>(
      await tx.run(USER_RATINGS_PAGE, { user_id: userId, ...after, limit: int(query.limit + 1) })
    )
    const { page, next_cursor } = nextCursor(fetched, query.limit, SORT, (r) => ({
      key: r.position,
      id: r.rating.rating_id
    }))
    return { items: page.map((r) => r.rating), next_cursor }
  })
}
