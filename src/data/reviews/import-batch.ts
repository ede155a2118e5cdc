/**
 * The batch import of reviews: items checked one by one, matched to their movie and to the review
 * already stored for their tweet_id (or review_id), and everything accepted written in one
 * transaction together with the movies' review aggregates.
 */
import { randomUUID } from 'node:crypto'
import { Value } from 'typebox/value'
import { int } from '../../db/convert.js'
import { rows } from '../../db/database.js'
import type { Database } from '../../db/database.js'
import { BatchReviewItem } from '../../schemas/review.js'
import type {
  BatchItemOutcome,
  BatchReviewInput,
  BatchReviewsResult,
  ReviewBody
} from '../../schemas/review.js'
import { newReviewProps, normalizeTimestamp, resolveSentiment } from './fields.js'
import {
  BATCH_APPLY_AGGREGATES,
  BATCH_CREATE_REVIEWS,
  BATCH_EXISTING_REVIEWS,
  BATCH_LOCK_MOVIES,
  BATCH_UPDATE_REVIEWS
} from './queries.js'

interface AcceptedItem {
  index: number
  item: BatchReviewInput
  /** Normalized created_at, or null when the item gave none. */
  created_at: string | null
}

interface MovieDelta {
  movie_id: string
  count_delta: number
  sum_delta: number
}

/** One validation error in words a client can act on; null for errors another one already explains. */
function describeError(e: ReturnType<typeof Value.Errors>[number]): string | null {
  const at = e.instancePath || '/'
  switch (e.keyword) {
    case 'if':
      return '/tweet_id is required when source is tweet'
    case 'anyOf':
      return e.instancePath === '' ? 'movie_id or tmdb_id is required' : `${at} ${e.message}`
    case 'required':
      // The movie alternatives are reported once, by their anyOf.
      return e.instancePath === '' &&
        e.params.requiredProperties.some((p) => p === 'movie_id' || p === 'tmdb_id')
        ? null
        : `${at} ${e.message}`
    case 'additionalProperties':
      return `unknown properties: ${e.params.additionalProperties.join(', ')}`
    case 'boolean':
      return null
    default:
      return `${at} ${e.message}`
  }
}

/** The first few validation messages of an item, as one readable line. */
function describeInvalid(item: unknown): string {
  const messages = Value.Errors(BatchReviewItem, item)
    .map(describeError)
    .filter((m): m is string => m !== null)
  return `invalid item: ${messages.slice(0, 3).join('; ') || 'does not match the review schema'}`
}

/**
 * Checks items one by one and rejects duplicates inside the batch (the first occurrence wins),
 * so that only items that could be written go on to the transaction.
 */
function screenItems(items: unknown[], results: BatchItemOutcome[]): AcceptedItem[] {
  const accepted: AcceptedItem[] = []
  const seenTweets = new Map<string, number>()
  const seenIds = new Map<string, number>()
  items.forEach((raw, index) => {
    if (!Value.Check(BatchReviewItem, raw)) {
      results[index] = { index, status: 'rejected', reason: describeInvalid(raw) }
      return
    }
    const item = raw as BatchReviewInput
    const created_at =
      item.created_at === undefined ? null : (normalizeTimestamp(item.created_at) ?? undefined)
    if (created_at === undefined) {
      results[index] = {
        index,
        status: 'rejected',
        reason: 'invalid item: /created_at is not a usable date-time'
      }
      return
    }
    if (item.tweet_id !== undefined) {
      const first = seenTweets.get(item.tweet_id)
      if (first !== undefined) {
        results[index] = {
          index,
          status: 'rejected',
          reason: `duplicate tweet_id ${item.tweet_id} in this batch (first at index ${first})`
        }
        return
      }
      seenTweets.set(item.tweet_id, index)
    }
    if (item.review_id !== undefined) {
      const first = seenIds.get(item.review_id)
      if (first !== undefined) {
        results[index] = {
          index,
          status: 'rejected',
          reason: `duplicate review_id '${item.review_id}' in this batch (first at index ${first})`
        }
        return
      }
      seenIds.set(item.review_id, index)
    }
    accepted.push({ index, item, created_at })
  })
  return accepted
}

/** A stored review; movie_id is null when its movie was deleted by hand and left it behind. */
type StoredReview = Omit<ReviewBody, 'movie_id'> & { movie_id: string | null }

