/**
 * Runs the service: resolves which Neo4j to use (NEO4J_URI, or the embedded local server, which
 * it then supervises), applies migrations, listens, and shuts everything down cleanly on
 * SIGINT/SIGTERM.
 */
import closeWithGrace from 'close-with-grace'
import type { FastifyInstance } from 'fastify'
import { buildApp } from './app.js'
import type { Config } from './config.js'
import { migrate } from './db/migrate.js'
import {
  localApiKey,
  localApiKeyFile,
  localOptions,
  localHome,
  restartPolicy
} from './neo4j-local/embedded-default.js'
import { hashApiKey } from './plugins/app/auth.js'
import { startLocalNeo4j, stopLocalNeo4j } from './neo4j-local/index.js'
import { Neo4jSupervisor } from './neo4j-local/supervisor.js'
import type { SupervisorLog } from './neo4j-local/supervisor.js'
import { seedDemo } from './seed/demo.js'
import type { LocalNeo4jHandle, LocalNeo4jOptions } from './neo4j-local/index.js'

export interface ResolvedNeo4j {
  uri: string
  password: string
  local?: { handle: LocalNeo4jHandle; options: LocalNeo4jOptions }
}

/** NEO4J_URI when set; otherwise the embedded server, started (or reused) here. */
export async function resolveNeo4j(config: Config, log: (line: string) => void): Promise<ResolvedNeo4j> {
  if (config.NEO4J_URI && config.NEO4J_PASSWORD)
    return { uri: config.NEO4J_URI, password: config.NEO4J_PASSWORD }
  const options = await localOptions(config, log)
  log(`starting the embedded Neo4j in ${options.home}`)
  const handle = await startLocalNeo4j(options)
  return { uri: handle.boltUri, password: options.password, local: { handle, options } }
}

/**
 * Supervision of the embedded server this process launched: one it found already running
 * belongs to whoever started it, and an external NEO4J_URI to its operators.
 */
function supervise(config: Config, neo4j: ResolvedNeo4j, log: SupervisorLog): Neo4jSupervisor | undefined {
  const local = neo4j.local
  if (!local?.handle.startedByUs) return undefined
  return new Neo4jSupervisor({
    initial: local.handle,
    start: () => startLocalNeo4j(local.options),
    halt: async () => void (await stopLocalNeo4j(local.options.home)),
    policy: restartPolicy(config),
    log
  })
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

export interface RunningServer {
  app: FastifyInstance
  /** Where the API listens, e.g. http://127.0.0.1:3000. */
  url: string
  /** Present when this process launched the embedded Neo4j and restarts it when it dies. */
  supervisor: Neo4jSupervisor | undefined
  /** Closes the app, then stops the embedded Neo4j if this process launched it. */
  close(): Promise<void>
}

export interface LaunchOptions {
  /** Plain progress lines (addresses, the runner's steps); console.log unless given. */
  log?: (line: string) => void
  /** The supervisor's events; the app's logger unless given. */
  report?: SupervisorLog
}

/** Starts Neo4j (unless NEO4J_URI is set), migrates, and listens; signals are the caller's. */
export async function launchServer(config: Config, options: LaunchOptions = {}): Promise<RunningServer> {
  const log = options.log ?? ((line: string): void => console.log(line))
  let app: FastifyInstance | undefined
  const report =
    options.report ??
    ((level, line): void => {
      if (app) app.log[level](line)
      else log(line)
    })
  const neo4j = await resolveNeo4j(config, log)
  const supervisor = supervise(config, neo4j, report)
  if (neo4j.local && !supervisor) log('Neo4j was already running: it is not restarted if it dies')
  const stopLocal = async (): Promise<void> => {
    if (supervisor) await supervisor.stop()
    else if (neo4j.local?.handle.startedByUs) await neo4j.local.handle.stop()
  }
  let apiKeys = config.API_KEYS
  try {
    // The embedded default is a local sandbox: without configured keys it makes its own write
    // key (as it makes the Neo4j password) rather than start unable to write.
    if (neo4j.local && !apiKeys.trim()) apiKeys = `${hashApiKey(await localApiKey(config))}:write`
    app = await buildApp({
      config: { ...config, NEO4J_URI: neo4j.uri, NEO4J_PASSWORD: neo4j.password, API_KEYS: apiKeys },
      ...(supervisor ? { neo4jSupervisor: supervisor } : {})
    })
    const built = app
    if (config.MIGRATE_ON_START) await migrate(built.db, { log: (line) => built.log.info(line) })
    if (neo4j.local && config.SEED_DEMO_WHEN_EMPTY) await seedIfEmpty(built)
    await built.listen({ host: config.HOST, port: config.PORT })
  } catch (err) {
    await app?.close()
    await stopLocal()
    throw err
  }
  const address = app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : config.PORT
  const url = `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}`
  log(`cinegraph API      ${url}  (docs: ${url}/docs, OpenAPI: ${url}/openapi.json)`)
  log(`Movie explorer     ${url}/explore`)
  if (neo4j.local) {
    log(
      `Neo4j Browser      ${neo4j.local.handle.browserUri}  (connect to ${neo4j.local.handle.boltUri} as neo4j)`
    )
    if (!config.NEO4J_PASSWORD) log(`Neo4j password     in ${localHome(config)}/cinegraph-password`)
    if (apiKeys !== config.API_KEYS)
      log(`API write key      in ${localApiKeyFile(config)}  (send it as Authorization: Bearer <key>)`)
  }
  const running = app
  return {
    app: running,
    url,
    supervisor,
    close: async () => {
      await running.close()
      await stopLocal()
    }
  }
}

/** `cinegraph start`: the server, shut down cleanly on SIGINT/SIGTERM. */
export async function startServer(config: Config): Promise<void> {
  const server = await launchServer(config)
  closeWithGrace({ delay: config.SHUTDOWN_GRACE_MS }, async ({ signal, err }) => {
    if (err) server.app.log.error({ err }, 'shutting down after an error')
    else server.app.log.info({ signal }, 'shutting down')
    await server.close()
  })
}
