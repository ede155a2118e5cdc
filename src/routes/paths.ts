/** Typed-edge traversals: related movies as drawable paths, shortest paths, franchises. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { TRAVERSAL_BOUNDS, loadTraversalConfig } from '../config/traversal.js'
import { movieFranchise, relatedMovies, shortestMoviePath } from '../data/traversals/repository.js'
import { errorResponses } from '../schemas/common.js'
import {
  FranchiseResponse,
  MovieIdParams,
  RelatedQuery,
  RelatedResponse,
  ShortestPathQuery,
  ShortestPathResponse
} from '../schemas/traversal.js'

const TAGS = ['graph', 'relationships']

const pathRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const config = loadTraversalConfig()

  app.get(
    '/movies/:movie_id/related',
    {
      schema: {
        tags: TAGS,
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

  app.get(
    '/paths/shortest',
    {
      schema: {
        tags: TAGS,
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

  app.get(
    '/movies/:movie_id/franchise',
    {
      schema: {
        tags: TAGS,
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

export default pathRoutes
