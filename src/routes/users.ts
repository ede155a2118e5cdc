/** What a user did: their ratings and their searches, newest first. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { userRatings } from '../data/ratings/repository.js'
import { userSearches } from '../data/searches/repository.js'
import { UserIdParams, errorResponses } from '../schemas/common.js'
import { RatingPageQuery, UserRatingsPage } from '../schemas/rating.js'
import { SearchHistoryPage, SearchPageQuery } from '../schemas/search.js'

const userRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/users/:user_id/ratings',
    {
      schema: {
        tags: ['users', 'ratings'],
        operationId: 'listUserRatings',
        summary: "A user's ratings with the rated movie's title, newest first",
        params: UserIdParams,
        querystring: RatingPageQuery,
        response: { 200: UserRatingsPage, ...errorResponses(400, 404, 503) }
      }
    },
    async (request) => userRatings(app.db, request.params.user_id, request.query)
  )

  app.get(
    '/users/:user_id/searches',
    {
      schema: {
        tags: ['users', 'searches'],
        operationId: 'listUserSearches',
        summary: "A user's searches, newest first",
        params: UserIdParams,
        querystring: SearchPageQuery,
        response: { 200: SearchHistoryPage, ...errorResponses(400, 404, 503) }
      }
    },
    async (request) => userSearches(app.db, request.params.user_id, request.query)
  )
}

export default userRoutes
