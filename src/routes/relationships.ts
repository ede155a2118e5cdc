/** Typed movie-to-movie relationships: create/replace, delete, and list from either end. */
import { Type } from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { deleteRelationship, listRelationships, putRelationship } from '../data/relationships/repository.js'
import { errorResponses } from '../schemas/common.js'
import {
  MovieParams,
  PutRelationshipBody,
  RelationshipItem,
  RelationshipPage,
  RelationshipParams,
  RelationshipQuery
} from '../schemas/relationship.js'

const TAGS = ['relationships']

const relationshipRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.put(
    '/movies/:movie_id/relationships/:type/:other_movie_id',
    {
      schema: {
        tags: TAGS,
        operationId: 'putRelationship',
        summary: 'Create or replace a typed relationship to another movie',
        description:
          'Directed types point from the movie in the path to the other one (newer → older/original). ' +
          'A symmetric edge is stored once and may be written from either end. ' +
          'The same body twice leaves one edge in the same state.',
        params: RelationshipParams,
        body: PutRelationshipBody,
        response: {
          200: Type.Object(RelationshipItem.properties, { description: 'The edge existed and was updated' }),
          201: Type.Object(RelationshipItem.properties, { description: 'The edge was created' }),
          ...errorResponses(400, 404, 409, 503)
        }
      },
      // The body is optional: no body means the defaults, so it validates as an empty object.
      preValidation: async (request) => {
        if (request.body === undefined || request.body === null) request.body = {}
      }
    },
    async (request, reply) => {
      const { created, relationship } = await putRelationship(app.db, request.params, request.body)
      return reply.code(created ? 201 : 200).send(relationship)
    }
  )

  app.delete(
    '/movies/:movie_id/relationships/:type/:other_movie_id',
    {
      schema: {
        tags: TAGS,
        operationId: 'deleteRelationship',
        summary: 'Delete a typed relationship',
        description: 'Symmetric edges may be deleted from either end; directed ones only from their start.',
        params: RelationshipParams,
        response: { 204: Type.Null({ description: 'Deleted' }), ...errorResponses(400, 404, 503) }
      }
    },
    async (request, reply) => {
      await deleteRelationship(app.db, request.params)
      return reply.code(204).send(null)
    }
  )

  app.get(
    '/movies/:movie_id/relationships',
    {
      schema: {
        tags: TAGS,
        operationId: 'listRelationships',
        summary: "A movie's typed relationships",
        description:
          'Ordered by type, then the other movie_id. Symmetric edges have direction both from either end.',
        params: MovieParams,
        querystring: RelationshipQuery,
        response: { 200: RelationshipPage, ...errorResponses(400, 404, 503) }
      }
    },
    async (request) => listRelationships(app.db, request.params.movie_id, request.query)
  )
}

export default relationshipRoutes