type Plan =
  | { kind: 'reject'; reason: string }
  | { kind: 'create'; review_id: string; movie_id: string; props: Record<string, unknown>; score: number }
  | { kind: 'unchanged'; review_id: string }
  | {
      kind: 'update'
      review_id: string
      movie_id: string
      changes: Record<string, unknown>
      score_delta: number
      /** The review had no movie: it is linked to this one and counted in its aggregates. */
      relink: boolean
    }

/** Compares an item with the review already stored for it; only fields the item gives are compared. */
function planExisting(accepted: AcceptedItem, movie_id: string, existing: StoredReview): Plan {
  const { item, created_at } = accepted
  const relink = existing.movie_id === null
  const fixed: [string, unknown, unknown][] = [
    ['movie', movie_id, relink ? movie_id : existing.movie_id],
    ['source', item.source, existing.source],
    ['author_id', item.author_id, existing.author_id],
    ['created_at', created_at ?? undefined, existing.created_at]
  ]
  for (const [field, given, stored] of fixed) {
    if (given !== undefined && given !== stored) {
      return {
        kind: 'reject',
        reason: `review '${existing.review_id}' already exists with a different ${field}, which cannot change`
      }
    }
  }
  const target: Record<string, unknown> = {}
  for (const key of ['content', 'author', 'language', 'url', 'retweet_count'] as const) {
    if (item[key] !== undefined) target[key] = item[key]
  }
  const contentChanged = item.content !== existing.content
  if (item.sentiment_score !== undefined || contentChanged) {
    Object.assign(target, resolveSentiment(item.content, item))
  } else if (item.sentiment_label !== undefined) {
    target.sentiment_label = item.sentiment_label
  }
  const changes: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(target)) {
    if (value !== existing[key as keyof ReviewBody]) {
      changes[key] = key === 'retweet_count' ? int(value as number) : value
    }
  }
  if (Object.keys(changes).length === 0 && !relink) {
    return { kind: 'unchanged', review_id: existing.review_id }
  }
  const newScore = (changes.sentiment_score as number | undefined) ?? existing.sentiment_score
  return {
    kind: 'update',
    review_id: existing.review_id,
    movie_id,
    changes,
    // A relinked review enters its movie's aggregates whole; it left them when its movie went.
    score_delta: relink ? newScore : newScore - existing.sentiment_score,
    relink
  }
}

function planItem(
  accepted: AcceptedItem,
  movies: { byId: Map<string, number | null>; byTmdb: Map<number, string> },
  existing: { byTweet: Map<string, StoredReview>; byId: Map<string, StoredReview> }
): Plan {
  const { item } = accepted
  let movie_id: string | undefined
  if (item.movie_id !== undefined) {
    const tmdb = movies.byId.get(item.movie_id)
    if (tmdb !== undefined && (item.tmdb_id === undefined || item.tmdb_id === tmdb)) movie_id = item.movie_id
  } else if (item.tmdb_id !== undefined) {
    movie_id = movies.byTmdb.get(item.tmdb_id)
  }
  if (movie_id === undefined) {
    const named = [
      item.movie_id !== undefined ? `movie_id '${item.movie_id}'` : null,
      item.tmdb_id !== undefined ? `tmdb_id ${item.tmdb_id}` : null
    ]
    return { kind: 'reject', reason: `movie not found: no movie with ${named.filter(Boolean).join(' and ')}` }
  }

  const byTweet = item.tweet_id !== undefined ? existing.byTweet.get(item.tweet_id) : undefined
  if (byTweet) {
    if (item.review_id !== undefined && item.review_id !== byTweet.review_id) {
      return {
        kind: 'reject',
        reason: `tweet_id ${item.tweet_id} already belongs to review '${byTweet.review_id}'`
      }
    }
    return planExisting(accepted, movie_id, byTweet)
  }
  const byId = item.review_id !== undefined ? existing.byId.get(item.review_id) : undefined
  if (byId) {
    if (byId.tweet_id !== (item.tweet_id ?? null)) {
      return { kind: 'reject', reason: `review_id '${item.review_id}' is already taken by another review` }
    }
    return planExisting(accepted, movie_id, byId)
  }
  const review_id = item.review_id ?? randomUUID()
  const sentiment = resolveSentiment(item.content, item)
  return {
    kind: 'create',
    review_id,
    movie_id,
    props: newReviewProps(review_id, item, sentiment),
    score: sentiment.sentiment_score
  }
}

