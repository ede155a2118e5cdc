/**
 * The app as the HTTP benchmarks run it: built by buildApp on the benchmark's Neo4j and listening
 * on a free local port in this process, without request logs (writing them would be part of what
 * is measured), with a write key of its own and a rate limit far above what a benchmark sends.
 */
import { randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { hashApiKey } from '../../src/plugins/app/auth.js'
import type { BenchContext } from '../suites/types.js'

/** Requests per window per key or address; a benchmark must measure the service, not the limiter. */
export const BENCH_RATE_LIMIT_MAX = 10_000_000

export interface BenchApp {
  url: string
  /** Headers that let a request write. */
  writeHeaders: Record<string, string>
  /**
   * Waits until no request is being handled (at most timeoutMs) and returns how many still are. A
   * load generator that stops leaves its last requests running on the server; the next
   * measurement must not start beside them.
   */
  idle(timeoutMs?: number): Promise<number>
  close(): Promise<void>
}

export async function startBenchApp(ctx: BenchContext): Promise<BenchApp> {
  const key = randomBytes(24).toString('base64url')
  const config = loadConfig({
    ...process.env,
    LOG_LEVEL: 'silent',
    API_KEYS: `${hashApiKey(key)}:write`,
    RATE_LIMIT_MAX: String(BENCH_RATE_LIMIT_MAX)
  })
  const app = await buildApp({
    config,
    database: { uri: ctx.neo4j.uri, user: ctx.neo4j.user, password: ctx.neo4j.password }
  })
  try {
    await app.listen({ host: '127.0.0.1', port: 0 })
  } catch (err) {
    await app.close()
    throw err
  }
  // Counted from the request to the handler's end(): a client that hangs up does not stop the
  // handler, so the socket closing says nothing about whether the server is still working.
  let inFlight = 0
  app.server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
    inFlight += 1
    const end = res.end.bind(res) as (...args: unknown[]) => typeof res
    res.end = ((...args: unknown[]) => {
      inFlight -= 1
      res.end = end as typeof res.end
      return end(...args)
    }) as typeof res.end
  })
  const { port } = app.server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    writeHeaders: { authorization: `Bearer ${key}` },
    async idle(timeoutMs = 60_000) {
      const until = Date.now() + timeoutMs
      while (inFlight > 0 && Date.now() < until) await sleep(20)
      return inFlight
    },
    close: () => app.close()
  }
}
