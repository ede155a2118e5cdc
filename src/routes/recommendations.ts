/** Recommendations for a user. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { traversalConfig } from '../config.js'
import { recommendForUser } from '../data/recommendations/repository.js'
import { UserIdParams, errorResponses } from '../schemas/common.js'
import { RecommendationQuery, RecommendationResponse } from '../schemas/recommendations.js'

const recommendationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const config = traversalConfig(app.config)

  app.get(
    '/users/:user_id/recommendations',
    {
      schema: {
        tags: ['recommendations'],
        operationId: 'recommendMovies',
        summary: 'Movies to recommend to a user, each with a score and the reasons for it',
        description:
          'A user who rated movies 7 or more gets personal recommendations: movies liked by users who ' +
          'liked the same movies, in the genres they like, and similar to what they liked; padded with ' +
          'popular movies when there are too few. A user with no such rating gets well-rated, then ' +
          'popular movies of the genres they searched for, then of the whole catalogue. An unknown ' +
          'user_id is not an error: it is a user without history and gets that cold start. Movies the ' +
          'user rated are never recommended.',
        params: UserIdParams,
        querystring: RecommendationQuery,
        response: { 200: RecommendationResponse, ...errorResponses(400, 503) }
      }
    },
    async (request) => recommendForUser(app.db, request.params.user_id, request.query, config)
  )
}

export default recommendationRoutes
