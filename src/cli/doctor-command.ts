// `cinegraph doctor [--repair]`: check the graph's invariants, report each with a count and a few
// examples, and repair what can be repaired safely. The exit code says which (DOCTOR_EXIT_CODES).
import { InvalidArgumentError } from 'commander'
import type { Command } from 'commander'
import type { Database } from '../db/database.js'
import { CHECK_NAMES } from '../doctor/checks.js'
import type { CheckName, Example } from '../doctor/checks.js'
import { DEFAULT_BATCH_SIZE, DEFAULT_EXAMPLES, leftOver, runDoctor } from '../doctor/doctor.js'
import type { CheckResult, DoctorReport } from '../doctor/doctor.js'
import { splitList } from '../data/list-params.js'

export const DOCTOR_EXIT_CODES = {
  /** Every invariant holds (after --repair: everything found was repaired). */
  ok: 0,
  /** Something is wrong (after --repair: something is left). */
  problems: 1,
  /** The checks could not run: Neo4j unreachable, bad configuration, a query that failed. */
  failed: 2
} as const

const out = (line: string): void => void process.stdout.write(`${line}\n`)
const err = (line: string): void => void process.stderr.write(`${line}\n`)

function integerOption(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value)
    if (!/^\d+$/.test(value) || n < min || n > max) {
      throw new InvalidArgumentError(`must be an integer from ${min} to ${max}`)
    }
    return n
  }
}

function checksOption(value: string): CheckName[] {
  const names = splitList(value)
  const unknown = names.filter((n) => !(CHECK_NAMES as readonly string[]).includes(n))
  if (names.length === 0 || unknown.length > 0) {
    throw new InvalidArgumentError(`must name checks among ${CHECK_NAMES.join(', ')}`)
  }
  return names as CheckName[]
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`

function formatValue(value: Example[string]): string {
  return typeof value === 'string' ? value : JSON.stringify(value)
}

/** Neo4j hands map keys back in no set order; what names the item goes first. */
const naming = (key: string): number => (key.endsWith('_id') || key === 'name' || key === 'file' ? 0 : 1)

export function formatExample(example: Example): string {
  return Object.entries(example)
    .sort(([a], [b]) => naming(a) - naming(b))
    .map(([key, value]) => `${key}: ${formatValue(value)}`)
    .join(', ')
}

/** The lines of one check: a status, the count, examples, and with a repair what it did and left. */
export function formatCheck(result: CheckResult): string[] {
  const status =
    result.count === 0 ? 'ok' : result.repair && result.repair.left.count === 0 ? 'fixed' : 'FOUND'
  const lines = [
    `${status.padEnd(5)} ${result.name.padEnd(14)} ${result.count} ${result.description} (${seconds(result.duration_ms)})`
  ]
  for (const example of result.examples) lines.push(`        ${formatExample(example)}`)
  if (result.repair) {
    const { left } = result.repair
    lines.push(
      `      repaired: ${result.repair.summary} (${seconds(result.repair.duration_ms)}); left: ${left.count}`
    )
    if (left.count > 0) for (const example of left.examples) lines.push(`        ${formatExample(example)}`)
  }
  const unrepairable = result.repair ? result.repair.left.unrepairable : result.unrepairable
  if (leftOver(result) > 0 && unrepairable) lines.push(`      note: ${unrepairable}`)
  return lines
}

export function formatVerdict(report: DoctorReport): string {
  const wrong = report.checks.filter((c) => leftOver(c) > 0)
  const all = report.checks.length
  if (wrong.length === 0) {
    const fixed = report.checks.filter((c) => c.count > 0).length
    return fixed > 0 ? `all ${all} checks hold (${fixed} repaired)` : `all ${all} checks hold`
  }
  const names = wrong.map((c) => `${c.name} (${leftOver(c)})`).join(', ')
  return report.repair
    ? `left after repairing: ${names}`
    : `found: ${names}; \`cinegraph doctor --repair\` repairs what can be repaired safely`
}

export function exitCodeOf(report: DoctorReport): number {
  return report.ok ? DOCTOR_EXIT_CODES.ok : DOCTOR_EXIT_CODES.problems
}

/** One line whatever the error: the person at the terminal gets the reason, never a stack. */
function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim()
}

interface DoctorFlags {
  repair?: boolean
  json?: boolean
  checks?: CheckName[]
  examples?: number
  batchSize?: number
}

export function registerDoctorCommand(program: Command, getDb: () => Promise<Database>): void {
  program
    .command('doctor')
    .description(
      'Check the invariants a hand edit or a killed job can break (orphan ratings and reviews, movie ' +
        'aggregates, stale import flags, expired job locks, similar lists naming deleted movies, indexes, ' +
        'migrations); --repair fixes what can be fixed safely. Exit 0: all hold, 1: something is wrong ' +
        '(or left after --repair), 2: the checks could not run'
    )
    .option(
      '--repair',
      'repair what can be repaired safely, in batches; running it again finishes an interrupted repair'
    )
    .option('--json', 'print one JSON report on stdout instead of lines')
    .option(
      '--checks <names>',
      `only these checks (comma-separated): ${CHECK_NAMES.join(', ')}`,
      checksOption
    )
    .option('--examples <n>', `examples named per check (default ${DEFAULT_EXAMPLES})`, integerOption(0, 100))
    .option(
      '--batch-size <n>',
      `rows or movies per repair transaction (default ${DEFAULT_BATCH_SIZE})`,
      integerOption(1, 100_000)
    )
    // A bad argument means the checks could not run: 2, like any other failure to run.
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : DOCTOR_EXIT_CODES.failed))
    .action(async (flags: DoctorFlags) => {
      let db: Database | undefined
      try {
        db = await getDb()
        try {
          await db.driver.verifyConnectivity({ database: db.name })
        } catch (error) {
          throw new Error(`cannot reach Neo4j: ${oneLine(error)}`)
        }
        const report = await runDoctor(db, {
          repair: flags.repair === true,
          ...(flags.checks === undefined ? {} : { checks: flags.checks }),
          ...(flags.examples === undefined ? {} : { examples: flags.examples }),
          ...(flags.batchSize === undefined ? {} : { batchSize: flags.batchSize }),
          ...(flags.json ? {} : { onResult: (result) => formatCheck(result).forEach(out) })
        })
        if (flags.json) out(JSON.stringify(report))
        else out(formatVerdict(report))
        process.exitCode = exitCodeOf(report)
      } catch (error) {
        err(`error: ${oneLine(error)}`)
        process.exitCode = DOCTOR_EXIT_CODES.failed
      } finally {
        await db?.close().catch(() => undefined)
      }
    })
}
