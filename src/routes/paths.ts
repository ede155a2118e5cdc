/** Shortest paths between two movies over typed edges. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { traversalConfig } from '../config.js'
import { shortestMoviePath } from '../data/paths/repository.js'
import { TRAVERSAL_BOUNDS, errorResponses } from '../schemas/common.js'
import { ShortestPathQuery, ShortestPathResponse } from '../schemas/paths.js'

const pathRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const config = traversalConfig(app.config)

  app.get(
    '/paths/shortest',
    {
      schema: {
        tags: ['paths'],
        operationId: 'findShortestPath',
        summary: 'A shortest path between two movies over the chosen edge types',
        description:
          `Edges are followed either way, up to max_depth hops (1..${TRAVERSAL_BOUNDS.maxPathDepth}). ` +
          '404 when either movie does not exist, or when there is no path within max_depth ' +
          "(error.details.reason is 'NO_PATH'); 400 when from and to are the same movie.",
        querystring: ShortestPathQuery,
        response: { 200: ShortestPathResponse, ...errorResponses(400, 404, 503) }
      }
    },
    async (request) => shortestMoviePath(app.db, request.query, config)
  )
}

export default pathRoutes
