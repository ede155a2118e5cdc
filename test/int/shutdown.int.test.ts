/**
 * SIGTERM under load, against the built service in its own process: requests already in flight
 * finish with their normal status, requests on connections still open get 503 in the one error
 * shape, new connections are refused (the listening socket is closed at once), every write that
 * was acknowledged is in the graph, and the process exits 0 well within SHUTDOWN_GRACE_MS.
 */
import { execFile, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import type { ChildProcess } from 'node:child_process'
import { Agent, request } from 'node:http'
import type { ClientRequest } from 'node:http'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../src/db/database.js'
import { findProjectRoot, pickFreePorts } from '../../src/neo4j-local/index.js'
import { TEST_API_KEYS, TEST_WRITE_KEY } from '../helpers/app.js'
import { isErrorShape, NO_LOAD_SHEDDING } from '../helpers/http.js'
import { rawConnection, send } from '../helpers/http-client.js'
import type { HttpResult } from '../helpers/http-client.js'
import { testDatabase, testNeo4j, uid } from '../helpers/neo4j.js'
import { delay, waitFor, WaitTimeoutError, within } from '../helpers/wait-for.js'

const ROOT = findProjectRoot()
const GRACE_MS = 10_000
const AUTHORIZATION = `Bearer ${TEST_WRITE_KEY}`

type LoadRequest = [label: string, method: string, path: string, body?: unknown]

interface Outcome {
  label: string
  startedAt: number
  endedAt: number
  result?: HttpResult
  error?: string
}

/** A POST whose body arrives in two parts, so it is certainly in flight between them. */
function slowRequest(
  base: URL,
  method: string,
  path: string,
  body: unknown
): { finish: () => void; done: Promise<HttpResult> } {
  const payload = Buffer.from(JSON.stringify(body))
  let req: ClientRequest | undefined
  const done = new Promise<HttpResult>((resolve, reject) => {
    req = request(
      {
        host: base.hostname,
        port: base.port,
        method,
        path,
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': payload.length,
          authorization: AUTHORIZATION
        }
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: text ? JSON.parse(text) : undefined
          })
        })
      }
    )
    req.on('error', reject)
    req.flushHeaders()
    req.write(payload.subarray(0, 5))
  })
  return { finish: () => req?.end(payload.subarray(5)), done }
}

function slowRawHead(path: string, payload: string): string {
  return (
    `POST ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\nAuthorization: ${AUTHORIZATION}\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(payload)}\r\n\r\n`
  )
}

