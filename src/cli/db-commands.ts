// `cinegraph db start|stop|status`: manage the local Neo4j server that development and tests use when
// NEO4J_URI does not point at another one.
import type { Command } from 'commander'
import {
  NEO4J_USER,
  NEO4J_VERSION,
  startLocalNeo4j,
  statusLocalNeo4j,
  stopLocalNeo4j
} from '../neo4j-local/index.js'
import type { LocalNeo4jOptions } from '../neo4j-local/index.js'

const out = (line: string): void => void process.stdout.write(`${line}\n`)
const err = (line: string): void => void process.stderr.write(`${line}\n`)

// Failures are for people at a terminal: one message, no stack trace, a failing exit code.
function action(run: () => Promise<void>): () => Promise<void> {
  return async () => {
    try {
      await run()
    } catch (error) {
      err(`error: ${error instanceof Error ? error.message : String(error)}`)
      process.exitCode = 1
    }
  }
}

export function registerDbCommands(program: Command, getOptions: () => LocalNeo4jOptions): void {
  const db = program
    .command('db')
    .description(`Run a local Neo4j ${NEO4J_VERSION} server (needs Java 17 or 21 and Maven)`)

  db.command('start')
    .description('Start the local Neo4j server (or find it already running) and wait until Bolt answers')
    .action(
      action(async () => {
        const opts = getOptions()
        const handle = await startLocalNeo4j({ ...opts, log: opts.log ?? err })
        out(
          `Neo4j ${NEO4J_VERSION} ${handle.startedByUs ? 'started' : 'is already running'} (pid ${handle.pid})`
        )
        out(`  Bolt:    ${handle.boltUri}`)
        out(`  Browser: ${handle.browserUri}`)
        out(`  User:    ${NEO4J_USER}`)
      })
    )

  db.command('stop')
    .description('Stop the local Neo4j server')
    .action(
      action(async () => {
        const { home } = getOptions()
        out((await stopLocalNeo4j(home)) ? 'Neo4j stopped' : 'Neo4j was not running')
      })
    )

  db.command('status')
    .description('Tell whether the local Neo4j server is running (exit code 1 when it is not)')
    .action(
      action(async () => {
        const { home } = getOptions()
        const status = await statusLocalNeo4j(home)
        if (!status.running) {
          out('Neo4j is not running')
          process.exitCode = 1
          return
        }
        out(`Neo4j is running (pid ${status.pid})`)
        if (status.boltUri !== undefined) out(`  Bolt:    ${status.boltUri}`)
        if (status.httpUri !== undefined) out(`  Browser: ${status.httpUri}/browser/`)
      })
    )
}
