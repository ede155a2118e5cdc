/**
 * The embedded Neo4j under supervision, as `cinegraph start` runs it (launchServer → the local
 * runner → the supervisor), on a throwaway server of this file's own: `kill -9` of the JVM under
 * write traffic is followed by a restart without anyone's help and every acknowledged write is
 * still there (Neo4j's transaction log recovery); a stopped JVM makes /ready answer 503 within
 * 2 s and ready again once it continues; a Neo4j that cannot start again is given up on after
 * the configured attempts, /health still answering and /ready saying why.
 *
 * The three cases run in order on the same server, each starting from where the last one left it.
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import type { Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { pickFreePorts, stopLocalNeo4j } from '../../src/neo4j-local/index.js'
import { isAlive } from '../../src/neo4j-local/pid.js'
import { launchServer } from '../../src/server.js'
import type { RunningServer } from '../../src/server.js'
import { TEST_API_KEYS, TEST_WRITE_KEY } from '../helpers/app.js'
import { isErrorShape, NO_LOAD_SHEDDING } from '../helpers/http.js'
import { send } from '../helpers/http-client.js'
import type { HttpResult } from '../helpers/http-client.js'
import { uid } from '../helpers/neo4j.js'
import { delay, waitFor } from '../helpers/wait-for.js'

/** What the issue promises a load balancer's probe. */
const READY_BOUND_MS = 2_000
/** A restart on this 2-core machine takes 15–30 s, more while other tests run. */
const RESTART_PATIENCE_MS = 150_000
const ATTEMPTS = 3
const AUTHORIZATION = `Bearer ${TEST_WRITE_KEY}`

interface Probe {
  ms: number
  result: HttpResult
}

interface NotReadyBody {
  error: { code: string; message: string; details: { neo4j: string; reason?: string; attempts?: number } }
}

/** Ratings written by a few clients until stopped; the users of the 201s are the acknowledged writes. */
function writeTraffic(base: URL, movieId: string, workers = 4) {
  const acknowledged: string[] = []
  const failures: number[] = []
  let running = true
  const done = Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      for (let i = 0; running; i++) {
        const user = `${movieId}-w${w}-${i}`
        const result = await send(base, 'PUT', `/movies/${movieId}/ratings/${user}`, {
          body: { score: 7 },
          headers: { authorization: AUTHORIZATION }
        }).catch(() => undefined)
        if (result?.status === 201) {
          acknowledged.push(user)
        } else {
          failures.push(result?.status ?? 0)
          // Neo4j is away: a pause keeps the clients from spinning until it is back.
          await delay(100)
        }
      }
    })
  )
  return {
    acknowledged,
    failures,
    stop: async (): Promise<void> => {
      running = false
      await done
    }
  }
}

