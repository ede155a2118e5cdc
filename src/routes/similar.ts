/** Similar movies, ranked, with the parts of each score so a client can show why. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { traversalConfig } from '../config.js'
import { similarMovies } from '../data/similar/repository.js'
import { MovieIdParams, errorResponses } from '../schemas/common.js'
import { SimilarQuery, SimilarResponse } from '../schemas/similar.js'

const similarRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const config = traversalConfig(app.config)

  app.get(
    '/movies/:movie_id/similar',
    {
      schema: {
        tags: ['similar'],
        operationId: 'listSimilarMovies',
        summary: 'Movies similar to this one, best first, with the parts of each score',
        description:
          'A movie with a list stored by `cinegraph similarity rebuild` is answered from that list alone ' +
          '(mode precomputed): the read touches the list and the movies it names, never the edges a ' +
          'popular movie receives. A movie without one yet is scored now (mode on_the_fly) from bounded ' +
          'candidate sets: recent fans, explicit SIMILAR_TO edges, franchise links and popular genre-mates. ' +
          'Either way the score is Σ weight × part over five parts (explicit edge, genre Jaccard, ' +
          'co-rating cosine shrunk by co / (co + SIMILAR_CORATING_SHRINK), franchise, review sentiment) ' +
          'divided by the sum of the SIMILAR_WEIGHT_* weights, a part without evidence counting 0.',
        params: MovieIdParams,
        querystring: SimilarQuery,
        response: { 200: SimilarResponse, ...errorResponses(400, 404, 503) }
      }
    },
    async (request) => similarMovies(app.db, request.params.movie_id, request.query, config)
  )
}

export default similarRoutes
