// `cinegraph seed demo`: apply pending migrations, load the demo dataset from data/demo (or --dir) and
// say what was loaded.
import type { Command } from 'commander'
import type { Database } from '../db/database.js'
import { migrate } from '../db/migrate.js'
import { seedDemo } from '../seed/demo.js'
import type { SeedSummary } from '../seed/demo.js'

const out = (line: string): void => void process.stdout.write(`${line}\n`)
const err = (line: string): void => void process.stderr.write(`${line}\n`)

export function formatSeedSummary(summary: SeedSummary): string[] {
  return [
    `loaded the demo dataset from ${summary.dir}`,
    `  movies         ${summary.movies}`,
    `  genres         ${summary.genres}`,
    `  users          ${summary.users}`,
    `  relationships  ${summary.relationships}`,
    `  ratings        ${summary.ratings}`,
    `  reviews        ${summary.reviews}`,
    `  searches       ${summary.searches}`,
    `  every timestamp lies before ${summary.anchor}`
  ]
}

export function registerSeedCommand(program: Command, getDb: () => Promise<Database>): void {
  const seed = program.command('seed').description('Load sample data into the graph')

  seed
    .command('demo')
    .description(
      'Load the demo dataset (movies, genres, users, ratings, reviews, searches); safe to run again'
    )
    .option('--dir <path>', 'directory holding the demo JSON files')
    .action(async (options: { dir?: string }) => {
      let db: Database | undefined
      try {
        db = await getDb()
        // The load MERGEs on unique keys; only the constraints make concurrent MERGEs safe.
        await migrate(db, { log: err })
        const summary = await seedDemo(db, options.dir === undefined ? {} : { dir: options.dir })
        for (const line of formatSeedSummary(summary)) out(line)
      } catch (error) {
        // One line for the person at the terminal, no stack trace.
        err(`error: ${error instanceof Error ? error.message : String(error)}`)
        process.exitCode = 1
      } finally {
        await db?.close()
      }
    })
}
