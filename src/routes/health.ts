/**
 * Liveness and readiness. /ready tells the truth: Neo4j answers and every migration is applied.
 * It answers within READY_TIMEOUT_MS whatever Neo4j does: a stopped JVM still accepts
 * connections and never replies, and no driver timeout covers that, so the check races a timer.
 */
import { Type } from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { migrationStatus } from '../db/migrate.js'
import type { MigrationFile } from '../db/migrate.js'
import { AppError } from '../errors.js'
import type { SupervisorStatus } from '../neo4j-local/supervisor.js'
import { errorResponses } from '../schemas/common.js'

export interface HealthRoutesOptions {
  migrations: MigrationFile[]
}

type Settled<T> = { kind: 'value'; value: T } | { kind: 'error'; error: unknown } | { kind: 'timeout' }

/** How `work` settled, or 'timeout' once `ms` have passed; work left behind is not waited for. */
async function settleWithin<T>(work: Promise<T>, ms: number): Promise<Settled<T>> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<Settled<T>>((done) => {
    timer = setTimeout(() => done({ kind: 'timeout' }), Math.max(0, ms))
  })
  work.catch(() => undefined)
  try {
    return await Promise.race([
      work.then(
        (value): Settled<T> => ({ kind: 'value', value }),
        (error: unknown): Settled<T> => ({ kind: 'error', error })
      ),
      timeout
    ])
  } finally {
    clearTimeout(timer)
  }
}

/** Why Neo4j is not ready: what the supervisor knows first, then what the check saw. */
function notReady(
  failed: Exclude<Settled<unknown>, { kind: 'value' }>,
  supervised: SupervisorStatus | undefined,
  timeoutMs: number
): { message: string; details: Record<string, unknown> } {
  if (supervised?.state === 'restarting') {
    const { attempt, attempts, reason } = supervised
    return { message: 'Neo4j is restarting', details: { neo4j: 'restarting', reason, attempt, attempts } }
  }
  if (supervised?.state === 'gave-up') {
    const { attempts, reason } = supervised
    return {
      message: 'Neo4j is down and the service stopped restarting it',
      details: { neo4j: 'gave-up', reason, attempts }
    }
  }
  if (failed.kind === 'timeout') {
    return {
      message: 'Neo4j does not answer',
      details: { neo4j: 'hung', reason: `no answer within ${timeoutMs} ms` }
    }
  }
  // Domain errors say what happened without addresses or driver codes; anything else says nothing.
  const reason = failed.error instanceof AppError ? failed.error.message : 'the readiness check failed'
  return { message: 'Neo4j does not answer', details: { neo4j: 'down', reason } }
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
      const timeoutMs = app.config.READY_TIMEOUT_MS
      const deadline = Date.now() + timeoutMs
      // A connectivity check first: it is never retried by the driver, so a refused connection
      // reads as 'down' at once rather than as a query that ran out of time.
      const reached = await settleWithin(app.db.verify(), timeoutMs)
      const checked =
        reached.kind === 'value'
          ? await settleWithin(migrationStatus(app.db, opts.migrations), deadline - Date.now())
          : reached
      if (checked.kind !== 'value') {
        const { message, details } = notReady(checked, app.neo4jSupervisor?.status(), timeoutMs)
        reply.header('retry-after', '5')
        return reply.code(503).send({ error: { code: 'NOT_READY', message, details } })
      }
      const status = checked.value
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
