/**
 * HTTP workloads with autocannon in which every request is chosen as it is sent (endpoint, ids,
 * body) and timed on its own, so one run yields figures per kind of request and tells the caller
 * which requests were answered with what, e.g. which writes were acknowledged.
 *
 * Latencies are taken with performance.now() around each request rather than from autocannon's
 * histogram, which keeps whole milliseconds only and 2xx answers only: sub-millisecond baselines
 * need the fractions, and a failed request took time too. A request that timed out has no answer
 * but is not dropped: it counts as a failure and enters the percentiles at the timeout, so a route
 * that loses its slowest requests cannot look faster for it.
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
  /** Every latency the figures were taken from, so runs can be pooled. */
  times: number[]
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
  /** Answers and timeouts (the latter at the timeout). */
  latency: Latencies
  times: number[]
  /** Wrong statuses. */
  failed: number
  /** Socket errors and timeouts: requests that never got an answer. */
  errors: number
  /** Requests unanswered after the timeout, also in `errors` and in the latencies. */
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

interface Sent {
  call: Call
  started: number
}

interface Slot {
  sent?: Sent
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
  const timeoutMs = (options.timeoutSeconds ?? 10) * 1000
  // autocannon gives a new context to the request that follows a timeout and says nothing of the
  // one lost, so every request sent stays here until its answer comes.
  const pending = new Set<Sent>()
  const tally = (kind: string): KindTally => {
    let found = tallies.get(kind)
    if (!found) {
      found = { times: [], failed: 0, statuses: {} }
      tallies.set(kind, found)
    }
    return found
  }

  const request: AutocannonRequest = {
    // autocannon clears the context before it builds each request, and answers a connection's
    // requests in order one at a time, so the context holds the call the answer belongs to.
    setupRequest: (base, context) => {
      const call = options.next()
      const sent: Sent = { call, started: performance.now() }
      ;(context as Slot).sent = sent
      pending.add(sent)
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
      const { sent } = context as Slot
      if (!sent) return
      pending.delete(sent)
      const { call, started } = sent
      const elapsed = performance.now() - started
      const kind = tally(call.kind)
      kind.times.push(elapsed)
      all.push(elapsed)
      kind.statuses[status] = (kind.statuses[status] ?? 0) + 1
      if ((status < 200 || status > 299) && !call.expected?.includes(status)) {
        kind.failed += 1
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
        timeout: timeoutMs / 1000,
        requests: [request]
      },
      (err, res) => (err ? reject(err) : resolve(res))
    )
  })
  const ended = performance.now()
  const elapsedMs = ended - started
  // Unanswered for the whole timeout: autocannon gave up on it. Younger ones were cut off by the
  // end of the run and say nothing either way.
  let timeouts = 0
  for (const sent of pending) {
    if (ended - sent.started < timeoutMs) continue
    timeouts += 1
    tally(sent.call.kind).times.push(timeoutMs)
    all.push(timeoutMs)
  }

  const byKind = new Map<string, KindResult>()
  for (const [kind, tally] of [...tallies].sort(([a], [b]) => a.localeCompare(b))) {
    byKind.set(kind, {
      latency: latencies(tally.times),
      times: tally.times,
      failed: tally.failed,
      statuses: tally.statuses
    })
  }
  return {
    connections: options.connections,
    times: all,
    seconds: elapsedMs / 1000,
    answered: all.length - timeouts,
    rps: (all.length - timeouts) / (elapsedMs / 1000),
    latency: latencies(all),
    failed,
    errors: result.errors,
    timeouts: Math.max(timeouts, result.timeouts),
    byKind
  }
}

/** Runs of one workload pooled into one: counts and seconds added, latencies taken over all. */
export function poolResults(results: readonly WorkloadResult[]): WorkloadResult {
  const first = results[0]
  if (!first) throw new Error('nothing to pool')
  const seconds = results.reduce((sum, r) => sum + r.seconds, 0)
  const answered = results.reduce((sum, r) => sum + r.answered, 0)
  const all = results.flatMap((r) => r.times)
  const kinds = new Map<string, KindResult[]>()
  for (const r of results) {
    for (const [kind, k] of r.byKind) kinds.set(kind, [...(kinds.get(kind) ?? []), k])
  }
  const byKind = new Map<string, KindResult>()
  for (const [kind, list] of [...kinds].sort(([a], [b]) => a.localeCompare(b))) {
    const times = list.flatMap((k) => k.times)
    const statuses: Record<number, number> = {}
    for (const k of list)
      for (const [status, n] of Object.entries(k.statuses))
        statuses[Number(status)] = (statuses[Number(status)] ?? 0) + n
    byKind.set(kind, {
      latency: latencies(times),
      times,
      failed: list.reduce((sum, k) => sum + k.failed, 0),
      statuses
    })
  }
  return {
    connections: first.connections,
    seconds,
    answered,
    rps: answered / seconds,
    latency: latencies(all),
    times: all,
    failed: results.reduce((sum, r) => sum + r.failed, 0),
    errors: results.reduce((sum, r) => sum + r.errors, 0),
    timeouts: results.reduce((sum, r) => sum + r.timeouts, 0),
    byKind
  }
}
