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
import type { Neo4jSupervisorView } from './neo4j-local/supervisor.js'
import { loadMigrations } from './db/migrate.js'
import configPlugin from './plugins/external/config.js'
import neo4jPlugin from './plugins/external/neo4j.js'
import swaggerPlugin from './plugins/external/swagger.js'
import underPressurePlugin from './plugins/external/under-pressure.js'
import corsPlugin from './plugins/external/cors.js'
import helmetPlugin from './plugins/external/helmet.js'
import rateLimitPlugin from './plugins/external/rate-limit.js'
import type { RateLimitStore } from './plugins/external/rate-limit.js'
import authPlugin from './plugins/app/auth.js'
import bookmarksPlugin from './plugins/app/bookmarks.js'
import errorHandler, { clientErrorHandler, noRoute, toErrorReply } from './plugins/app/error-handler.js'
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
  /** A shared rate-limit store (e.g. `{ redis }`) when several instances serve one API. */
  rateLimitStore?: RateLimitStore
  /** The supervisor of the embedded Neo4j this process launched, for /ready to report on. */
  neo4jSupervisor?: Neo4jSupervisorView
}

/** TRUST_PROXY as Fastify takes it: a boolean, the proxies' addresses, or a hop count. */
export function trustProxyFrom(
  value: string
): boolean | string | ((address: string, hop: number) => boolean) {
  if (value === 'true') return true
  if (value === 'false') return false
  if (!/^[0-9]+$/.test(value)) return value
  const hops = Number(value)
  return (_address, hop) => hop < hops
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

/**
 * Fastify's request log carries no headers; the redaction keeps keys out of any log line that
 * ever includes them (a serializer change, or a handler logging request.headers), also when the
 * caller brings its own logger options.
 */
function loggerOptions(given: BuildAppOptions['logger'], config: Config): FastifyServerOptions['logger'] {
  const redact = {
    paths: ['req.headers.authorization', 'headers.authorization', 'req.headers.cookie', 'headers.cookie'],
    censor: '[redacted]'
  }
  if (given === undefined) return { level: config.LOG_LEVEL, redact }
  if (typeof given === 'object' && given !== null && !('redact' in given)) return { ...given, redact }
  return given
}

export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { config } = options
  const app = Fastify({
    logger: loggerOptions(options.logger, config),
    bodyLimit: config.BODY_LIMIT_BYTES,
    requestTimeout: config.HTTP_REQUEST_TIMEOUT_MS,
    connectionTimeout: config.HTTP_CONNECTION_TIMEOUT_MS,
    keepAliveTimeout: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    trustProxy: trustProxyFrom(config.TRUST_PROXY),
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID()
    },
    requestIdHeader: false,
    // The error handler answers requests that arrive while closing, in the one error shape.
    return503OnClosing: false,
    routerOptions: { maxParamLength: 256 },
    // Router-level failures (over-long or malformed URLs) still answer in the one error shape.
    frameworkErrors: (err, _request, reply) => {
      const { status, payload } = toErrorReply(err)
      void (reply as unknown as FastifyReply).code(status).send(payload)
    },
    // Requests Node's parser refuses (431, 408, malformed HTTP) answer in the one error shape too.
    clientErrorHandler
  }).withTypeProvider<TypeBoxTypeProvider>()
  app.setValidatorCompiler(validatorCompiler)

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })

  const migrations = await loadMigrations(options.migrationsDir)
  await app.register(configPlugin, { config })
  await app.register(errorHandler)
  // In the order their hooks run: shed load before any work, answer CORS preflights before
  // authentication, identify the key before the per-key rate limit counts the request.
  await app.register(underPressurePlugin, {
    maxEventLoopDelayMs: config.PRESSURE_MAX_EVENT_LOOP_DELAY_MS,
    maxHeapRatio: config.PRESSURE_MAX_HEAP_RATIO
  })
  if (config.CORS_ORIGINS) await app.register(corsPlugin, { origins: config.CORS_ORIGINS })
  await app.register(helmetPlugin)
  await app.register(authPlugin, { apiKeys: config.API_KEYS, readsRequireKey: config.READS_REQUIRE_KEY })
  await app.register(rateLimitPlugin, {
    max: config.RATE_LIMIT_MAX,
    windowMs: config.RATE_LIMIT_WINDOW_MS,
    ...(options.rateLimitStore ? { store: options.rateLimitStore } : {})
  })
  await app.register(noRoute)
  await app.register(bookmarksPlugin, { secret: config.BOOKMARK_SECRET })
  await app.register(swaggerPlugin)
  await app.register(neo4jPlugin, {
    database: databaseOptionsFrom(config, options.database),
    verifyOnStart: options.verifyDatabase ?? true,
    ...(options.neo4jSupervisor ? { supervisor: options.neo4jSupervisor } : {})
  })
  await app.register(routes, { migrations })
  await app.ready()
  return app
}
