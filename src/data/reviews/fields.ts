/**
 * Pure rules a review follows however it is written, one at a time or in a batch: its sentiment
 * (given or derived), the UTC millisecond timestamps it is stored with, and a new review's properties.
 */
import { int } from '../../db/convert.js'
import { labelFor, scoreSentiment } from '../../lib/sentiment.js'
import type { CreateReview, ReviewBody } from '../../schemas/review.js'

export type Sentiment = Pick<ReviewBody, 'sentiment_score' | 'sentiment_label'>

/** What the caller gave is kept; what is missing is derived (the score from content, the label from the score). */
export function resolveSentiment(
  content: string,
  given: { sentiment_score?: number; sentiment_label?: ReviewBody['sentiment_label'] }
): Sentiment {
  if (given.sentiment_score !== undefined) {
    return {
      sentiment_score: given.sentiment_score,
      sentiment_label: given.sentiment_label ?? labelFor(given.sentiment_score)
    }
  }
  const scored = scoreSentiment(content)
  return { sentiment_score: scored.score, sentiment_label: given.sentiment_label ?? scored.label }
}

/**
 * A client timestamp in the UTC, millisecond form reviews are stored in (so any offset is fine),
 * or undefined when it names no real instant. Cursor keys come through here too.
 */
export function normalizeTimestamp(value: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i.test(value)) return undefined
  const ms = Date.parse(value.toUpperCase())
  if (Number.isNaN(ms)) return undefined
  const iso = new Date(ms).toISOString()
  return /^\d{4}-/.test(iso) ? iso : undefined
}

/** Node properties of a new review; null values are simply not stored. */
export function newReviewProps(
  review_id: string,
  input: Pick<
    CreateReview,
    'source' | 'tweet_id' | 'author' | 'content' | 'language' | 'url' | 'retweet_count'
  >,
  sentiment: Sentiment
): Record<string, unknown> {
  return {
    review_id,
    source: input.source,
    tweet_id: input.tweet_id ?? null,
    author: input.author ?? null,
    content: input.content,
    language: input.language ?? null,
    url: input.url ?? null,
    sentiment_score: sentiment.sentiment_score,
    sentiment_label: sentiment.sentiment_label,
    retweet_count: int(input.retweet_count ?? 0)
  }
}
