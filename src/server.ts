/**
 * Runs the service: resolves which Neo4j to use (NEO4J_URI, or the embedded local server),
 * applies migrations, listens, and shuts everything down cleanly on SIGINT/SIGTERM.
 */
import closeWithGrace from 'close-with-grace'
import type { FastifyInstance } from 'fastify'
import { buildApp } from './app.js'
import type { Config } from './config.js'
import { migrate } from './db/migrate.js'
import { localApiKey, localApiKeyFile, localOptions, localHome } from './neo4j-local/embedded-default.js'
import { hashApiKey } from './plugins/app/auth.js'
import { startLocalNeo4j } from './neo4j-local/index.js'
import { seedDemo } from './seed/demo.js'
import type { LocalNeo4jHandle } from './neo4j-local/index.js'

export interface ResolvedNeo4j {
  uri: string
  password: string
  local?: LocalNeo4jHandle
}

/** NEO4J_URI when set; otherwise the embedded server, started (or reused) here. */
export async function resolveNeo4j(config: Config, log: (line: string) => void): Promise<ResolvedNeo4j> {
  if (config.NEO4J_URI && config.NEO4J_PASSWORD)
    return { uri: config.NEO4J_URI, password: config.NEO4J_PASSWORD }
  const options = await localOptions(config, log)
  log(`starting the embedded Neo4j in ${options.home}`)
  const local = await startLocalNeo4j(options)
  return { uri: local.boltUri, password: options.password, local }
}

/** Only ever into a graph without movies: an operator's data is never touched. */
async function seedIfEmpty(app: FastifyInstance): Promise<void> {
  const [row] = await app.db.readRows<{ any: boolean }>('RETURN EXISTS { (:Movie) } AS any')
  if (row?.any) return
  const summary = await seedDemo(app.db)
  app.log.info(
    { movies: summary.movies, ratings: summary.ratings },
    'loaded the demo dataset into the empty graph'
  )
}

export async function startServer(config: Config): Promise<void> {
  const log = (line: string): void => console.log(line)
  const neo4j = await resolveNeo4j(config, log)
  const stopLocal = async (): Promise<void> => {
    if (neo4j.local?.startedByUs) await neo4j.local.stop()
  }
  let apiKeys = config.API_KEYS
  let app: FastifyInstance | undefined
  try {
    // The embedded default is a local sandbox: without configured keys it makes its own write
    // key (as it makes the Neo4j password) rather than start unable to write.
    if (neo4j.local && !apiKeys.trim()) apiKeys = `${hashApiKey(await localApiKey(config))}:write`
    app = await buildApp({
      config: { ...config, NEO4J_URI: neo4j.uri, NEO4J_PASSWORD: neo4j.password, API_KEYS: apiKeys }
    })
    if (config.MIGRATE_ON_START) await migrate(app.db, { log: (line) => app?.log.info(line) })
    if (neo4j.local && config.SEED_DEMO_WHEN_EMPTY) await seedIfEmpty(app)
    await app.listen({ host: config.HOST, port: config.PORT })
  } catch (err) {
    await app?.close()
    await stopLocal()
    throw err
  }
  const base = `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${config.PORT}`
  log(`cinegraph API      ${base}  (docs: ${base}/docs, OpenAPI: ${base}/openapi.json)`)
  if (neo4j.local) {
    log(`Neo4j Browser      ${neo4j.local.browserUri}  (connect to ${neo4j.local.boltUri} as neo4j)`)
    if (!config.NEO4J_PASSWORD) log(`Neo4j password     in ${localHome(config)}/cinegraph-password`)
    if (apiKeys !== config.API_KEYS)
      log(`API write key      in ${localApiKeyFile(config)}  (send it as Authorization: Bearer <key>)`)
  }
  const running = app
  closeWithGrace({ delay: config.SHUTDOWN_GRACE_MS }, async ({ signal, err }) => {
    if (err) running.log.error({ err }, 'shutting down after an error')
    else running.log.info({ signal }, 'shutting down')
    await running.close()
    await stopLocal()
  })
}