/**
 * Imports reviews idempotently by tweet_id (or review_id): new ones are created, known ones left
 * alone or updated in place, and bad items rejected with a reason without stopping the others.
 * Everything accepted is written in one transaction, a constant number of UNWIND statements.
 */
export async function importReviews(db: Database, items: unknown[]): Promise<BatchReviewsResult> {
  const screened: BatchItemOutcome[] = new Array(items.length)
  const accepted = screenItems(items, screened)
  const movie_ids = [
    ...new Set(accepted.flatMap((a) => (a.item.movie_id !== undefined ? [a.item.movie_id] : [])))
  ]
  const tmdb_ids = [
    ...new Set(accepted.flatMap((a) => (a.item.movie_id === undefined ? [a.item.tmdb_id!] : [])))
  ]
  const tweet_ids = accepted.flatMap((a) => (a.item.tweet_id !== undefined ? [a.item.tweet_id] : []))
  const review_ids = accepted.flatMap((a) => (a.item.review_id !== undefined ? [a.item.review_id] : []))

  // A unit of work may be retried: everything it decides is rebuilt from scratch on each attempt.
  const results = await db.write(async (tx) => {
    const results = [...screened]
    if (accepted.length === 0) return results

    const locked = rows<{ movie_id: string; tmdb_id: number | null }>(
      await tx.run(BATCH_LOCK_MOVIES, { movie_ids, tmdb_ids: tmdb_ids.map((t) => int(t)) })
    )
    const movies = { byId: new Map<string, number | null>(), byTmdb: new Map<number, string>() }
    for (const m of locked) {
      movies.byId.set(m.movie_id, m.tmdb_id)
      if (m.tmdb_id !== null) movies.byTmdb.set(m.tmdb_id, m.movie_id)
    }
    const stored = rows<{ review: StoredReview }>(
      await tx.run(BATCH_EXISTING_REVIEWS, { tweet_ids, review_ids })
    )
    const existing = {
      byTweet: new Map<string, StoredReview>(),
      byId: new Map<string, StoredReview>()
    }
    for (const { review } of stored) {
      if (review.tweet_id !== null) existing.byTweet.set(review.tweet_id, review)
      existing.byId.set(review.review_id, review)
    }

    const creates: Record<string, unknown>[] = []
    const updates: Record<string, unknown>[] = []
    const deltas = new Map<string, MovieDelta>(
      locked.map((m) => [m.movie_id, { movie_id: m.movie_id, count_delta: 0, sum_delta: 0 }])
    )
    for (const a of accepted) {
      const plan = planItem(a, movies, existing)
      const index = a.index
      switch (plan.kind) {
        case 'reject':
          results[index] = { index, status: 'rejected', reason: plan.reason }
          break
        case 'unchanged':
          results[index] = { index, status: 'unchanged', review_id: plan.review_id }
          break
        case 'create': {
          creates.push({
            movie_id: plan.movie_id,
            props: plan.props,
            created_at: a.created_at,
            author_id: a.item.author_id ?? null
          })
          const d = deltas.get(plan.movie_id)!
          d.count_delta += 1
          d.sum_delta += plan.score
          results[index] = { index, status: 'created', review_id: plan.review_id }
          break
        }
        case 'update': {
          updates.push({
            review_id: plan.review_id,
            changes: plan.changes,
            relink_to: plan.relink ? plan.movie_id : null
          })
          const d = deltas.get(plan.movie_id)!
          if (plan.relink) d.count_delta += 1
          d.sum_delta += plan.score_delta
          results[index] = { index, status: 'updated', review_id: plan.review_id }
          break
        }
      }
    }

    if (creates.length > 0) await tx.run(BATCH_CREATE_REVIEWS, { creates })
    if (updates.length > 0) await tx.run(BATCH_UPDATE_REVIEWS, { updates })
    if (deltas.size > 0) {
      const movieDeltas = [...deltas.values()].map((d) => ({ ...d, count_delta: int(d.count_delta) }))
      await tx.run(BATCH_APPLY_AGGREGATES, { movies: movieDeltas })
    }
    return results
  })

  const summary = { created: 0, unchanged: 0, updated: 0, rejected: 0 }
  for (const r of results) summary[r.status] += 1
  return { results, summary }
}
