// `cinegraph similarity rebuild`: recompute the precomputed SIMILAR_TO edges in batches.
import type { Command } from 'commander'
import { InvalidArgumentError } from 'commander'
import { loadTraversalConfig } from '../config/traversal.js'
import type { Database } from '../db/database.js'
import { rebuildSimilarity } from '../similarity/rebuild.js'
import type { RebuildProgress } from '../similarity/rebuild.js'

function integerOption(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value)
    if (!/^\d+$/.test(value) || n < min || n > max) {
      throw new InvalidArgumentError(`must be an integer from ${min} to ${max}`)
    }
    return n
  }
}

function progressLine(p: RebuildProgress): string {
  const pct = p.total === 0 ? 100 : Math.floor((p.done / p.total) * 100)
  return p.phase === 'compute'
    ? `scoring  ${p.done}/${p.total} movies (${pct}%), ${p.edgeWrites} edge writes`
    : `cleanup  ${p.done}/${p.total} movies (${pct}%), ${p.edgesRemoved} old edges removed`
}

export function registerSimilarityCommand(program: Command, getDb: () => Promise<Database>): void {
  const similarity = program
    .command('similarity')
    .description('Precomputed movie similarity (SIMILAR_TO edges with source "computed")')

  similarity
    .command('rebuild')
    .description(
      'Score every movie against its bounded candidates and keep its top-k as computed SIMILAR_TO edges, ' +
        'replacing earlier computed edges; editorial and tmdb edges are never changed'
    )
    .option(
      '--top-k <n>',
      'similar movies kept per movie (default SIMILARITY_TOP_K or 20)',
      integerOption(1, 1000)
    )
    .option(
      '--batch-size <n>',
      'movies scored per transaction (default SIMILARITY_BATCH_SIZE or 200)',
      integerOption(1, 5000)
    )
    .action(async (opts: { topK?: number; batchSize?: number }) => {
      const config = loadTraversalConfig()
      const tty = process.stderr.isTTY === true
      let db: Database | undefined
      try {
        db = await getDb()
        const summary = await rebuildSimilarity(db, {
          topK: opts.topK ?? config.rebuild.topK,
          batchSize: opts.batchSize ?? config.rebuild.batchSize,
          config: config.similar,
          // Progress is for a person watching; logs and pipes only get the summary.
          onProgress: tty ? (p) => process.stderr.write(`\r\x1b[2K${progressLine(p)}`) : undefined
        })
        if (tty) process.stderr.write('\r\x1b[2K')
        console.log(
          `similarity rebuilt: ${summary.movies} movies in ${summary.batches} batches, ` +
            `${summary.edges} computed edges, ${summary.edgesRemoved} old ones removed ` +
            `(${(summary.durationMs / 1000).toFixed(1)}s, run ${summary.runId})`
        )
      } catch (error) {
        if (tty) process.stderr.write('\n')
        console.error(`error: ${error instanceof Error ? error.message : String(error)}`)
        process.exitCode = 1
      } finally {
        await db?.close()
      }
    })
}
