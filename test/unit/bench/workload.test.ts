import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { poolResults, runWorkload } from '../../../bench/lib/workload.js'

describe('runWorkload', () => {
  // Answers /fast at once and never answers /hang.
  const server = createServer((req, res) => {
    if (req.url === '/fast') res.end('ok')
  })
  let url = ''
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })

  it('counts a request that times out as a failure at its timeout, in the latencies', async () => {
    const result = await runWorkload({
      url,
      connections: 1,
      seconds: 2.5,
      timeoutSeconds: 1,
      next: () => ({ kind: 'hang', path: '/hang' })
    })
    expect(result.answered).toBe(0)
    expect(result.timeouts).toBeGreaterThanOrEqual(2)
    expect(result.latency.count).toBe(result.timeouts)
    expect(result.latency.max).toBe(1000)
    expect(result.byKind.get('hang')?.latency.count).toBe(result.timeouts)
  })

  it('pools runs: counts and seconds add up, percentiles come from every latency', async () => {
    const fast = await runWorkload({
      url,
      connections: 2,
      seconds: 1,
      next: () => ({ kind: 'fast', path: '/fast' })
    })
    const slow = await runWorkload({
      url,
      connections: 1,
      seconds: 2.2,
      timeoutSeconds: 1,
      next: () => ({ kind: 'hang', path: '/hang' })
    })
    const pooled = poolResults([fast, slow])
    expect(pooled.answered).toBe(fast.answered)
    expect(pooled.timeouts).toBe(slow.timeouts)
    expect(pooled.latency.count).toBe(fast.latency.count + slow.latency.count)
    expect(pooled.seconds).toBeCloseTo(fast.seconds + slow.seconds, 6)
    expect(pooled.latency.max).toBe(1000)
    expect([...pooled.byKind.keys()]).toEqual(['fast', 'hang'])
  })
})
