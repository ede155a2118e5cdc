/**
 * Ratings. A client rates on the service's 0–10 scale (`{ score }`) or on its own scale
 * (`{ value, scale }`, e.g. MovieLens 0.5–5); either way the original value and scale are kept.
 */
import { Type } from 'typebox'
import type { Static } from 'typebox'
import { Id, Page, PageQuery, Timestamp } from './common.js'

export const RATING_SOURCES = ['user', 'movielens', 'tmdb', 'imdb', 'import'] as const
export const RatingSource = Type.Union(
  RATING_SOURCES.map((s) => Type.Literal(s)),
  { description: 'Where the rating came from (default user)' }
)
export type RatingSourceValue = Static<typeof RatingSource>

export const Score = Type.Number({ minimum: 0, maximum: 10, description: 'Score on the 0–10 scale' })

/** Bounds on foreign scales only keep arithmetic sane; no real scale comes near them. */
const ScaleBound = Type.Number({ minimum: -1_000_000, maximum: 1_000_000 })

export const Scale = Type.Object(
  { min: ScaleBound, max: ScaleBound },
  { additionalProperties: false, description: 'The scale a value was given on; min < max' }
)

const RatedAt = Type.Optional({ ...Timestamp, description: 'When the rating was given (default now)' })

export const RatingScoreBody = Type.Object(
  { score: Score, source: Type.Optional(RatingSource), rated_at: RatedAt },
  { additionalProperties: false, title: 'RatingScoreBody' }
)

export const RatingValueBody = Type.Object(
  { value: ScaleBound, scale: Scale, source: Type.Optional(RatingSource), rated_at: RatedAt },
  {
    additionalProperties: false,
    title: 'RatingValueBody',
    description:
      'A value on another scale, min ≤ value ≤ max; stored as score = (value − min) / (max − min) × 10, ' +
      'rounded to 4 decimals'
  }
)

export const RatingBody = Type.Union([RatingScoreBody, RatingValueBody])
export type RatingBodyValue = Static<typeof RatingBody>

export const Rating = Type.Object({
  rating_id: Type.String(),
  user_id: Id,
  movie_id: Id,
  score: Score,
  original_score: Type.Number(),
  original_scale: Type.Object({ min: Type.Number(), max: Type.Number() }),
  // Plain string on the way out: importers may record sources this API does not accept.
  source: Type.String(),
  rated_at: Timestamp,
  updated_at: Timestamp
})
export type RatingValue = Static<typeof Rating>

/** A rating as seen from the user who gave it: with the title of the rated movie. */
export const UserRating = Type.Object({
  ...Rating.properties,
  title: Type.Union([Type.String(), Type.Null()])
})
export type UserRatingValue = Static<typeof UserRating>

export const RatingBucket = Type.Object({
  bucket: Type.Integer({
    minimum: 0,
    maximum: 10,
    description: 'Whole points: scores from bucket to bucket + 1'
  }),
  count: Type.Integer({ minimum: 0 })
})

export const RatingSummary = Type.Object({
  count: Type.Integer({ minimum: 0 }),
  mean: Type.Union([Type.Number(), Type.Null()]),
  distribution: Type.Array(RatingBucket, { description: 'Always the eleven buckets 0..10; 10 holds only 10' })
})
export type RatingSummaryValue = Static<typeof RatingSummary>

export const MovieRatingsPage = Type.Object({ ...Page(Rating).properties, summary: RatingSummary })
export type MovieRatingsPageValue = Static<typeof MovieRatingsPage>

export const UserRatingsPage = Page(UserRating)
export type UserRatingsPageValue = Static<typeof UserRatingsPage>

export const MovieRatingParams = Type.Object({ movie_id: Id, user_id: Id })

export const RatingPageQuery = Type.Object(PageQuery, { additionalProperties: false })
export type RatingPageQueryValue = Static<typeof RatingPageQuery>
