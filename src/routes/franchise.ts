/** A movie's franchise in release order, with its spin-offs and remakes. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { traversalConfig } from '../config.js'
import { movieFranchise } from '../data/franchise/repository.js'
import { MovieIdParams, errorResponses } from '../schemas/common.js'
import { FranchiseResponse } from '../schemas/franchise.js'

const franchiseRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const config = traversalConfig(app.config)

  app.get(
    '/movies/:movie_id/franchise',
    {
      schema: {
        tags: ['franchise'],
        operationId: 'getMovieFranchise',
        summary: "The movie's franchise in release order, with its spin-offs and remakes",
        description:
          'The main line is every movie reachable through SEQUEL_OF (either way) and SAME_FRANCHISE, ordered ' +
          'by year, release date, then title. Movies that are SPINOFF_OF or REMAKE_OF a main-line movie ' +
          'are listed beside it with the movie they attach to. For a stand-alone spin-off or remake the ' +
          'franchise of the movie it attaches to is shown (anchor_movie_id).',
        params: MovieIdParams,
        response: { 200: FranchiseResponse, ...errorResponses(400, 404, 503) }
      }
    },
    async (request) => movieFranchise(app.db, request.params.movie_id, config)
  )
}

export default franchiseRoutes
