/** Similar movies, ranked, with the parts of each score so a client can show why. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { loadTraversalConfig } from '../config/traversal.js'
import { similarMovies } from '../data/similarity/repository.js'
import { errorResponses } from '../schemas/common.js'
import { MovieIdParams, SimilarQuery, SimilarResponse } from '../schemas/traversal.js'

const similarRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const config = loadTraversalConfig()

  app.get(
    '/movies/:movie_id/similar',
    {
      schema: {
        tags: ['movies', 'graph'],
        operationId: 'listSimilarMovies',
        summary: 'Movies similar to this one, best first, with the parts of each score',
        description:
          'When `cinegraph similarity rebuild` left computed SIMILAR_TO edges for the movie they are served ' +
          'in one hop together with explicit (editorial, tmdb) edges at their own score (mode precomputed). ' +
          'Otherwise the score is computed now (mode on_the_fly) from explicit SIMILAR_TO edges, shared ' +
          'genres (Jaccard), co-ratings (users who rated both 7 or more), franchise links and review ' +
          'sentiment, weighted by the SIMILAR_WEIGHT_* settings and divided by the weights of the parts ' +
          'that applied. Candidates come from capped samples (recent fans, most popular genre-mates), so ' +
          'no movie or genre is too big to ask about.',
        params: MovieIdParams,
        querystring: SimilarQuery,
        response: { 200: SimilarResponse, ...errorResponses(400, 404, 503) }
      }
    },
    async (request) => similarMovies(app.db, request.params.movie_id, request.query, config)
  )
}

export default similarRoutes
