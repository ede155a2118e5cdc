/**
 * Neo4j going away under traffic: requests fail fast with 503 in the one error shape and a
 * Retry-After, /ready says so, nothing acknowledged is lost, and once Neo4j is back the same app
 * serves reads and writes again without a restart. Runs its own local Neo4j, so stopping it
 * leaves the shared test server alone.
 */
import { performance } from 'node:perf_hooks'
import type { FastifyInstance, InjectOptions } from 'fastify'
import type { Session } from 'neo4j-driver'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { migrate } from '../../src/db/migrate.js'
import { startLocalNeo4j, stopLocalNeo4j } from '../../src/neo4j-local/index.js'
import type { LocalNeo4jOptions } from '../../src/neo4j-local/index.js'
import { readPidFile } from '../../src/neo4j-local/pid.js'
import { buildTestApp, untilReady } from '../helpers/app.js'
import { expectErrorShape, NO_LOAD_SHEDDING } from '../helpers/http.js'
import { uid } from '../helpers/neo4j.js'
import { startThrowawayNeo4j } from '../helpers/throwaway-neo4j.js'
import type { ThrowawayNeo4j } from '../helpers/throwaway-neo4j.js'
import { waitFor } from '../helpers/wait-for.js'

const CONNECTION_TIMEOUT_MS = 2_000
// Covers the driver's retry backoff (≈1 s, then ≈2 s) on a busy two-core machine.
const MARGIN_MS = 4_000
const BOUND_MS = CONNECTION_TIMEOUT_MS + MARGIN_MS
/** A hung server never enforces its transaction timeout; the service's own deadline must. */
const HUNG_TX_TIMEOUT_MS = 2_000
const HUNG_BOUND_MS = HUNG_TX_TIMEOUT_MS + CONNECTION_TIMEOUT_MS + MARGIN_MS
/** For what is slow but certain on a busy two-core machine: Neo4j starting, a cold server answering. */
const PATIENCE_MS = 60_000
/** Clients sending traffic while Neo4j stops. */
const WORKERS = 4

interface Outcome {
  label: string
  status: number
  startedAt: number
  endedAt: number
  ms: number
  retryAfter: string | undefined
  body: unknown
}

async function timed(app: FastifyInstance, label: string, request: InjectOptions): Promise<Outcome> {
  const startedAt = performance.now()
  const res = await app.inject(request)
  const endedAt = performance.now()
  const header = res.headers['retry-after']
  return {
    label,
    status: res.statusCode,
    startedAt,
    endedAt,
    ms: endedAt - startedAt,
    retryAfter: typeof header === 'string' ? header : undefined,
    body: res.body === '' ? undefined : (JSON.parse(res.body) as unknown)
  }
}

/** A mix of the service's reads and writes, each fresh so that writes never collide. */
function traffic(movieId: string): Array<[string, InjectOptions]> {
  const n = uid('f')
  return [
    ['get movie', { method: 'GET', url: `/movies/${movieId}` }],
    ['list movies', { method: 'GET', url: '/movies?limit=5&sort=year' }],
    ['search', { method: 'GET', url: '/search/movies?q=outage' }],
    ['similar', { method: 'GET', url: `/movies/${movieId}/similar` }],
    ['relationships', { method: 'GET', url: `/movies/${movieId}/relationships` }],
    ['genres', { method: 'GET', url: '/genres?limit=5' }],
    ['create movie', { method: 'POST', url: '/movies', payload: { movie_id: n, title: `Outage ${n}` } }],
    ['rate', { method: 'PUT', url: `/movies/${movieId}/ratings/${n}`, payload: { score: 7 } }],
    [
      'review',
      {
        method: 'POST',
        url: `/movies/${movieId}/reviews`,
        payload: { source: 'user', content: `Still here after ${n}` }
      }
    ],
    ['patch movie', { method: 'PATCH', url: `/movies/${movieId}`, payload: { runtime: 100 } }],
    ['create genre', { method: 'POST', url: '/genres', payload: { name: `Outage ${n}` } }]
  ]
}

