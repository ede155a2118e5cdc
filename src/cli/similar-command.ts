// `cinegraph similarity rebuild`: recompute every movie's stored similar-movie list, or refresh
// the lists of the movies touched since a time.
import type { Command } from 'commander'
import { InvalidArgumentError } from 'commander'
import type { TraversalConfig } from '../config.js'
import type { Database } from '../db/database.js'
import { splitList } from '../data/list-params.js'
import { rebuildSimilarity } from '../data/similar/rebuild.js'
import type { RebuildProgress, RebuildSummary } from '../data/similar/rebuild.js'

function integerOption(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value)
    if (!/^\d+$/.test(value) || n < min || n > max) {
      throw new InvalidArgumentError(`must be an integer from ${min} to ${max}`)
    }
    return n
  }
}

function sinceOption(value: string): string {
  if (value === 'last' || !Number.isNaN(Date.parse(value))) return value
  throw new InvalidArgumentError("must be an ISO date-time (2026-12-01T00:00:00Z) or 'last'")
}

function movieIdsOption(value: string): string[] {
  const ids = splitList(value)
  if (ids.length === 0) throw new InvalidArgumentError('must name at least one movie_id')
  return ids
}

const LOG_EVERY_MS = 10_000
const BAR_WIDTH = 24

/**
 * What a person watching sees: a bar with rate and ETA on a terminal, one line every 10 s
 * otherwise (logs and pipes), so a long run is never silent.
 */
export function progressReporter(
  write: (text: string) => void,
  tty: boolean,
  now: () => number = Date.now
): { report: (p: RebuildProgress) => void; end: () => void } {
  const started = now()
  let scoreStarted: number | undefined
  let lastLog = started
  let drawn = false
  const line = (p: RebuildProgress): string => {
    if (p.phase === 'cleanup') return `removing computed edges of the former rebuild: ${p.done}`
    if (p.phase === 'load') return `loading the catalogue: ${p.done} rows (${p.message ?? ''})`
    scoreStarted ??= now()
    const seconds = Math.max((now() - scoreStarted) / 1000, 0.001)
    const rate = p.done / seconds
    const eta = rate > 0 ? Math.ceil((p.total - p.done) / rate) : 0
    const pct = p.total === 0 ? 100 : Math.floor((p.done / p.total) * 100)
    const filled = Math.round((pct / 100) * BAR_WIDTH)
    const bar = tty ? `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ` : ''
    return `${bar}${p.done}/${p.total} movies (${pct}%), ${Math.round(rate)} movies/s, ETA ${eta}s`
  }
  return {
    report(p) {
      if (tty) {
        write(`\r\x1b[2K${line(p)}`)
        drawn = true
        return
      }
      const t = now()
      const last = p.phase === 'score' && p.done === p.total && p.total > 0
      if (t - lastLog >= LOG_EVERY_MS || last) {
        lastLog = t
        write(`${line(p)}\n`)
      }
    },
    end() {
      if (tty && drawn) write('\r\x1b[2K')
    }
  }
}

export function summaryLine(s: RebuildSummary): string {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`
  return (
    `similarity ${s.mode === 'full' ? 'rebuilt' : 'refreshed'}: ${s.written} of ${s.movies} movies, ` +
    `${s.entries} list entries (${seconds(s.durationMs)}: load ${seconds(s.phasesMs.load)}, ` +
    `score and write ${seconds(s.phasesMs.score)}` +
    `${s.legacyEdgesRemoved > 0 ? `; ${s.legacyEdgesRemoved} former computed edges removed` : ''}; ` +
    `run ${s.runId})`
  )
}

export function registerSimilarityCommand(
  program: Command,
  getDb: () => Promise<Database>,
  getConfig: () => TraversalConfig
): void {
  const similarity = program
    .command('similarity')
    .description('Similar-movie lists stored on each movie, read by GET /movies/:movie_id/similar')

  similarity
    .command('rebuild')
    .description(
      'Score every movie against its candidates (co-liked movies, explicit SIMILAR_TO edges, franchise, ' +
        'popular genre-mates) and store its top-k; with --since or --movies, only the touched movies'
    )
    .option(
      '--top-k <n>',
      'similar movies kept per movie (default SIMILARITY_TOP_K or 20)',
      integerOption(1, 1000)
    )
    .option(
      '--batch-size <n>',
      'movies whose lists are written per transaction (default SIMILARITY_BATCH_SIZE or 1000)',
      integerOption(1, 10_000)
    )
    .option(
      '--since <time>',
      "refresh only movies whose ratings, genres or edges changed since this ISO time, plus new ones; 'last' " +
        'means since the last finished run',
      sinceOption
    )
    .option('--movies <ids>', 'refresh only these movie_ids (comma-separated)', movieIdsOption)
    .action(async (opts: { topK?: number; batchSize?: number; since?: string; movies?: string[] }) => {
      if (opts.since !== undefined && opts.movies !== undefined) {
        console.error('error: give either --since or --movies, not both')
        process.exitCode = 1
        return
      }
      const tty = process.stderr.isTTY === true
      const progress = progressReporter((text) => process.stderr.write(text), tty)
      let db: Database | undefined
      try {
        const config = getConfig()
        db = await getDb()
        const summary = await rebuildSimilarity(db, {
          topK: opts.topK ?? config.rebuild.topK,
          batchSize: opts.batchSize ?? config.rebuild.batchSize,
          config: config.similar,
          txTimeoutMs: config.rebuild.txTimeoutMs,
          ...(opts.since === undefined ? {} : { since: opts.since }),
          ...(opts.movies === undefined ? {} : { movieIds: opts.movies }),
          onProgress: progress.report
        })
        progress.end()
        console.log(summaryLine(summary))
      } catch (error) {
        progress.end()
        console.error(`error: ${error instanceof Error ? error.message : String(error)}`)
        process.exitCode = 1
      } finally {
        await db?.close()
      }
    })
}
