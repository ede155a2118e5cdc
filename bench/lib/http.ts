/** HTTP load from autocannon against a listening app: latency percentiles, throughput, errors. */
import autocannon from 'autocannon'
import type { Request as AutocannonRequest } from 'autocannon'

export interface LoadResult {
  connections: number
  requests: number
  rps: number
  p50: number
  p90: number
  p99: number
  max: number
  errors: number
  non2xx: number
  statusCounts: Record<string, number>
}

export interface LoadOptions {
  url: string
  connections: number
  durationSeconds?: number
  amount?: number
  requests: AutocannonRequest[]
}

export async function load(options: LoadOptions): Promise<LoadResult> {
  const statusCounts: Record<string, number> = {}
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        ...(options.amount ? { amount: options.amount } : { duration: options.durationSeconds ?? 10 }),
        requests: options.requests,
        timeout: 10
      },
      (err, res) => (err ? reject(err) : resolve(res))
    )
    instance.on('response', (_client, statusCode) => {
      statusCounts[statusCode] = (statusCounts[statusCode] ?? 0) + 1
    })
  })
  return {
    connections: options.connections,
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    // autocannon already counts a timeout among its errors.
    errors: result.errors,
    non2xx: result.non2xx,
    statusCounts
  }
}
