/** Related movies: typed edges walked outward, as nodes, edges and paths ready to draw. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { traversalConfig } from '../config.js'
import { relatedMovies } from '../data/related/repository.js'
import { MovieIdParams, TRAVERSAL_BOUNDS, errorResponses } from '../schemas/common.js'
import { RelatedQuery, RelatedResponse } from '../schemas/related.js'

const relatedRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const config = traversalConfig(app.config)

  app.get(
    '/movies/:movie_id/related',
    {
      schema: {
        tags: ['related'],
        operationId: 'listRelatedMovies',
        summary: 'Movies reachable over typed edges, as nodes, edges and paths ready to draw',
        description:
          `Follows the given types either way up to depth hops (1..${TRAVERSAL_BOUNDS.maxRelatedDepth}) and ` +
          'returns one shortest path per related movie. Edges keep their stored direction (directed types ' +
          'point newer → older/original); symmetric ones are flagged and stored from the smaller movie_id. ' +
          'An unknown type, or more types than exist, is a 400.',
        params: MovieIdParams,
        querystring: RelatedQuery,
        response: { 200: RelatedResponse, ...errorResponses(400, 404, 503) }
      }
    },
    async (request) => relatedMovies(app.db, request.params.movie_id, request.query, config)
  )
}

export default relatedRoutes
