/** Reviews of movies: create, read, list, patch, delete, look up by tweet, and batch import. */
import { Type } from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import {
  createReview,
  deleteReview,
  getReview,
  getReviewByTweet,
  listMovieReviews,
  updateReview
} from '../data/reviews/repository.js'
import { importReviews } from '../data/reviews/import-batch.js'
import { MovieIdParams, errorResponses } from '../schemas/common.js'
import {
  BatchReviewsBody,
  BatchReviewsResponse,
  CreateReviewBody,
  ListReviewsQuery,
  Review,
  ReviewIdParams,
  ReviewPage,
  TweetIdParams,
  UpdateReviewBody
} from '../schemas/review.js'

const BATCH_BODY_LIMIT_BYTES = 16 * 1_048_576

const TAGS = ['reviews']

/** A body validation failure in the same shape Fastify's own validation produces. */
function invalidBody(path: string, message: string): Error {
  return Object.assign(new Error(`body${path.replace(/\//g, '.')} ${message}`), {
    statusCode: 400,
    validation: [{ instancePath: path, message }],
    validationContext: 'body'
  })
}

/**
 * Runs before schema validation, which coerces types: a tweet_id sent as a JSON number has
 * already lost digits by then, and a lone object would be wrapped into a one-item array.
 */
async function rejectNumericTweetId(request: FastifyRequest): Promise<void> {
  const body = request.body as { tweet_id?: unknown } | null
  if (body && typeof body === 'object' && body.tweet_id !== undefined && typeof body.tweet_id !== 'string') {
    throw invalidBody('/tweet_id', 'must be a string of digits')
  }
}

async function requireReviewsArray(request: FastifyRequest): Promise<void> {
  const body = request.body as { reviews?: unknown } | null
  if (body && typeof body === 'object' && body.reviews !== undefined && !Array.isArray(body.reviews)) {
    throw invalidBody('/reviews', 'must be array')
  }
}

const reviewRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/movies/:movie_id/reviews',
    {
      schema: {
        tags: TAGS,
        operationId: 'createReview',
        summary: 'Add a review to a movie',
        description:
          'Without sentiment_score the content is scored with VADER; without sentiment_label the label ' +
          'follows from the score. tweet_id is required for source tweet and must be a string.',
        params: MovieIdParams,
        body: CreateReviewBody,
        response: { 201: Review, ...errorResponses(400, 404, 409, 503) }
      },
      preValidation: rejectNumericTweetId
    },
    async (request, reply) => {
      const review = await createReview(app.db, request.params.movie_id, request.body)
      return reply.code(201).send(review)
    }
  )

  app.get(
    '/movies/:movie_id/reviews',
    {
      schema: {
        tags: TAGS,
        operationId: 'listMovieReviews',
        summary: "A movie's reviews, newest first",
        description:
          'Keyset-paginated on (created_at, review_id): pass next_cursor back unchanged. Reviews added ' +
          'between pages never cause duplicates or gaps.',
        params: MovieIdParams,
        querystring: ListReviewsQuery,
        response: { 200: ReviewPage, ...errorResponses(400, 404, 503) }
      }
    },
    async (request) => listMovieReviews(app.db, request.params.movie_id, request.query)
  )

  app.post(
    '/reviews/batch',
    {
      // 1,000 items of up to 10,000 characters each cannot fit the default body limit.
      bodyLimit: BATCH_BODY_LIMIT_BYTES,
      schema: {
        tags: TAGS,
        operationId: 'importReviews',
        summary: 'Import up to 1,000 reviews at once, idempotently',
        description:
          'Each item is a review body plus movie_id or tmdb_id. Items are matched to stored reviews by ' +
          'tweet_id (else review_id): unknown ones are created, known ones answered unchanged or updated. ' +
          'A bad item is rejected with a reason and does not stop the others; all accepted items are ' +
          'written in one transaction.',
        body: BatchReviewsBody,
        response: { 200: BatchReviewsResponse, ...errorResponses(400, 409, 413, 503) }
      },
      preValidation: requireReviewsArray
    },
    async (request) => importReviews(app.db, request.body.reviews)
  )

  app.get(
    '/reviews/by-tweet/:tweet_id',
    {
      schema: {
        tags: TAGS,
        operationId: 'getReviewByTweet',
        summary: 'The review made from a tweet',
        params: TweetIdParams,
        response: { 200: Review, ...errorResponses(400, 404, 503) }
      }
    },
    async (request) => getReviewByTweet(app.db, request.params.tweet_id)
  )

  app.get(
    '/reviews/:review_id',
    {
      schema: {
        tags: TAGS,
        operationId: 'getReview',
        summary: 'One review',
        params: ReviewIdParams,
        response: { 200: Review, ...errorResponses(400, 404, 503) }
      }
    },
    async (request) => getReview(app.db, request.params.review_id)
  )

  app.patch(
    '/reviews/:review_id',
    {
      schema: {
        tags: TAGS,
        operationId: 'updateReview',
        summary: 'Change a review',
        description:
          'At least one field. New content without a sentiment_score is scored again; null clears ' +
          'author, language or url. The movie’s sentiment aggregates follow the new score.',
        params: ReviewIdParams,
        body: UpdateReviewBody,
        response: { 200: Review, ...errorResponses(400, 404, 503) }
      }
    },
    async (request) => updateReview(app.db, request.params.review_id, request.body)
  )

  app.delete(
    '/reviews/:review_id',
    {
      schema: {
        tags: TAGS,
        operationId: 'deleteReview',
        summary: 'Delete a review',
        params: ReviewIdParams,
        response: { 204: Type.Null({ description: 'Deleted' }), ...errorResponses(400, 404, 503) }
      }
    },
    async (request, reply) => {
      await deleteReview(app.db, request.params.review_id)
      return reply.code(204).send(null)
    }
  )
}

export default reviewRoutes
