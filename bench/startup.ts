/**
 * `npx tsx bench/startup.ts [--runs 3]`: the start-up time and resident memory of the local Neo4j
 * as the README quotes them, measured here: each configuration is started `runs` times as a
 * throwaway server (free ports, temporary home), timed from launch until Bolt answers (the
 * runner's own measure), its JVM's resident set read from /proc just after, then stopped. Prints
 * a Markdown table with the median and range of each, and the load average, since start-up on a
 * shared 2-core machine depends on what else runs.
 */
import { readFile } from 'node:fs/promises'
import { cpus, loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { startEphemeralNeo4j } from '../src/neo4j-local/index.js'
import { fmt, median, table } from './lib/stats.js'

const CONFIGS = [
  { name: 'embedded default (`npm start`)', heap: '2g', pageCache: '2g' },
  { name: 'tests (throwaway)', heap: '1g', pageCache: '512m' }
] as const

async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1]
  return kib === undefined ? Number.NaN : Number(kib) / 1024
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } })
  const runs = Number(values.runs)
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs is a positive integer')
  const rows: string[][] = []
  const loads: number[] = []
  for (const config of CONFIGS) {
    const seconds: number[] = []
    const rss: number[] = []
    for (let i = 0; i < runs; i++) {
      loads.push(loadavg()[0] ?? Number.NaN)
      let answered = Number.NaN
      const handle = await startEphemeralNeo4j({
        heap: config.heap,
        pageCache: config.pageCache,
        log: (line) => {
          const match = /answered on Bolt after ([\d.]+) s/.exec(line)
          if (match) answered = Number(match[1])
          console.error(line)
        }
      })
      try {
        rss.push(await rssMiB(handle.pid))
        seconds.push(answered)
      } finally {
        await handle.stop()
      }
    }
    const range = (values: number[], digits: number): string =>
      `${fmt(median(values), digits)} (${fmt(Math.min(...values), digits)}–${fmt(Math.max(...values), digits)})`
    rows.push([
      config.name,
      `${config.heap} / ${config.pageCache}`,
      `${range(seconds, 1)} s`,
      `${range(rss, 0)} MiB`
    ])
  }
  console.log(
    [
      `Measured by \`npx tsx bench/startup.ts --runs ${runs}\` on ${new Date().toISOString()}, ${cpus().length} cores, ` +
        `load average ${fmt(Math.min(...loads), 1)}–${fmt(Math.max(...loads), 1)} at the starts; median (range) of ${runs} starts:`,
      '',
      table(
        ['', 'heap / page cache', 'launch → Bolt answers', 'resident memory (RSS) just after start'],
        rows
      )
    ].join('\n')
  )
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err))
  process.exit(1)
})
