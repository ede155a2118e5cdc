/**
 * HTTP workloads with autocannon in which every request is chosen as it is sent (endpoint, ids,
 * body) and timed on its own, so one run yields figures per kind of request and tells the caller
 * which requests were answered with what, e.g. which writes were acknowledged.
 *
 * Latencies are taken with performance.now() around each request rather than from autocannon's
 * histogram, which keeps whole milliseconds only and 2xx answers only: sub-millisecond baselines
 * need the fractions, and a failed request took time too.
 */
import autocannon from 'autocannon'
import type { Request as AutocannonRequest } from 'autocannon'
import { sortedQuantile } from './stats.js'

export interface Call {
  /** Results are grouped by this. */
  kind: string
  method?: 'GET' | 'POST' | 'PUT'
  path: string
  body?: unknown
  headers?: Record<string, string>
  /** Statuses besides 2xx that are a correct answer (404 for a path that does not exist). */
  expected?: readonly number[]
  /** Called with every answer; never for a request lost to a socket error or a timeout. */
  onAnswer?: (status: number, body: string) => void
}

export interface Latencies {
  count: number
  p50: number
  p90: number
  p99: number
  max: number
}

export interface KindResult {
  latency: Latencies
  /** Answers with a status that is neither 2xx nor expected. */
  failed: number
  statuses: Record<number, number>
}

export interface WorkloadResult {
  connections: number
  seconds: number
  answered: number
  /** Answers per second. */
  rps: number
  latency: Latencies
  failed: number
  /** Socket errors and timeouts: requests that never got an answer. */
  errors: number
  timeouts: number
  byKind: Map<string, KindResult>
}

export interface WorkloadOptions {
  url: string
  connections: number
  seconds: number
  next: () => Call
  timeoutSeconds?: number
}

export function latencies(values: readonly number[]): Latencies {
  const sorted = Float64Array.from(values).sort()
  return {
    count: sorted.length,
    p50: sortedQuantile(sorted, 0.5),
    p90: sortedQuantile(sorted, 0.9),
    p99: sortedQuantile(sorted, 0.99),
    max: sorted.length === 0 ? Number.NaN : (sorted[sorted.length - 1] as number)
  }
}

interface Slot {
  call?: Call
  started?: number
}

interface KindTally {
  times: number[]
  failed: number
  statuses: Record<number, number>
}

export async function runWorkload(options: WorkloadOptions): Promise<WorkloadResult> {
  const tallies = new Map<string, KindTally>()
  const all: number[] = []
  let failed = 0

  const request: AutocannonRequest = {
    // autocannon clears the context before it builds each request, and answers a connection's
    // requests in order one at a time, so the context holds the call the answer belongs to.
    setupRequest: (base, context) => {
      const call = options.next()
      const slot = context as Slot
      slot.call = call
      slot.started = performance.now()
      const headers: Record<string, string> = { ...call.headers }
      let body: string | undefined
      if (call.body !== undefined) {
        body = JSON.stringify(call.body)
        headers['content-type'] = 'application/json'
      }
      return {
        ...base,
        method: call.method ?? 'GET',
        path: call.path,
        headers,
        body: body ?? Buffer.alloc(0)
      }
    },
    onResponse: (status, body, context) => {
      const { call, started } = context as Slot
      if (!call || started === undefined) return
      const elapsed = performance.now() - started
      let tally = tallies.get(call.kind)
      if (!tally) {
        tally = { times: [], failed: 0, statuses: {} }
        tallies.set(call.kind, tally)
      }
      tally.times.push(elapsed)
      all.push(elapsed)
      tally.statuses[status] = (tally.statuses[status] ?? 0) + 1
      if ((status < 200 || status > 299) && !call.expected?.includes(status)) {
        tally.failed += 1
        failed += 1
      }
      call.onAnswer?.(status, body)
    }
  }

  const started = performance.now()
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.seconds,
        timeout: options.timeoutSeconds ?? 10,
        requests: [request]
      },
      (err, res) => (err ? reject(err) : resolve(res))
    )
  })
  const elapsedMs = performance.now() - started

  const byKind = new Map<string, KindResult>()
  for (const [kind, tally] of [...tallies].sort(([a], [b]) => a.localeCompare(b))) {
    byKind.set(kind, { latency: latencies(tally.times), failed: tally.failed, statuses: tally.statuses })
  }
  return {
    connections: options.connections,
    seconds: elapsedMs / 1000,
    answered: all.length,
    rps: all.length / (elapsedMs / 1000),
    latency: latencies(all),
    failed,
    errors: result.errors,
    timeouts: result.timeouts,
    byKind
  }
}
