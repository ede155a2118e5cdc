/**
 * `cinegraph doctor`: checks the invariants that a hand edit in Neo4j Browser or a killed job can
 * break, and with `repair` fixes what can be fixed safely. Each check is inspected; with `repair`
 * and something found, repaired and inspected again, so the result says what was found, what was
 * done and what is left. Checks run one after another in CHECKS order, which repairs rely on.
 */
import type { Database } from '../db/database.js'
import { CHECKS } from './checks.js'
import type { CheckName, Example } from './checks.js'

export interface DoctorOptions {
  repair?: boolean
  /** Only these checks (default all), still in their own order. */
  checks?: readonly CheckName[]
  /** Examples named per check (default 5). */
  examples?: number
  /** Rows or movies per repair transaction (default 1000). */
  batchSize?: number
  migrationsDir?: string
  awaitIndexSeconds?: number
  /** Called as each check finishes, so a long run can be followed. */
  onResult?: (result: CheckResult) => void
}

export interface CheckOutcome {
  count: number
  examples: Example[]
  unrepairable?: string
}

export interface CheckResult extends CheckOutcome {
  name: CheckName
  description: string
  duration_ms: number
  /** With `repair`, when something was found: what was done and what is left. */
  repair?: {
    summary: string
    changed: number
    duration_ms: number
    left: CheckOutcome
  }
}

export interface DoctorReport {
  /** Every check holds (after the repair, with `repair`). */
  ok: boolean
  repair: boolean
  checks: CheckResult[]
}

export const DEFAULT_EXAMPLES = 5
export const DEFAULT_BATCH_SIZE = 1000

/** What is wrong after the run: the count left by a repair, else the count found. */
export function leftOver(result: CheckResult): number {
  return result.repair ? result.repair.left.count : result.count
}

export async function runDoctor(db: Database, options: DoctorOptions = {}): Promise<DoctorReport> {
  const ctx = {
    db,
    limit: options.examples ?? DEFAULT_EXAMPLES,
    batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
    awaitIndexSeconds: options.awaitIndexSeconds ?? 300,
    ...(options.migrationsDir === undefined ? {} : { migrationsDir: options.migrationsDir })
  }
  const wanted = options.checks ? new Set(options.checks) : undefined
  const results: CheckResult[] = []
  for (const check of CHECKS) {
    if (wanted && !wanted.has(check.name)) continue
    const started = Date.now()
    const found = await check.inspect(ctx)
    const result: CheckResult = {
      name: check.name,
      description: check.description,
      ...found,
      duration_ms: Date.now() - started
    }
    if (options.repair && found.count > 0 && check.repair) {
      const repairStarted = Date.now()
      const done = await check.repair(ctx)
      const left = await check.inspect(ctx)
      result.repair = { ...done, duration_ms: Date.now() - repairStarted, left }
    }
    results.push(result)
    options.onResult?.(result)
  }
  return {
    ok: results.every((r) => leftOver(r) === 0),
    repair: options.repair === true,
    checks: results
  }
}
