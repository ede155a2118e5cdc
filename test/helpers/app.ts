import type { FastifyInstance, InjectOptions } from 'fastify'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { hashApiKey } from '../../src/plugins/app/auth.js'
import { testNeo4j } from './neo4j.js'
import { waitFor } from './wait-for.js'

/** A key with the write scope, configured in every app `buildTestApp()` builds. */
export const TEST_WRITE_KEY = 'cinegraph-test-write-key-4f6d1c0b9a'
/** A key with the read scope only. */
export const TEST_READ_KEY = 'cinegraph-test-read-key-8e2a7d5c31'

export const TEST_API_KEYS = `${hashApiKey(TEST_WRITE_KEY)}:write,${hashApiKey(TEST_READ_KEY)}:read`

/** Far above what any test sends, so only the rate-limit tests ever see a 429. */
const TEST_RATE_LIMIT_MAX = '1000000000'

/**
 * Until the app's /ready answers 200 (Neo4j back after an outage, a fresh app's driver
 * connected); `when` names the moment in the error if it never does.
 */
export async function untilReady(app: FastifyInstance, when: string, timeoutMs = 60_000): Promise<void> {
  await waitFor(`/ready to answer 200 ${when}`, async () => (await app.inject('/ready')).statusCode === 200, {
    timeoutMs,
    intervalMs: 250
  })
}

/** The write key unless the request names `authorization` itself; `authorization: undefined` sends none. */
function withWriteKey(options: InjectOptions): InjectOptions {
  const headers: Record<string, unknown> = { ...options.headers }
  const named = Object.keys(headers).filter((name) => name.toLowerCase() === 'authorization')
  if (named.length === 0) headers.authorization = `Bearer ${TEST_WRITE_KEY}`
  for (const name of named) if (headers[name] === undefined) delete headers[name]
  return { ...options, headers: headers as InjectOptions['headers'] }
}

/**
 * The real app against the run's Neo4j; close it in afterAll. Configured with TEST_WRITE_KEY and
 * TEST_READ_KEY, and `app.inject` sends the write key unless the request sets an `authorization`
 * header of its own (`authorization: undefined` sends none), so tests that are not about access
 * control need not think of it. Rate limits are far away and load shedding is off. `env`
 * overrides any setting, these included.
 */
export async function buildTestApp(env: Record<string, string> = {}): Promise<FastifyInstance> {
  const n = testNeo4j()
  const config = loadConfig({
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    NEO4J_URI: n.uri,
    NEO4J_USER: n.user,
    NEO4J_PASSWORD: n.password,
    NEO4J_DATABASE: n.database,
    API_KEYS: TEST_API_KEYS,
    RATE_LIMIT_MAX: TEST_RATE_LIMIT_MAX,
    // Many apps share a test worker whose event loop also runs the tests (fast-check, huge
    // payloads): load shedding would answer 503 at random. Its own tests turn it back on.
    PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0',
    PRESSURE_MAX_HEAP_RATIO: '0',
    ...env
  })
  const app = await buildApp({ config })
  const inject = app.inject.bind(app)
  const injectWithKey = (options?: InjectOptions | string, callback?: unknown): unknown => {
    if (options === undefined) return inject().headers({ authorization: `Bearer ${TEST_WRITE_KEY}` })
    const full = withWriteKey(typeof options === 'string' ? { url: options } : options)
    if (callback === undefined) return inject(full)
    return (inject as (o: InjectOptions, cb: unknown) => unknown)(full, callback)
  }
  app.inject = injectWithKey as typeof app.inject
  return app
}
