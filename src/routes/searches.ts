/** Title search over the full-text index, what the user chose from it, and trending queries. */
import { Type } from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { createSearch, searchMovies, selectResult, trending } from '../data/searches/repository.js'
import { errorResponses } from '../schemas/common.js'
import {
  MovieSearchQuery,
  MovieSearchResults,
  SearchBody,
  SearchCreated,
  SearchIdParams,
  SelectionBody,
  Trending,
  TrendingQuery
} from '../schemas/search.js'

const searchRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/search/movies',
    {
      schema: {
        tags: ['searches'],
        operationId: 'searchMovies',
        summary: 'Search movie titles without recording the search',
        description:
          'The same matching and order as POST /searches (exact words, title-word prefixes, a typo ' +
          'or two; relevance, then popularity), as a read: nothing is stored.',
        querystring: MovieSearchQuery,
        response: { 200: MovieSearchResults, ...errorResponses(400, 503) }
      }
    },
    async (request) => searchMovies(app.db, request.query)
  )

  app.post(
    '/searches',
    {
      schema: {
        tags: ['searches'],
        operationId: 'createSearch',
        summary: 'Search movie titles and record the search',
        description:
          'Each word matches exactly, as the start of a title word, or with a typo or two. ' +
          'Lucene syntax in the query is taken literally; a query without letters or digits is ' +
          'recorded and answers 201 with no results.',
        body: SearchBody,
        response: { 201: SearchCreated, ...errorResponses(400, 503) }
      }
    },
    async (request, reply) => reply.code(201).send(await createSearch(app.db, request.body))
  )

  app.post(
    '/searches/:search_id/selection',
    {
      schema: {
        tags: ['searches'],
        operationId: 'selectSearchResult',
        summary: 'Record the movie the user chose after a search',
        params: SearchIdParams,
        body: SelectionBody,
        response: { 204: Type.Null({ description: 'Recorded' }), ...errorResponses(400, 404, 503) }
      }
    },
    async (request, reply) => {
      await selectResult(app.db, request.params.search_id, request.body.movie_id)
      return reply.code(204).send(null)
    }
  )

  app.get(
    '/searches/trending',
    {
      schema: {
        tags: ['searches'],
        operationId: 'trendingSearches',
        summary: 'The most frequent normalized queries in a time window',
        querystring: TrendingQuery,
        response: { 200: Trending, ...errorResponses(400, 503) }
      }
    },
    async (request) => trending(app.db, request.query)
  )
}

export default searchRoutes