describe('graceful shutdown', () => {
  let child: ChildProcess
  let base: URL
  let db: Database
  let output = ''
  let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>

  beforeAll(async () => {
    // The service under test is the built one, as `npm start` runs it. Type errors are the type
    // check's to report; tsc writes the JavaScript all the same.
    await promisify(execFile)(
      process.execPath,
      [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
      { cwd: ROOT }
    ).catch((err: unknown) => {
      if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) throw err
    })
    const [port] = (await pickFreePorts(1)) as [number]
    base = new URL(`http://127.0.0.1:${port}`)
    const n = testNeo4j()
    child = spawn(process.execPath, ['bin/cinegraph.js', 'start'], {
      cwd: ROOT,
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: String(port),
        NEO4J_URI: n.uri,
        NEO4J_USER: n.user,
        NEO4J_PASSWORD: n.password,
        NEO4J_DATABASE: n.database,
        MIGRATE_ON_START: 'false',
        LOG_LEVEL: 'warn',
        SHUTDOWN_GRACE_MS: String(GRACE_MS),
        API_KEYS: TEST_API_KEYS,
        RATE_LIMIT_MAX: '1000000000',
        ...NO_LOAD_SHEDDING
      },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    child.stdout?.on('data', (c: Buffer) => (output += c.toString()))
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()))
    exited = new Promise((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal, at: performance.now() }))
    )
    await waitFor(
      () => `the service to answer /health:\n${output}`,
      async () => {
        if (child.exitCode !== null) throw new Error(`service exited before it answered:\n${output}`)
        return send(base, 'GET', '/health').then(
          (r) => r.status === 200,
          () => false
        )
      },
      { timeoutMs: 60_000, intervalMs: 200 }
    )
    db = testDatabase()
  })

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    await db?.close()
  })

  it('finishes what is in flight, turns new work away and exits 0', { timeout: 120_000 }, async () => {
    const movieId = uid('shutdown')
    const created = await send(base, 'POST', '/movies', {
      body: { movie_id: movieId, title: 'Shutdown' },
      headers: { authorization: AUTHORIZATION }
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)

    // Reads (some of them graph traversals) and writes, as the load below sends them.
    const mix = (rater: string): LoadRequest[] => [
      ['movie', 'GET', `/movies/${movieId}`],
      ['similar', 'GET', `/movies/${movieId}/similar?limit=50`],
      ['search', 'GET', '/search/movies?q=the+godfather'],
      ['list', 'GET', '/movies?sort=rating&order=desc&limit=100'],
      ['rate', 'PUT', `/movies/${movieId}/ratings/${rater}`, { score: 6 }],
      ['recommend', 'GET', `/users/${rater}/recommendations`]
    ]
    // A cold server on a busy machine can time out its first traversals while it plans them. That
    // is no part of shutting down, so each request of the mix is served once before the load.
    for (const [, method, path, body] of mix(`${movieId}-warm-up`)) {
      for (let attempt = 0; attempt < 3; attempt++) {
        const r = await send(base, method, path, { body, headers: { authorization: AUTHORIZATION } })
        if ((r.body as { error?: { code?: string } } | undefined)?.error?.code !== 'QUERY_TIMEOUT') break
      }
    }

    // Requests the server has accepted but cannot answer yet: their bodies are half sent.
    const slowUser = uid('slow-user')
    const slow = [
      slowRequest(base, 'POST', `/movies/${movieId}/reviews`, { source: 'user', content: 'Half sent' }),
      slowRequest(base, 'PUT', `/movies/${movieId}/ratings/${slowUser}`, { score: 8 }),
      slowRequest(base, 'POST', '/searches', { query: 'shutdown', limit: 5 }),
      slowRequest(base, 'POST', '/movies', { movie_id: uid('shutdown-slow'), title: 'Slow' })
    ]
    const pipelined = await rawConnection(base)
    const reviewBody = JSON.stringify({ source: 'user', content: 'Pipelined before the signal' })
    pipelined.write(slowRawHead(`/movies/${movieId}/reviews`, reviewBody) + reviewBody.slice(0, 5))

    // Load from several keep-alive clients.
    const agent = new Agent({ keepAlive: true })
    const outcomes: Outcome[] = []
    const raters: string[] = []
    let loading = true
    const workers = Array.from({ length: 6 }, async (_, w) => {
      for (let i = 0; loading; i++) {
        const rater = `${movieId}-u${w}-${i}`
        const requests = mix(rater)
        const [label, method, path, body] = requests[(i + w) % requests.length] as LoadRequest
        if (label === 'rate') raters.push(rater)
        const startedAt = performance.now()
        try {
          const result = await send(base, method, path, {
            body,
            agent,
            headers: { authorization: AUTHORIZATION }
          })
          outcomes.push({ label, startedAt, endedAt: performance.now(), result })
        } catch (err) {
          outcomes.push({ label, startedAt, endedAt: performance.now(), error: (err as Error).message })
          // A refused connection fails at once: a pause keeps the loop from spinning while the
          // service drains.
          await delay(50)
        }
      }
    })
    const isTurnedAway = (o: Outcome): boolean => (o.result?.status ?? 999) >= 300
    /** Turned away because the service is stopping, not for some other failure. */
    const isShutOut = (o: Outcome): boolean =>
      o.error !== undefined ||
      (o.result?.body as { error?: { code?: string } } | undefined)?.error?.code === 'SHUTTING_DOWN'

    let signalAt = Infinity
    const fresh: string[] = []
    let slowResults: HttpResult[]
    let onPipeline: HttpResult[]
    try {
      // Enough answered to call it load; on a machine too busy for that, go on with what there is.
      await waitFor('30 answers under load', () => outcomes.length >= 30, { timeoutMs: 8_000 }).catch(
        (err: unknown) => {
          if (!(err instanceof WaitTimeoutError)) throw err
        }
      )

      signalAt = performance.now()
      child.kill('SIGTERM')
      // New connections: turned away from the moment the service acts on the signal, and refused
      // outright once its listening socket is closed (a connection racing the close may be reset).
      await waitFor(
        () => `the listening socket to close (new connections got: ${fresh.join(', ')})`,
        async () => {
          const answer = await send(base, 'GET', '/health').then(
            (r) => `status ${r.status}`,
            (err: NodeJS.ErrnoException) => err.code ?? err.message
          )
          fresh.push(answer)
          return answer === 'ECONNREFUSED'
        },
        { timeoutMs: 5_000 }
      )
      // The requests in flight finish only once the service turns work away everywhere else, so
      // their normal answers show it finishes what it accepted, not that it had not yet begun to stop.
      await waitFor('the load to be turned away', () => outcomes.some(isShutOut), { timeoutMs: GRACE_MS })
      for (const s of slow) s.finish()
      // The rest of the review, then a second request on the same connection.
      pipelined.write(reviewBody.slice(5) + `GET /movies/${movieId} HTTP/1.1\r\nHost: localhost\r\n\r\n`)

      slowResults = await Promise.all(slow.map((s) => s.done))
      onPipeline = await pipelined.responses()
    } finally {
      loading = false
      await Promise.all(workers)
      agent.destroy()
    }
    const exit = await within('the service to exit after SIGTERM', exited, 2 * GRACE_MS)

    expect(exit, output).toMatchObject({ code: 0, signal: null })
    expect(exit.at - signalAt, 'exit after SIGTERM').toBeLessThan(GRACE_MS)

    // In flight at the signal: normal answers.
    expect(slowResults.map((r) => r.status)).toEqual([201, 201, 201, 201])
    expect(onPipeline.map((r) => r.status)).toEqual([201, 503])
    const turnedAway = onPipeline[1] as HttpResult
    expect(turnedAway.body).toMatchObject({ error: { code: 'SHUTTING_DOWN' } })
    expect(isErrorShape(turnedAway.body)).toBe(true)
    expect(turnedAway.headers['retry-after']).toBe('5')
    expect(turnedAway.headers['connection']).toBe('close')

    expect(fresh.at(-1), fresh.join(', ')).toBe('ECONNREFUSED')
    const firstAway = fresh.findIndex((f) => f !== 'status 200')
    for (const f of fresh.slice(firstAway)) expect(['status 503', 'ECONNRESET', 'ECONNREFUSED']).toContain(f)

    // The signal reaches the service a moment after it is sent, so "after" is judged by the first
    // request it turned away: from then on nothing is served, and nothing ever fails otherwise.
    const turnedAwayAt = Math.min(...outcomes.filter(isTurnedAway).map((o) => o.endedAt))
    expect(outcomes.filter((o) => o.endedAt < signalAt).length).toBeGreaterThan(5)
    for (const o of outcomes) {
      const where = `${o.label}: ${JSON.stringify(o)}`
      if (o.endedAt < signalAt) expect(o.result?.status, where).toBeLessThan(300)
      if (o.startedAt > turnedAwayAt) expect(o.result?.status ?? 999, where).not.toBeLessThan(300)
      if (o.result && o.result.status >= 300) {
        expect(o.result.status, where).toBe(503)
        expect(o.result.body, where).toMatchObject({ error: { code: 'SHUTTING_DOWN' } })
        expect(o.result.headers['retry-after'], where).toBe('5')
      }
      if (o.error) expect(o.error, where).toMatch(/ECONNREFUSED|ECONNRESET|socket hang up/)
    }

    // Every acknowledged write is in the graph.
    const acknowledged = outcomes
      .filter((o) => o.label === 'rate' && o.result?.status === 201)
      .map((o) => (o.result?.body as { user_id: string }).user_id)
    const stored = await db.readRows<{ user_id: string }>(
      'MATCH (u:User)-[:GAVE]->(:Rating)-[:RATES]->(:Movie {movie_id: $movie_id}) RETURN u.user_id AS user_id',
      { movie_id: movieId }
    )
    const storedIds = new Set(stored.map((r) => r.user_id))
    for (const id of [...acknowledged, slowUser]) expect(storedIds.has(id), id).toBe(true)
    expect(raters.length).toBeGreaterThan(0)
  })
})
