// `cinegraph import movielens|tmdb|tweets`: apply pending migrations, then bulk-load one source.
// Progress goes to stderr, the summary to stdout, refused rows to a rejects file; the exit code
// says whether everything was taken (see IMPORT_EXIT_CODES).
import { InvalidArgumentError } from 'commander'
import type { Command } from 'commander'
import type { Database } from '../db/database.js'
import { migrate } from '../db/migrate.js'
import { importMovieLens } from '../ingest/import-movielens.js'
import { importTmdb } from '../ingest/import-tmdb.js'
import type { TmdbImportSummary } from '../ingest/import-tmdb.js'
import { importTweets } from '../ingest/import-tweets.js'
import { formatCount, formatDuration } from '../ingest/progress.js'
import type { ImportOptions, ImportSummary } from '../ingest/writer.js'

export const IMPORT_EXIT_CODES = {
  /** Every row was imported (or was already there). */
  ok: 0,
  /** The import could not run or stopped: bad arguments, no database, an unreadable or broken file. */
  failed: 1,
  /** The import ran to the end, but some rows were refused; they are in the rejects file(s). */
  rejected: 2
} as const

const out = (line: string): void => void process.stdout.write(`${line}\n`)
const err = (line: string): void => void process.stderr.write(`${line}\n`)

function positiveInteger(value: string): number {
  const n = Number(value)
  if (!/^\d+$/.test(value) || n < 1 || n > 100_000)
    throw new InvalidArgumentError('must be an integer from 1 to 100000')
  return n
}

export function formatImportSummary(summary: ImportSummary): string[] {
  const lines: string[] = []
  const counts = (c: ImportSummary | ImportSummary['files'][number]): string =>
    `read ${formatCount(c.read)}, created ${formatCount(c.created)}, updated ${formatCount(c.updated)}, ` +
    `unchanged ${formatCount(c.unchanged)}, rejected ${formatCount(c.rejected)}`
  for (const file of summary.files) {
    lines.push(
      `${file.file}: ${counts(file)} in ${formatDuration(file.elapsedMs)} (${formatCount(file.rowsPerSecond)} rows/s)`
    )
    if (file.rejectsPath) lines.push(`  rejected rows: ${file.rejectsPath}`)
  }
  if (summary.files.length > 1) {
    lines.push(
      `total: ${counts(summary)} in ${formatDuration(summary.elapsedMs)} (${formatCount(summary.rowsPerSecond)} rows/s)`
    )
  }
  const links = (summary as Partial<TmdbImportSummary>).links
  if (links) {
    lines.push(
      `links: ${formatCount(links.similar)} SIMILAR_TO and ${formatCount(links.franchise)} SAME_FRANCHISE edges written, ` +
        `${formatCount(links.pending)} movies still name movies not loaded yet`
    )
  }
  return lines
}

interface CommonFlags {
  batchSize?: number
  rejects?: string
}

function importOptions(flags: CommonFlags & { hashtags?: string }): ImportOptions {
  return {
    progress: process.stderr,
    ...(flags.batchSize === undefined ? {} : { batchSize: flags.batchSize }),
    ...(flags.rejects === undefined ? {} : { rejectsPath: flags.rejects }),
    ...(flags.hashtags === undefined ? {} : { hashtags: flags.hashtags })
  }
}

async function runImport(
  getDb: () => Promise<Database>,
  load: (db: Database) => Promise<ImportSummary>
): Promise<void> {
  let db: Database | undefined
  try {
    db = await getDb()
    // The writers MERGE on unique keys; only the constraints make concurrent MERGEs safe.
    await migrate(db, { log: err })
    const summary = await load(db)
    for (const line of formatImportSummary(summary)) out(line)
    process.exitCode = summary.rejected > 0 ? IMPORT_EXIT_CODES.rejected : IMPORT_EXIT_CODES.ok
  } catch (error) {
    err(`error: ${error instanceof Error ? error.message : String(error)}`)
    process.exitCode = IMPORT_EXIT_CODES.failed
  } finally {
    await db?.close()
  }
}

export function registerImportCommand(program: Command, getDb: () => Promise<Database>): void {
  const command = program
    .command('import')
    .description(
      'Bulk-load MovieLens, TMDB or tweet files; safe to run again or to restart after an interruption. ' +
        'Exit code 0: all rows imported, 2: some rows refused (see the rejects file), 1: failed'
    )
  const common = (sub: Command, rejects: string): Command =>
    sub
      .option('--batch-size <n>', 'rows per write transaction (default 5000)', positiveInteger)
      .option('--rejects <path>', rejects)

  common(
    command
      .command('movielens <dir>')
      .description(
        'Load movies.csv, links.csv, ratings.csv and tags.csv (each may be gzipped) from a directory'
      ),
    'directory for the <file>.rejects.jsonl files (default: next to each input)'
  ).action(async (dir: string, flags: CommonFlags) => {
    await runImport(getDb, (db) => importMovieLens(db, dir, importOptions(flags)))
  })

  common(
    command
      .command('tmdb <file>')
      .description('Load TMDB movie details, one JSON object per line; - reads stdin; plain or gzip'),
    'rejects file (default: <file>.rejects.jsonl, or tmdb-stdin.rejects.jsonl for stdin)'
  ).action(async (file: string, flags: CommonFlags) => {
    await runImport(getDb, (db) => importTmdb(db, file, importOptions(flags)))
  })

  common(
    command
      .command('tweets <file>')
      .description('Load Twitter API v2 tweets as reviews, one per line; - reads stdin; plain or gzip')
      .option('--hashtags <map.json>', 'hashtag map for tweets that name their movie only by hashtag'),
    'rejects file (default: <file>.rejects.jsonl, or tweets-stdin.rejects.jsonl for stdin)'
  ).action(async (file: string, flags: CommonFlags & { hashtags?: string }) => {
    await runImport(getDb, (db) => importTweets(db, file, importOptions(flags)))
  })
}
