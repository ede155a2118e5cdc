/**
 * The `cinegraph` command. Each sub-command loads and validates configuration itself, so a bad
 * value is reported as one line before anything starts.
 */
import { Command } from 'commander'
import { loadConfig, traversalConfig } from '../config.js'
import { Database } from '../db/database.js'
import type { DatabaseOptions } from '../db/database.js'
import { migrate } from '../db/migrate.js'
import { databaseOptionsFrom } from '../app.js'
import { localOptions } from '../neo4j-local/embedded-default.js'
import { resolveNeo4j, startServer } from '../server.js'
import { registerDbCommands } from './db-commands.js'
import { registerSeedCommand } from './seed-command.js'
import { registerImportCommand } from './import-command.js'
import { registerSimilarityCommand } from './similar-command.js'
import { registerKeysCommand } from './keys-command.js'
import { registerGenerateCommand } from '../generate/command.js'
import { registerEvaluateCommand } from './evaluate-command.js'
import { registerDoctorCommand } from './doctor-command.js'

function fail(err: unknown): never {
  console.error(`cinegraph: ${err instanceof Error ? err.message : String(err)}`)
  process.exit(1)
}

/**
 * A database for a one-shot command: NEO4J_URI when set, else the embedded server, started if it
 * is not running and left running afterwards (`cinegraph db stop` stops it).
 */
async function connect(override: Partial<DatabaseOptions> = {}): Promise<Database> {
  const config = loadConfig()
  const neo4j = await resolveNeo4j(config, (line) => console.error(line))
  return new Database(databaseOptionsFrom(config, { uri: neo4j.uri, password: neo4j.password, ...override }))
}

/** A job that streams the whole catalogue in one read needs a longer transaction than a request. */
async function connectForJobs(): Promise<Database> {
  return connect({ txTimeoutMs: traversalConfig(loadConfig()).rebuild.txTimeoutMs })
}

export function buildProgram(): Command {
  const program = new Command('cinegraph').description('A movie graph on Neo4j, with a REST API')

  program
    .command('start')
    .description('Start the API (and the embedded Neo4j unless NEO4J_URI is set), migrating the schema first')
    .action(async () => {
      await startServer(loadConfig())
    })

  program
    .command('migrate')
    .description('Apply pending schema migrations from cypher/migrations')
    .action(async () => {
      const db = await connect()
      try {
        const result = await migrate(db, { log: (line) => console.log(line) })
        console.log(
          result.applied.length === 0
            ? `schema is up to date (${result.alreadyApplied} migrations applied)`
            : `applied ${result.applied.length} migration(s)`
        )
      } finally {
        await db.close()
      }
    })

  registerSeedCommand(program, () => connect())
  registerImportCommand(program, () => connect(), {
    getDb: connectForJobs,
    getConfig: () => traversalConfig(loadConfig())
  })
  registerSimilarityCommand(program, connectForJobs, () => traversalConfig(loadConfig()))
  registerGenerateCommand(program)
  registerEvaluateCommand(program, () => traversalConfig(loadConfig()))
  registerKeysCommand(program)
  // A check reads every rating once: it needs the jobs' transaction timeout, not a request's.
  registerDoctorCommand(program, connectForJobs)

  // The db commands read configuration lazily so `--help` works without a valid environment.
  const dbOptions = { current: undefined as Awaited<ReturnType<typeof localOptions>> | undefined }
  program.hook('preAction', async (_root, action) => {
    if (action.parent?.name() === 'db') dbOptions.current = await localOptions(loadConfig())
  })
  registerDbCommands(program, () => {
    if (!dbOptions.current) throw new Error('configuration was not loaded')
    return dbOptions.current
  })
  return program
}

export async function main(argv = process.argv): Promise<void> {
  try {
    await buildProgram().parseAsync(argv)
  } catch (err) {
    fail(err)
  }
}
