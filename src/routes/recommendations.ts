/** Recommendations for a user. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { loadTraversalConfig } from '../config/traversal.js'
import { recommendForUser } from '../data/similarity/recommendations.js'
import { errorResponses } from '../schemas/common.js'
import { RecommendationQuery, RecommendationResponse, UserIdParams } from '../schemas/traversal.js'

const recommendationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const config = loadTraversalConfig()

  app.get(
    '/users/:user_id/recommendations',
    {
      schema: {
        tags: ['users', 'graph'],
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
