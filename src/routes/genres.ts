/** Genre routes: list, create, read and delete genres by name. */
import { Type } from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { createGenre, deleteGenre, getGenre, listGenres } from '../data/genres/repository.js'
import { errorResponses } from '../schemas/common.js'
import {
  Genre,
  GenreCreate,
  GenreDeleteQuery,
  GenreListQuery,
  GenrePage,
  GenreParams
} from '../schemas/genre.js'

const tags = ['genres']

const genreRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/genres',
    {
      schema: {
        tags,
        operationId: 'listGenres',
        summary: 'Genres with their movie counts, sorted by name',
        querystring: GenreListQuery,
        response: { 200: GenrePage, ...errorResponses(400, 503) }
      }
    },
    async (request) => listGenres(app.db, request.query)
  )

  app.post(
    '/genres',
    {
      schema: {
        tags,
        operationId: 'createGenre',
        summary: 'Create a genre',
        description: '409 when the name exists, or another genre has the tmdb_genre_id.',
        body: GenreCreate,
        response: { 201: Genre, ...errorResponses(400, 409, 503) }
      }
    },
    async (request, reply) => {
      const genre = await createGenre(app.db, request.body)
      return reply
        .code(201)
        .header('location', `/genres/${encodeURIComponent(genre.name)}`)
        .send(genre)
    }
  )

  app.get(
    '/genres/:name',
    {
      schema: {
        tags,
        operationId: 'getGenre',
        summary: 'A genre with its movie count',
        params: GenreParams,
        response: { 200: Genre, ...errorResponses(400, 404, 503) }
      }
    },
    async (request) => getGenre(app.db, request.params.name)
  )

  app.delete(
    '/genres/:name',
    {
      schema: {
        tags,
        operationId: 'deleteGenre',
        summary: 'Delete a genre; 409 while movies use it unless force=true',
        params: GenreParams,
        querystring: GenreDeleteQuery,
        response: { 204: Type.Null({ description: 'Deleted' }), ...errorResponses(400, 404, 409, 503) }
      }
    },
    async (request, reply) => {
      await deleteGenre(app.db, request.params.name, request.query.force)
      return reply.code(204).send(null)
    }
  )
}

export default genreRoutes
