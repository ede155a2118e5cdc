/** A user's rating of a movie, and a movie's ratings with their summary. */
import { Type } from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { deleteRating, movieRatings, upsertRating } from '../data/ratings/repository.js'
import { MovieIdParams, errorResponses } from '../schemas/common.js'
import {
  MovieRatingParams,
  MovieRatingsPage,
  Rating,
  RatingBody,
  RatingPageQuery
} from '../schemas/rating.js'

const ratingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.put(
    '/movies/:movie_id/ratings/:user_id',
    {
      schema: {
        tags: ['ratings'],
        operationId: 'putRating',
        summary: "Create or replace a user's rating of a movie",
        description:
          'One rating per user and movie: rating again replaces the score and the movie aggregates move ' +
          'by the difference. 201 when the rating is new, 200 when it replaced one.',
        params: MovieRatingParams,
        body: RatingBody,
        response: { 200: Rating, 201: Rating, ...errorResponses(400, 404, 409, 503) }
      }
    },
    async (request, reply) => {
      const { movie_id, user_id } = request.params
      const { rating, created } = await upsertRating(app.db, movie_id, user_id, request.body)
      return reply.code(created ? 201 : 200).send(rating)
    }
  )

  app.delete(
    '/movies/:movie_id/ratings/:user_id',
    {
      schema: {
        tags: ['ratings'],
        operationId: 'deleteRating',
        summary: "Delete a user's rating of a movie",
        params: MovieRatingParams,
        response: { 204: Type.Null({ description: 'Deleted' }), ...errorResponses(400, 404, 503) }
      }
    },
    async (request, reply) => {
      await deleteRating(app.db, request.params.movie_id, request.params.user_id)
      return reply.code(204).send(null)
    }
  )

  app.get(
    '/movies/:movie_id/ratings',
    {
      schema: {
        tags: ['ratings'],
        operationId: 'listMovieRatings',
        summary: "A movie's ratings, newest first, with count, mean and distribution",
        params: MovieIdParams,
        querystring: RatingPageQuery,
        response: { 200: MovieRatingsPage, ...errorResponses(400, 404, 503) }
      }
    },
    async (request) => movieRatings(app.db, request.params.movie_id, request.query)
  )
}

export default ratingRoutes