describe('the embedded Neo4j under supervision', () => {
  let server: RunningServer
  let base: URL
  let home: string
  let boltPort: number
  const lines: string[] = []
  const movieId = uid('supervised')

  const probe = async (path: string): Promise<Probe> => {
    const started = performance.now()
    const result = await send(base, 'GET', path)
    return { ms: performance.now() - started, result }
  }

  const pid = (): number => {
    const status = server.supervisor?.status()
    if (status?.state !== 'up') throw new Error(`Neo4j is not up: ${JSON.stringify(status)}`)
    return status.pid
  }

  /** Polls /ready until it answers 200, keeping every answer so the bound can be checked on each. */
  const untilReady = async (when: string): Promise<Probe[]> => {
    const probes: Probe[] = []
    await waitFor(
      () =>
        `/ready to answer 200 ${when}; last: ${JSON.stringify(probes.at(-1)?.result.body)}\n${lines.join('\n')}`,
      async () => {
        const p = await probe('/ready')
        probes.push(p)
        return p.result.status === 200
      },
      { timeoutMs: RESTART_PATIENCE_MS, intervalMs: 250 }
    )
    return probes
  }

  /** The users of `acknowledged` that have no rating of the movie in the graph. */
  const missing = async (acknowledged: string[]): Promise<string[]> => {
    const stored = await server.app.db.readRows<{ user_id: string }>(
      'MATCH (u:User)-[:GAVE]->(:Rating)-[:RATES]->(:Movie {movie_id: $movie_id}) RETURN u.user_id AS user_id',
      { movie_id: movieId }
    )
    const ids = new Set(stored.map((r) => r.user_id))
    return acknowledged.filter((user) => !ids.has(user))
  }

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'cinegraph-supervision-'))
    const ports = (await pickFreePorts(2)) as [number, number]
    boltPort = ports[0]
    const config = loadConfig({
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      NEO4J_LOCAL_HOME: home,
      NEO4J_BOLT_PORT: String(ports[0]),
      NEO4J_HTTP_PORT: String(ports[1]),
      NEO4J_PASSWORD: randomBytes(12).toString('base64url'),
      NEO4J_HEAP: '512m',
      NEO4J_PAGECACHE: '128m',
      NEO4J_CONNECTION_TIMEOUT_MS: '2000',
      NEO4J_RESTART_ATTEMPTS: String(ATTEMPTS),
      NEO4J_RESTART_DELAY_MS: '1000',
      // Each case finds a server that has been up longer than this, so each starts a fresh count.
      NEO4J_RESTART_STABLE_MS: '1000',
      SEED_DEMO_WHEN_EMPTY: 'false',
      API_KEYS: TEST_API_KEYS,
      RATE_LIMIT_MAX: '1000000000',
      ...NO_LOAD_SHEDDING
    })
    server = await launchServer(config, {
      log: (line) => lines.push(line),
      report: (level, line) => lines.push(`${level}: ${line}`)
    })
    base = new URL(server.url)
    const created = await send(base, 'POST', '/movies', {
      body: { movie_id: movieId, title: 'Supervised' },
      headers: { authorization: AUTHORIZATION }
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
  })

  afterAll(async () => {
    // A failure while the JVM was stopped must not leave it stopped: it could not be shut down.
    const status = server?.supervisor?.status()
    if (status?.state === 'up' && isAlive(status.pid)) process.kill(status.pid, 'SIGCONT')
    await server?.close()
    if (home) {
      await stopLocalNeo4j(home).catch(() => undefined)
      await rm(home, { recursive: true, force: true })
    }
  })

  it(
    'restarts Neo4j after kill -9 under writes, and every acknowledged write survives',
    { timeout: RESTART_PATIENCE_MS + 60_000 },
    async () => {
      expect((await probe('/ready')).result.status).toBe(200)
      expect(server.supervisor?.status()).toMatchObject({ state: 'up', restarts: 0 })
      const killed = pid()

      const traffic = writeTraffic(base, movieId)
      let beforeKill: string[]
      let duringOutage: Probe[]
      let afterRestart: number
      try {
        await waitFor('20 acknowledged writes before the kill', () => traffic.acknowledged.length >= 20, {
          timeoutMs: 30_000
        })
        beforeKill = [...traffic.acknowledged]
        process.kill(killed, 'SIGKILL')
        duringOutage = await untilReady('after kill -9')
        // Serving again: writes are acknowledged once more, by the same clients.
        afterRestart = traffic.acknowledged.length
        await waitFor(
          'writes acknowledged after the restart',
          () => traffic.acknowledged.length >= afterRestart + 10,
          {
            timeoutMs: 30_000
          }
        )
      } finally {
        await traffic.stop()
      }

      expect(beforeKill.length).toBeGreaterThanOrEqual(20)
      expect(traffic.failures.length, 'writes refused while Neo4j was away').toBeGreaterThan(0)
      expect(await missing(traffic.acknowledged), 'acknowledged writes lost').toEqual([])

      const status = server.supervisor?.status()
      expect(status).toMatchObject({ state: 'up', restarts: 1 })
      expect(pid()).not.toBe(killed)
      expect(lines).toContain(`error: Neo4j (pid ${killed}) exited unexpectedly (signal SIGKILL)`)
      expect(lines.some((l) => /^warn: restarting Neo4j in 1 s \(attempt 1 of 3\)$/.test(l))).toBe(true)
      expect(lines.some((l) => /^info: Neo4j is back \(pid \d+\) after restart attempt 1$/.test(l))).toBe(
        true
      )

      // Every /ready while Neo4j was away answered within the bound and said it is restarting.
      const notReady = duringOutage.filter((p) => p.result.status !== 200)
      expect(notReady.length).toBeGreaterThan(0)
      for (const p of duringOutage) expect(p.ms, JSON.stringify(p.result.body)).toBeLessThan(READY_BOUND_MS)
      for (const p of notReady) {
        expect(p.result.status).toBe(503)
        expect(isErrorShape(p.result.body)).toBe(true)
        expect(p.result.headers['retry-after']).toBe('5')
      }
      expect(notReady.map((p) => (p.result.body as NotReadyBody).error.details)).toContainEqual({
        neo4j: 'restarting',
        reason: `Neo4j (pid ${killed}) exited unexpectedly (signal SIGKILL)`,
        attempt: 1,
        attempts: ATTEMPTS
      })
    }
  )

  it(
    'answers /ready with 503 within 2 s while the JVM is stopped, and is ready once it continues',
    { timeout: RESTART_PATIENCE_MS },
    async () => {
      const stopped = pid()
      const traffic = writeTraffic(base, movieId)
      const whileStopped: Probe[] = []
      try {
        const before = traffic.acknowledged.length
        await waitFor(
          'writes acknowledged before SIGSTOP',
          () => traffic.acknowledged.length >= before + 10,
          {
            timeoutMs: 30_000
          }
        )
        process.kill(stopped, 'SIGSTOP')
        try {
          // Writes in flight now hang with the JVM; /ready must not.
          for (let i = 0; i < 3; i++) whileStopped.push(await probe('/ready'))
          const health = await probe('/health')
          expect(health.result.status).toBe(200)
          expect(health.ms).toBeLessThan(READY_BOUND_MS)
        } finally {
          process.kill(stopped, 'SIGCONT')
        }
        await untilReady('after SIGCONT')
      } finally {
        await traffic.stop()
      }

      for (const p of whileStopped) {
        expect(p.ms, JSON.stringify(p.result.body)).toBeLessThan(READY_BOUND_MS)
        expect(p.result.status).toBe(503)
        expect(isErrorShape(p.result.body)).toBe(true)
        expect((p.result.body as NotReadyBody).error).toMatchObject({
          code: 'NOT_READY',
          details: { neo4j: 'hung', reason: expect.stringMatching(/^no answer within \d+ ms$/) }
        })
      }
      // A hung JVM is waited for, not replaced.
      expect(server.supervisor?.status()).toMatchObject({ state: 'up', pid: stopped, restarts: 1 })
      expect(await missing(traffic.acknowledged), 'acknowledged writes lost').toEqual([])
    }
  )

  it(
    'gives up on a Neo4j that cannot start again, keeps /health up and says why on /ready',
    { timeout: 120_000 },
    async () => {
      const killed = pid()
      let blocker: Server | undefined
      try {
        process.kill(killed, 'SIGKILL')
        await waitFor('the killed JVM to be gone', () => !isAlive(killed), { timeoutMs: 10_000 })
        // Another process takes the Bolt port before the first restart (1 s after the death).
        blocker = await waitFor(
          'the Bolt port to be free for the blocker',
          () =>
            new Promise<Server | undefined>((resolve) => {
              const s = createServer((socket) => socket.destroy())
              s.once('error', () => resolve(undefined))
              s.listen(boltPort, '127.0.0.1', () => resolve(s))
            }),
          { timeoutMs: 900, intervalMs: 20 }
        )
        await waitFor(
          () => `the supervisor to give up; now ${JSON.stringify(server.supervisor?.status())}`,
          () => server.supervisor?.status().state === 'gave-up',
          { timeoutMs: 60_000, intervalMs: 200 }
        )

        const ready = await probe('/ready')
        expect(ready.ms).toBeLessThan(READY_BOUND_MS)
        expect(ready.result.status).toBe(503)
        expect(isErrorShape(ready.result.body)).toBe(true)
        const body = ready.result.body as NotReadyBody
        expect(body.error.code).toBe('NOT_READY')
        expect(body.error.details).toEqual({
          neo4j: 'gave-up',
          attempts: ATTEMPTS,
          reason: expect.stringMatching(
            new RegExp(`^restart attempt ${ATTEMPTS} failed: Bolt port ${boltPort} is already in use`)
          )
        })
        const health = await probe('/health')
        expect(health.result.status).toBe(200)
        expect(health.result.body).toEqual({ status: 'ok' })

        // Three attempts, a second, two and four seconds apart, then one line saying why it stopped.
        expect(lines.filter((l) => /^error: restart attempt \d failed: Bolt port/.test(l))).toHaveLength(
          ATTEMPTS
        )
        expect(lines.filter((l) => l.startsWith('warn: restarting Neo4j in ')).slice(-ATTEMPTS)).toEqual([
          'warn: restarting Neo4j in 1 s (attempt 1 of 3)',
          'warn: restarting Neo4j in 2 s (attempt 2 of 3)',
          'warn: restarting Neo4j in 4 s (attempt 3 of 3)'
        ])
        expect(lines.at(-1)).toMatch(
          /^error: gave up restarting Neo4j after 3 failed attempt\(s\) in a row \(NEO4J_RESTART_ATTEMPTS=3\); last: restart attempt 3 failed: Bolt port \d+ is already in use/
        )
      } finally {
        await new Promise((resolve) => (blocker ? blocker.close(resolve) : resolve(undefined)))
      }
    }
  )
})
