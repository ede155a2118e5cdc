/** Liveness and readiness. /ready tells the truth: Neo4j answers and every migration is applied. */
import { Type } from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { migrationStatus } from '../db/migrate.js'
import type { MigrationFile } from '../db/migrate.js'
import { errorResponses } from '../schemas/common.js'

export interface HealthRoutesOptions {
  migrations: MigrationFile[]
}

const Ready = Type.Object({
  status: Type.Literal('ready'),
  neo4j: Type.Literal('up'),
  migrations: Type.Object({ applied: Type.Integer(), pending: Type.Array(Type.String()) })
})

const healthRoutes: FastifyPluginAsyncTypebox<HealthRoutesOptions> = async (app, opts) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['health'],
        operationId: 'health',
        summary: 'The process is alive',
        response: { 200: Type.Object({ status: Type.Literal('ok') }) }
      }
    },
    async () => ({ status: 'ok' as const })
  )

  app.get(
    '/ready',
    {
      schema: {
        tags: ['health'],
        operationId: 'ready',
        summary: 'Neo4j answers and the schema is migrated',
        response: { 200: Ready, ...errorResponses(503) }
      }
    },
    async (_request, reply) => {
      let status
      try {
        status = await migrationStatus(app.db, opts.migrations)
      } catch {
        reply.header('retry-after', '5')
        return reply.code(503).send({
          error: { code: 'NOT_READY', message: 'Neo4j does not answer', details: { neo4j: 'down' } }
        })
      }
      if (status.pending.length > 0) {
        reply.header('retry-after', '5')
        return reply.code(503).send({
          error: {
            code: 'NOT_READY',
            message: 'Migrations are pending',
            details: { neo4j: 'up', pending: status.pending }
          }
        })
      }
      return { status: 'ready' as const, neo4j: 'up' as const, migrations: status }
    }
  )
}

export default healthRoutes