/** A cold server on a busy machine can time out its first traversals; that is not an outage. */
async function served(app: FastifyInstance, label: string, request: InjectOptions): Promise<Outcome> {
  let o = await timed(app, label, request)
  for (
    let retry = 0;
    retry < 3 && (o.body as { error?: { code?: string } })?.error?.code === 'QUERY_TIMEOUT';
    retry++
  ) {
    o = await timed(app, label, request)
  }
  return o
}

/** Every request of the traffic in turn, each answered normally. */
async function expectServed(app: FastifyInstance, movieId: string, when: string): Promise<void> {
  for (const [label, request] of traffic(movieId)) {
    const o = await served(app, label, request)
    expect(o.status, `${label} ${when}: ${JSON.stringify(o.body)}`).toBeLessThan(300)
  }
}

function expectUnavailable(o: Outcome): void {
  const where = `${o.label}: ${o.status} ${JSON.stringify(o.body)}`
  expect(o.status, where).toBe(503)
  expectErrorShape(o.body)
  expect(o.retryAfter, where).toMatch(/^[1-9][0-9]*$/)
  expect(JSON.stringify(o.body), where).not.toMatch(/ECONNREFUSED|bolt:|127\.0\.0\.1|Neo\./)
}

/**
 * Every request of the traffic at once, then /ready: each answers 503 in the error shape within
 * `boundMs`, while /health keeps answering. Returns the /ready outcome for further checks.
 */
async function expectAllUnavailableWithin(
  app: FastifyInstance,
  movieId: string,
  boundMs: number
): Promise<Outcome> {
  const outcomes = await Promise.all(traffic(movieId).map(([label, req]) => timed(app, label, req)))
  for (const o of outcomes) {
    expectUnavailable(o)
    expect(o.ms, `${o.label} took ${Math.round(o.ms)} ms`).toBeLessThan(boundMs)
  }
  const ready = await timed(app, 'ready', { method: 'GET', url: '/ready' })
  expect(ready.status).toBe(503)
  expect(ready.ms).toBeLessThan(boundMs)
  expect((await app.inject('/health')).statusCode).toBe(200)
  return ready
}

