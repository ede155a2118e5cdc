// `cinegraph import movielens|tmdb|tweets`: apply pending migrations, then bulk-load one source.
// Progress goes to stderr, the summary to stdout, refused rows to a rejects file; the exit code
// says whether everything was taken (see IMPORT_EXIT_CODES).
import { InvalidArgumentError } from 'commander'
import type { Command } from 'commander'
import type { TraversalConfig } from '../config.js'
import type { Database } from '../db/database.js'
import { migrate } from '../db/migrate.js'
import { rebuildSimilarity } from '../data/similar/rebuild.js'
import { progressReporter, summaryLine } from './similar-command.js'
import { importMovieLens } from '../ingest/import-movielens.js'
import { importTmdb } from '../ingest/import-tmdb.js'
import type { TmdbImportSummary } from '../ingest/import-tmdb.js'
import { importTweets } from '../ingest/import-tweets.js'
import { formatCount, formatDuration } from '../ingest/progress.js'
import type { ImportOptions, ImportSummary } from '../ingest/file-run.js'

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
  refreshSimilar?: boolean
}

/** What `--refresh-similar` needs: a connection for a long read, and the similarity settings. */
export interface SimilarRefresh {
  getDb: () => Promise<Database>
  getConfig: () => TraversalConfig
}

/**
 * Refreshes the similar lists of the movies the import touched (everything written since it
 * started). It runs after the import committed, so a failure here leaves the imported rows in
 * place and is reported as its own line.
 */
async function refreshSimilar(refresh: SimilarRefresh, since: string): Promise<boolean> {
  const progress = progressReporter((text) => process.stderr.write(text), process.stderr.isTTY === true)
  let db: Database | undefined
  try {
    const config = refresh.getConfig()
    db = await refresh.getDb()
    const summary = await rebuildSimilarity(db, {
      since,
      topK: config.rebuild.topK,
      batchSize: config.rebuild.batchSize,
      config: config.similar,
      txTimeoutMs: config.rebuild.txTimeoutMs,
      onProgress: progress.report
    })
    progress.end()
    out(summaryLine(summary))
    return true
  } catch (error) {
    progress.end()
    err(`error: similar lists were not refreshed: ${error instanceof Error ? error.message : String(error)}`)
    return false
  } finally {
    await db?.close()
  }
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
  load: (db: Database) => Promise<ImportSummary>,
  refresh: SimilarRefresh | undefined
): Promise<void> {
  let db: Database | undefined
  let since: string | undefined
  try {
    db = await getDb()
    // The writers MERGE on unique keys; only the constraints make concurrent MERGEs safe.
    await migrate(db, { log: err })
    // The database's clock, the one the rows' updated_at values come from.
    const [clock] = await db.readRows<{ now: string }>('RETURN toString(datetime()) AS now')
    since = clock?.now
    const summary = await load(db)
    for (const line of formatImportSummary(summary)) out(line)
    process.exitCode = summary.rejected > 0 ? IMPORT_EXIT_CODES.rejected : IMPORT_EXIT_CODES.ok
  } catch (error) {
    err(`error: ${error instanceof Error ? error.message : String(error)}`)
    process.exitCode = IMPORT_EXIT_CODES.failed
    return
  } finally {
    await db?.close()
  }
  if (refresh && since !== undefined && !(await refreshSimilar(refresh, since))) {
    process.exitCode = IMPORT_EXIT_CODES.failed
  }
}

export function registerImportCommand(
  program: Command,
  getDb: () => Promise<Database>,
  similar?: SimilarRefresh
): void {
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
      .option(
        '--refresh-similar',
        'afterwards, refresh the stored similar lists of the movies the import touched ' +
          '(as `cinegraph similarity rebuild --since <import start>`)'
      )

  common(
    command
      .command('movielens <dir>')
      .description(
        'Load movies.csv, links.csv, ratings.csv and tags.csv (each may be gzipped) from a directory'
      ),
    'directory for the <file>.rejects.jsonl files (default: next to each input)'
  ).action(async (dir: string, flags: CommonFlags) => {
    await runImport(
      getDb,
      (db) => importMovieLens(db, dir, importOptions(flags)),
      flags.refreshSimilar ? similar : undefined
    )
  })

  common(
    command
      .command('tmdb <file>')
      .description('Load TMDB movie details, one JSON object per line; - reads stdin; plain or gzip'),
    'rejects file (default: <file>.rejects.jsonl, or tmdb-stdin.rejects.jsonl for stdin)'
  ).action(async (file: string, flags: CommonFlags) => {
    await runImport(
      getDb,
      (db) => importTmdb(db, file, importOptions(flags)),
      flags.refreshSimilar ? similar : undefined
    )
  })

  common(
    command
      .command('tweets <file>')
      .description('Load Twitter API v2 tweets as reviews, one per line; - reads stdin; plain or gzip')
      .option('--hashtags <map.json>', 'hashtag map for tweets that name their movie only by hashtag'),
    'rejects file (default: <file>.rejects.jsonl, or tweets-stdin.rejects.jsonl for stdin)'
  ).action(async (file: string, flags: CommonFlags & { hashtags?: string }) => {
    await runImport(
      getDb,
      (db) => importTweets(db, file, importOptions(flags)),
      flags.refreshSimilar ? similar : undefined
    )
  })
}
