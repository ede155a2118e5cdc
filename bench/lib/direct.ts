/**
 * The "direct driver" baseline of an HTTP route: the route's own Cypher sent straight through
 * neo4j-driver from this process, with the same concurrency and the same kind of arguments, and
 * no HTTP, hooks, schemas, conversion or error mapping in between. What the API costs on top of
 * its queries is then a ratio measured in the same run.
 *
 * Requests are timed as the HTTP workload times them; one that has no answer within the timeout
 * counts as a failure and enters the percentiles at the timeout, never dropped.
 */
import neo4j from 'neo4j-driver'
import type { Driver, ManagedTransaction, Session } from 'neo4j-driver'
import { latencies } from './workload.js'
import type { KindResult, WorkloadResult } from './workload.js'

/** What runs a query: a managed transaction, or the session itself for an auto-commit query. */
export type QueryRunner = Pick<ManagedTransaction, 'run'>

export interface DirectCall {
  kind: string
  /** The route's queries, in the order the route runs them. */
  work: (runner: QueryRunner) => Promise<unknown>
}

/**
 * `managed`: one read transaction through `session.executeRead`, which is also what the driver's
 * `driver.executeQuery` does for one query. `auto-commit`: each query through `session.run`.
 */
export type DirectTransaction = 'managed' | 'auto-commit'

export interface DirectOptions {
  driver: Driver
  database: string
  connections: number
  seconds: number
  next: () => DirectCall
  timeoutSeconds?: number
  transaction?: DirectTransaction
}

function send(session: Session, call: DirectCall, transaction: DirectTransaction): Promise<unknown> {
  return transaction === 'managed' ? session.executeRead((tx) => call.work(tx)) : call.work(session)
}

export function directDriver(uri: string, user: string, password: string): Driver {
  return neo4j.driver(uri, neo4j.auth.basic(user, password), { userAgent: 'cinegraph-bench-direct' })
}

export async function runDirect(options: DirectOptions): Promise<WorkloadResult> {
  const timeoutMs = (options.timeoutSeconds ?? 10) * 1000
  const tallies = new Map<string, { times: number[]; failed: number; statuses: Record<number, number> }>()
  const all: number[] = []
  let failed = 0
  let timeouts = 0
  const record = (kind: string, elapsed: number, ok: boolean): void => {
    let tally = tallies.get(kind)
    if (!tally) {
      tally = { times: [], failed: 0, statuses: {} }
      tallies.set(kind, tally)
    }
    tally.times.push(elapsed)
    all.push(elapsed)
    if (!ok) {
      tally.failed += 1
      failed += 1
    }
  }

  const started = performance.now()
  const until = started + options.seconds * 1000
  const loop = async (): Promise<void> => {
    while (performance.now() < until) {
      const call = options.next()
      const session = options.driver.session({
        database: options.database,
        defaultAccessMode: neo4j.session.READ
      })
      const t0 = performance.now()
      let timer: NodeJS.Timeout | undefined
      const outcome = await Promise.race([
        send(session, call, options.transaction ?? 'managed').then(
          () => 'ok' as const,
          () => 'error' as const
        ),
        new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), timeoutMs)
        })
      ])
      clearTimeout(timer)
      if (outcome === 'timeout') {
        timeouts += 1
        record(call.kind, timeoutMs, false)
        void session.close().catch(() => undefined)
        continue
      }
      record(call.kind, performance.now() - t0, outcome === 'ok')
      await session.close()
    }
  }
  await Promise.all(Array.from({ length: options.connections }, loop))
  const elapsedMs = performance.now() - started

  const byKind = new Map<string, KindResult>()
  for (const [kind, tally] of [...tallies].sort(([a], [b]) => a.localeCompare(b))) {
    byKind.set(kind, {
      latency: latencies(tally.times),
      times: tally.times,
      failed: tally.failed,
      statuses: tally.statuses
    })
  }
  const answered = all.length - timeouts
  return {
    connections: options.connections,
    seconds: elapsedMs / 1000,
    answered,
    rps: answered / (elapsedMs / 1000),
    latency: latencies(all),
    times: all,
    failed: failed - timeouts,
    errors: timeouts,
    timeouts,
    byKind
  }
}
