/**
 * `npm run bench`: runs the benchmark suites against a real Neo4j (NEO4J_URI, or a throwaway local
 * server sized for benchmarking) and writes BENCHMARKS.md with the machine, the figures, and each
 * suite's ratio against a baseline measured in the same process.
 *
 *   npm run bench -- --suites import,api --scale small
 *   npm run bench -- --suites api --keep     (re-runs one suite, keeps the other sections)
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { Database } from '../src/db/database.js'
import { migrate } from '../src/db/migrate.js'
import { startEphemeralNeo4j } from '../src/neo4j-local/index.js'
import { PROJECT_ROOT } from '../src/project-root.js'
import { describeMachine, serverNeo4j } from './lib/machine.js'
import { mergeSections, renderSections, runLine } from './lib/report.js'
import type { Section } from './lib/report.js'
import { table } from './lib/stats.js'
import { SUITES } from './suites/index.js'
import type { BenchContext, Scale } from './suites/types.js'

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      suites: { type: 'string', default: Object.keys(SUITES).join(',') },
      scale: { type: 'string', default: 'full' },
      out: { type: 'string', default: join(PROJECT_ROOT, 'BENCHMARKS.md') },
      keep: { type: 'boolean', default: false }
    }
  })
  const scale = values.scale as Scale
  if (scale !== 'small' && scale !== 'full') throw new Error('--scale is small or full')
  const names = values.suites.split(',').filter(Boolean)
  for (const name of names) if (!(name in SUITES)) throw new Error(`unknown suite ${name}`)

  const machine = describeMachine()
  const workDir = await mkdtemp(join(tmpdir(), 'cinegraph-bench-'))
  let neo4j: { uri: string; user: string; password: string; stop: () => Promise<void> }
  if (process.env.NEO4J_URI) {
    neo4j = {
      uri: process.env.NEO4J_URI,
      user: process.env.NEO4J_USER ?? 'neo4j',
      password: process.env.NEO4J_PASSWORD ?? '',
      stop: async () => {}
    }
  } else {
    const handle = await startEphemeralNeo4j({ heap: '4g', pageCache: '4g', log: (l) => console.error(l) })
    neo4j = { uri: handle.boltUri, user: handle.user, password: handle.password, stop: () => handle.stop() }
  }
  const db = new Database({
    uri: neo4j.uri,
    user: neo4j.user,
    password: neo4j.password,
    database: process.env.NEO4J_DATABASE ?? 'neo4j',
    txTimeoutMs: 600_000,
    connectionTimeoutMs: 10_000
  })
  const sections: Section[] = []
  try {
    machine.neo4j = await serverNeo4j(db)
    await migrate(db)
    const ctx: BenchContext = {
      db,
      neo4j: { uri: neo4j.uri, user: neo4j.user, password: neo4j.password },
      scale,
      workDir,
      log: (line) => console.error(`[bench] ${line}`)
    }
    for (const name of names) {
      const suite = SUITES[name]
      if (!suite) continue
      ctx.log(`suite ${name}: ${suite.title}`)
      const started = new Date()
      const text = await suite.run(ctx)
      const seconds = ((Date.now() - started.getTime()) / 1000).toFixed(0)
      sections.push({
        title: suite.title,
        body: `${runLine(started, scale)}\n\n${text}\n\n_Suite time: ${seconds} s._`
      })
    }
  } finally {
    await db.close()
    await neo4j.stop()
    await rm(workDir, { recursive: true, force: true })
  }

  const header = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\` on ${new Date().toISOString()} (scale: ${scale}, suites: ${names.join(', ')}` +
      `${values.keep ? '; other sections kept from an earlier run' : ''}). Each section says when it ran.`,
    'Latencies are medians and percentiles of many requests; ratios compare against a baseline measured',
    'in the same process on the same server, because absolute figures on a shared 2-core machine move',
    'from run to run.',
    '',
    table(
      ['machine', ''],
      [
        ['CPU', `${machine.cpu} (${machine.cores} cores)`],
        ['memory', `${machine.memoryGiB} GiB (${machine.freeMemoryGiB} GiB free at start)`],
        ['OS', machine.os],
        ['Node.js', machine.node],
        ['Java', machine.java],
        ['Neo4j', machine.neo4j]
      ]
    )
  ].join('\n')
  const previous = values.keep ? await readFile(values.out, 'utf8').catch(() => null) : null
  const merged = mergeSections(
    sections,
    previous,
    Object.values(SUITES).map((suite) => suite.title)
  )
  await writeFile(values.out, `${header}\n\n${renderSections(merged)}\n`)
  console.error(`wrote ${values.out}`)
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err))
  process.exit(1)
})