describe('Neo4j outage during requests', () => {
  let app: FastifyInstance
  let neo4j: ThrowawayNeo4j
  let options: LocalNeo4jOptions
  const movieId = uid('fault-movie')
  const sessions: Session[] = []
  const modes = new Map<Session, string | undefined>()

  beforeAll(async () => {
    neo4j = await startThrowawayNeo4j('faults')
    options = neo4j.options
    app = await buildTestApp({
      ...neo4j.env,
      NEO4J_CONNECTION_TIMEOUT_MS: String(CONNECTION_TIMEOUT_MS),
      ...NO_LOAD_SHEDDING
    })
    await migrate(app.db)
    // Every session the app opens from here on is watched: writes must use managed transactions,
    // which the driver retries; auto-commit `session.run`, which it does not retry, is only for
    // the one-query reads that Database.readRows retries itself.
    const open = app.db.driver.session.bind(app.db.driver)
    vi.spyOn(app.db.driver, 'session').mockImplementation((config) => {
      const session = open(config)
      vi.spyOn(session, 'run')
      sessions.push(session)
      modes.set(session, config?.defaultAccessMode)
      return session
    })
    const created = await app.inject({
      method: 'POST',
      url: '/movies',
      payload: { movie_id: movieId, title: 'Outage Test', year: 2001, genres: ['Drama'] }
    })
    expect(created.statusCode, created.body).toBe(201)
  })

  afterAll(async () => {
    vi.restoreAllMocks()
    await app?.close()
    await neo4j?.remove()
  })

  it(
    'answers 503 fast while Neo4j is down and recovers by itself when it is back',
    { timeout: 240_000 },
    async () => {
      await expectServed(app, movieId, 'before the outage')
      expect((await app.inject('/ready')).statusCode).toBe(200)

      // Traffic keeps flowing while Neo4j shuts down underneath it.
      const during: Outcome[] = []
      /** The workers that have had a 503: each has met the outage. */
      const turnedAway = new Set<number>()
      let running = true
      const workers = Array.from({ length: WORKERS }, async (_, w) => {
        for (let round = 0; running; round++) {
          const mix = traffic(movieId)
          const [label, request] = mix[(round + w * 3) % mix.length] as [string, InjectOptions]
          const o = await timed(app, label, request)
          during.push(o)
          if (o.status === 503) turnedAway.add(w)
        }
      })
      let goneAt = Infinity
      try {
        // Answers before the stop show the traffic flowing; the requests after them are in flight.
        await waitFor(`${WORKERS} answers before Neo4j stops`, () => during.length >= WORKERS, {
          timeoutMs: PATIENCE_MS
        })
        expect(await stopLocalNeo4j(options.home)).toBe(true)
        goneAt = performance.now()
        // Every request that starts from here on meets the outage, within BOUND_MS by the checks below.
        await waitFor(
          () => `a 503 for each of the ${WORKERS} workers after Neo4j stopped (${turnedAway.size} had one)`,
          () => turnedAway.size === WORKERS,
          { timeoutMs: 2 * BOUND_MS }
        )
      } finally {
        running = false
        await Promise.all(workers)
      }

      // A request that was running while Neo4j shut down gets the same bound, from when it was gone.
      for (const o of during) {
        const where = `${o.label} while Neo4j stopped: ${o.status} ${JSON.stringify(o.body)}`
        if (o.status >= 300) expectUnavailable(o)
        expect(o.endedAt - Math.max(o.startedAt, goneAt), where).toBeLessThan(BOUND_MS)
      }
      expect(during.filter((o) => o.status === 503).length).toBeGreaterThan(0)

      // Every request, read or write, fails fast while Neo4j is down, even all at once.
      const ready = await expectAllUnavailableWithin(app, movieId, BOUND_MS)
      expect(ready.retryAfter).toBe('5')
      expect(ready.body).toMatchObject({ error: { code: 'NOT_READY', details: { neo4j: 'down' } } })

      await startLocalNeo4j(options)
      await untilReady(app, 'after Neo4j restarted', PATIENCE_MS)

      await expectServed(app, movieId, 'after recovery')
      // What was acknowledged before or during the outage is still there.
      const acknowledged = during.filter((o) => o.label === 'create movie' && o.status === 201)
      for (const o of acknowledged) {
        const id = (o.body as { movie_id: string }).movie_id
        expect((await app.inject(`/movies/${id}`)).statusCode, id).toBe(200)
      }
      expect((await app.inject(`/movies/${movieId}`)).json()).toMatchObject({ title: 'Outage Test' })

      expect(sessions.length).toBeGreaterThan(0)
      for (const session of sessions) {
        if (modes.get(session) !== 'READ') expect(session.run).not.toHaveBeenCalled()
      }
    }
  )

  it(
    'answers 503 within its deadline while Neo4j hangs, and serves again when it resumes',
    { timeout: 180_000 },
    async () => {
      const hungApp = await buildTestApp({
        ...neo4j.env,
        NEO4J_CONNECTION_TIMEOUT_MS: String(CONNECTION_TIMEOUT_MS),
        NEO4J_TX_TIMEOUT_MS: String(HUNG_TX_TIMEOUT_MS),
        ...NO_LOAD_SHEDDING
      })
      try {
        await untilReady(hungApp, 'in a fresh app', PATIENCE_MS)
        // Pooled connections that are open and idle are exactly what a hung server strands.
        await expectServed(hungApp, movieId, 'before the hang')
        const pid = await readPidFile(options.home)
        expect(pid).toBeDefined()
        // SIGSTOP freezes the JVM with its sockets open: connections neither answer nor fail.
        process.kill(pid as number, 'SIGSTOP')
        try {
          await expectAllUnavailableWithin(hungApp, movieId, HUNG_BOUND_MS)
        } finally {
          process.kill(pid as number, 'SIGCONT')
        }
        await untilReady(hungApp, 'after Neo4j resumed', PATIENCE_MS)
        await expectServed(hungApp, movieId, 'after the hang')
      } finally {
        await hungApp.close()
      }
    }
  )
})
