/**
 * The application as a plugin-built Fastify instance. It does not listen: the server module
 * does that, and tests call `app.inject()` on what this returns.
 */
import { randomUUID } from 'node:crypto'
import Fastify from 'fastify'
import type { FastifyInstance, FastifyReply, FastifyServerOptions } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Config } from './config.js'
import type { DatabaseOptions } from './db/database.js'
import { loadMigrations } from './db/migrate.js'
import neo4jPlugin from './plugins/external/neo4j.js'
import swaggerPlugin from './plugins/external/swagger.js'
import errorHandler, { toErrorReply } from './plugins/app/error-handler.js'
import routes from './routes/index.js'
import { validatorCompiler } from './validation.js'

export interface BuildAppOptions {
  config: Config
  /** Overrides what config says about the database (tests point at a throwaway server). */
  database?: Partial<DatabaseOptions>
  logger?: FastifyServerOptions['logger']
  /** Verify Neo4j answers before the app is ready (default true). */
  verifyDatabase?: boolean
  migrationsDir?: string
}

export function databaseOptionsFrom(
  config: Config,
  override: Partial<DatabaseOptions> = {}
): DatabaseOptions {
  const uri = override.uri ?? config.NEO4J_URI
  const password = override.password ?? config.NEO4J_PASSWORD
  if (!uri || !password) throw new Error('buildApp needs a Neo4j URI and password')
  return {
    uri,
    password,
    user: override.user ?? config.NEO4J_USER,
    database: override.database ?? config.NEO4J_DATABASE,
    txTimeoutMs: override.txTimeoutMs ?? config.NEO4J_TX_TIMEOUT_MS,
    connectionTimeoutMs: override.connectionTimeoutMs ?? config.NEO4J_CONNECTION_TIMEOUT_MS,
    ...(override.maxTransactionRetryTimeMs !== undefined
      ? { maxTransactionRetryTimeMs: override.maxTransactionRetryTimeMs }
      : {})
  }
}

export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { config } = options
  const app = Fastify({
    logger: options.logger ?? { level: config.LOG_LEVEL },
    bodyLimit: config.BODY_LIMIT_BYTES,
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID()
    },
    requestIdHeader: false,
    routerOptions: { maxParamLength: 256 },
    // Router-level failures (over-long or malformed URLs) still answer in the one error shape.
    frameworkErrors: (err, _request, reply) => {
      const { status, payload } = toErrorReply(err)
      void (reply as unknown as FastifyReply).code(status).send(payload)
    }
  }).withTypeProvider<TypeBoxTypeProvider>()
  app.setValidatorCompiler(validatorCompiler)

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })

  const migrations = await loadMigrations(options.migrationsDir)
  await app.register(errorHandler)
  await app.register(swaggerPlugin)
  await app.register(neo4jPlugin, {
    database: databaseOptionsFrom(config, options.database),
    verifyOnStart: options.verifyDatabase ?? true
  })
  await app.register(routes, { migrations })
  await app.ready()
  return app
}
