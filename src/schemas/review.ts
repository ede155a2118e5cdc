/**
 * Reviews: what a client sends, what it gets back, and the batch import shapes.
 * tweet_id is always a string of digits: tweet ids exceed 2^53, so a JSON number would lose digits.
 */
import { Type } from 'typebox'
import type { Static, TSchema } from 'typebox'
import { Id, Page, PageQuery, Timestamp } from './common.js'
import { TmdbId } from './movie.js'

export const REVIEW_SOURCES = ['tweet', 'tmdb', 'user'] as const
export const SENTIMENT_LABELS = ['positive', 'neutral', 'negative'] as const

export const ReviewSource = Type.Enum(REVIEW_SOURCES, { description: 'Where the review came from' })
export const SentimentLabel = Type.Enum(SENTIMENT_LABELS)
export const TweetId = Type.String({
  pattern: '^[0-9]{1,19}$',
  description: 'Tweet id as a string of digits (never a JSON number: ids exceed 2^53)'
})
export const SentimentScore = Type.Number({ minimum: -1, maximum: 1, description: 'VADER compound score' })
export const ReviewContent = Type.String({ minLength: 1, maxLength: 10_000 })
export const Author = Type.String({ minLength: 1, maxLength: 200, description: 'Display name' })
export const Language = Type.String({
  minLength: 2,
  maxLength: 35,
  pattern: '^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$',
  description: 'BCP-47 language tag, e.g. en or pt-BR'
})
// http(s) only: clients render these as links, and javascript: or data: URIs have no place there.
export const ReviewUrl = Type.String({ format: 'uri', maxLength: 2048, pattern: '^https?://' })
// RFC 3339 without leap seconds or zone-name suffixes, which neither JavaScript nor Neo4j can place.
export const CreatedAt = Type.String({
  format: 'date-time',
  pattern:
    '^\\d{4}-\\d{2}-\\d{2}[Tt]([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(\\.\\d{1,9})?([Zz]|[+-]([01]\\d|2[0-3]):[0-5]\\d)$',
  description: 'ISO-8601 date-time with an offset; stored in UTC with millisecond precision'
})
export const RetweetCount = Type.Integer({ minimum: 0, maximum: 1_000_000_000_000 })

/** Fields a review is created with, shared by the single POST and the batch items. */
const createFields = {
  review_id: Type.Optional(Id),
  source: ReviewSource,
  tweet_id: Type.Optional(TweetId),
  author: Type.Optional(Author),
  author_id: Type.Optional(Id),
  content: ReviewContent,
  language: Type.Optional(Language),
  created_at: Type.Optional(CreatedAt),
  url: Type.Optional(ReviewUrl),
  sentiment_score: Type.Optional(SentimentScore),
  sentiment_label: Type.Optional(SentimentLabel),
  retweet_count: Type.Optional(RetweetCount)
}

// A tweet review without its tweet id could never be matched again by a re-import.
const tweetNeedsTweetId = {
  if: { properties: { source: { const: 'tweet' } }, required: ['source'] },
  then: { properties: { tweet_id: TweetId }, required: ['tweet_id'] }
}

export const CreateReviewBody = Type.Object(createFields, {
  additionalProperties: false,
  ...tweetNeedsTweetId,
  description:
    'sentiment_score is computed from content when absent; sentiment_label is derived from the score when absent'
})
export type CreateReview = Static<typeof CreateReviewBody>

export const BatchReviewItem = Type.Object(
  {
    ...createFields,
    movie_id: Type.Optional(Id),
    tmdb_id: Type.Optional(TmdbId)
  },
  {
    additionalProperties: false,
    ...tweetNeedsTweetId,
    anyOf: [{ required: ['movie_id'] }, { required: ['tmdb_id'] }],
    description: 'A review plus movie_id or tmdb_id naming its movie'
  }
)
export type BatchReviewInput = Static<typeof BatchReviewItem>

export const MAX_BATCH_ITEMS = 1000

export const BatchReviewsBody = Type.Object(
  {
    reviews: Type.Array(
      // Items are checked one by one so that a bad item is rejected alone, not the whole batch.
      Type.Unknown({ description: 'A BatchReviewItem: the create body plus movie_id or tmdb_id' }),
      { minItems: 1, maxItems: MAX_BATCH_ITEMS }
    )
  },
  { additionalProperties: false }
)
export type BatchReviews = Static<typeof BatchReviewsBody>

export const BATCH_STATUSES = ['created', 'unchanged', 'updated', 'rejected'] as const
export type BatchStatus = (typeof BATCH_STATUSES)[number]

export const BatchItemResult = Type.Object({
  index: Type.Integer({ minimum: 0 }),
  status: Type.Enum(BATCH_STATUSES),
  review_id: Type.Optional(Id),
  reason: Type.Optional(Type.String())
})
export type BatchItemOutcome = Static<typeof BatchItemResult>

export const BatchReviewsResponse = Type.Object({
  results: Type.Array(BatchItemResult),
  summary: Type.Object({
    created: Type.Integer(),
    unchanged: Type.Integer(),
    updated: Type.Integer(),
    rejected: Type.Integer()
  })
})
export type BatchReviewsResult = Static<typeof BatchReviewsResponse>

export const UpdateReviewBody = Type.Object(
  {
    content: Type.Optional(ReviewContent),
    author: Type.Optional(Type.Union([Author, Type.Null()])),
    language: Type.Optional(Type.Union([Language, Type.Null()])),
    url: Type.Optional(Type.Union([ReviewUrl, Type.Null()])),
    sentiment_score: Type.Optional(SentimentScore),
    sentiment_label: Type.Optional(SentimentLabel)
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description: 'null clears author, language or url; new content without a sentiment_score is re-scored'
  }
)
export type UpdateReview = Static<typeof UpdateReviewBody>

const nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()])

export const Review = Type.Object(
  {
    review_id: Id,
    movie_id: Id,
    source: ReviewSource,
    tweet_id: nullable(Type.String()),
    author: nullable(Type.String()),
    author_id: nullable(Type.String()),
    content: Type.String(),
    language: nullable(Type.String()),
    url: nullable(Type.String()),
    created_at: Timestamp,
    updated_at: Timestamp,
    sentiment_score: Type.Number(),
    sentiment_label: SentimentLabel,
    retweet_count: Type.Integer()
  },
  { title: 'Review' }
)
export type ReviewBody = Static<typeof Review>

export const ReviewPage = Page(Review)
export type ReviewPageBody = Static<typeof ReviewPage>

export const ReviewIdParams = Type.Object({ review_id: Id })
export const TweetIdParams = Type.Object({ tweet_id: TweetId })

export const ListReviewsQuery = Type.Object(
  {
    ...PageQuery,
    source: Type.Optional(ReviewSource),
    sentiment: Type.Optional(SentimentLabel)
  },
  { additionalProperties: false }
)
export type ListReviews = Static<typeof ListReviewsQuery>
