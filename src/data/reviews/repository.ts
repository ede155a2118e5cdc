/** Data access for reviews, one at a time, including the movie's review aggregates they keep up to date. */
import { randomUUID } from 'node:crypto'
import type { ManagedTransaction } from 'neo4j-driver'
import { int } from '../../db/convert.js'
import { rows } from '../../db/database.js'
import type { Database } from '../../db/database.js'
import { ConflictError, NotFoundError, invalidCursor, violation } from '../../errors.js'
import { decodeCursor, encodeCursor } from '../../lib/cursor.js'
import type {
  CreateReview,
  ListReviews,
  ReviewBody,
  ReviewPageBody,
  UpdateReview
} from '../../schemas/review.js'
import { newReviewProps, normalizeTimestamp, resolveSentiment } from './fields.js'
import {
  CREATE_REVIEW,
  DELETE_REVIEW,
  GET_REVIEW,
  GET_REVIEW_BY_TWEET,
  LIST_MOVIE_REVIEWS,
  LOCK_MOVIE_FOR_CREATE,
  LOCK_MOVIE_OF_REVIEW,
  UPDATE_REVIEW
} from './queries.js'

const SORT = 'created_at_desc'

function requireTimestamp(value: string | undefined, field: string): string | null {
  if (value === undefined) return null
  const iso = normalizeTimestamp(value)
  if (iso === undefined) throw violation('body', `/${field}`, 'is not a usable date-time')
  return iso
}

export async function createReview(db: Database, movie_id: string, input: CreateReview): Promise<ReviewBody> {
  const created_at = requireTimestamp(input.created_at, 'created_at')
  const review_id = input.review_id ?? randomUUID()
  const props = newReviewProps(review_id, input, resolveSentiment(input.content, input))
  const tweet_id = input.tweet_id ?? null
  return db.write(async (tx) => {
    const [lock] = rows<{ review_id_taken: boolean; tweet_id_taken_by: string | null }>(
      await tx.run(LOCK_MOVIE_FOR_CREATE, { movie_id, review_id, tweet_id })
    )
    if (!lock) throw new NotFoundError(`Movie '${movie_id}' does not exist`, { movie_id })
    if (lock.tweet_id_taken_by !== null) {
      throw new ConflictError(`tweet_id ${tweet_id} already has a review`, {
        field: 'tweet_id',
        review_id: lock.tweet_id_taken_by
      })
    }
    if (lock.review_id_taken) {
      throw new ConflictError(`review_id '${review_id}' is already taken`, { field: 'review_id' })
    }
    const [row] = rows<{ review: ReviewBody }>(
      await tx.run(CREATE_REVIEW, { movie_id, props, created_at, author_id: input.author_id ?? null })
    )
    if (!row) throw new NotFoundError(`Movie '${movie_id}' does not exist`, { movie_id })
    return row.review
  })
}

export async function getReview(db: Database, review_id: string): Promise<ReviewBody> {
  const [row] = await db.readRows<{ review: ReviewBody }>(GET_REVIEW, { review_id })
  if (!row) throw new NotFoundError(`Review '${review_id}' does not exist`, { review_id })
  return row.review
}

export async function getReviewByTweet(db: Database, tweet_id: string): Promise<ReviewBody> {
  const [row] = await db.readRows<{ review: ReviewBody }>(GET_REVIEW_BY_TWEET, { tweet_id })
  if (!row) throw new NotFoundError(`No review for tweet_id ${tweet_id}`, { tweet_id })
  return row.review
}

export async function listMovieReviews(
  db: Database,
  movie_id: string,
  query: ListReviews
): Promise<ReviewPageBody> {
  let after: { created_at: string; review_id: string } | null = null
  if (query.cursor !== undefined) {
    const cursor = decodeCursor(query.cursor, SORT)
    const created_at = typeof cursor.key === 'string' ? normalizeTimestamp(cursor.key) : undefined
    if (created_at === undefined) {
      throw invalidCursor()
    }
    after = { created_at, review_id: cursor.id }
  }
  const [row] = await db.readRows<{ items: ReviewBody[] }>(LIST_MOVIE_REVIEWS, {
    movie_id,
    source: query.source ?? null,
    sentiment: query.sentiment ?? null,
    after_created_at: after?.created_at ?? null,
    after_review_id: after?.review_id ?? null,
    // One row more than the page tells whether another page follows.
    limit: int(query.limit + 1)
  })
  if (!row) throw new NotFoundError(`Movie '${movie_id}' does not exist`, { movie_id })
  const items = row.items.slice(0, query.limit)
  const last = items[items.length - 1]
  const next_cursor =
    row.items.length > query.limit && last
      ? encodeCursor({ sort: SORT, key: last.created_at, id: last.review_id })
      : null
  return { items, next_cursor }
}

/** Locks the review's movie (always the first lock) and returns its id, or throws 404. */
async function lockMovieOfReview(tx: ManagedTransaction, review_id: string): Promise<string> {
  const [row] = rows<{ movie_id: string }>(await tx.run(LOCK_MOVIE_OF_REVIEW, { review_id }))
  if (!row) throw new NotFoundError(`Review '${review_id}' does not exist`, { review_id })
  return row.movie_id
}

/** The properties a PATCH changes; new words deserve a new score unless the caller says what it is. */
function patchChanges(current: ReviewBody, patch: UpdateReview): Record<string, unknown> {
  const changes: Record<string, unknown> = {}
  for (const key of ['content', 'author', 'language', 'url'] as const) {
    if (patch[key] !== undefined) changes[key] = patch[key]
  }
  if (patch.sentiment_score !== undefined) {
    Object.assign(changes, resolveSentiment(current.content, patch))
  } else if (patch.content !== undefined && patch.content !== current.content) {
    Object.assign(changes, resolveSentiment(patch.content, patch))
  } else if (patch.sentiment_label !== undefined) {
    changes.sentiment_label = patch.sentiment_label
  }
  return changes
}

export async function updateReview(
  db: Database,
  review_id: string,
  patch: UpdateReview
): Promise<ReviewBody> {
  return db.write(async (tx) => {
    const movie_id = await lockMovieOfReview(tx, review_id)
    // Read under the lock: a writer that held it before us may have changed or deleted the review.
    const [current] = rows<{ review: ReviewBody }>(await tx.run(GET_REVIEW, { review_id }))
    if (!current) throw new NotFoundError(`Review '${review_id}' does not exist`, { review_id })
    const changes = patchChanges(current.review, patch)
    const [row] = rows<{ review: ReviewBody }>(await tx.run(UPDATE_REVIEW, { movie_id, review_id, changes }))
    if (!row) throw new NotFoundError(`Review '${review_id}' does not exist`, { review_id })
    return row.review
  })
}

export async function deleteReview(db: Database, review_id: string): Promise<void> {
  await db.write(async (tx) => {
    const movie_id = await lockMovieOfReview(tx, review_id)
    const deleted = rows(await tx.run(DELETE_REVIEW, { movie_id, review_id }))
    if (deleted.length === 0) throw new NotFoundError(`Review '${review_id}' does not exist`, { review_id })
  })
}
