/**
 * Rate limits per API key or else per client address, answered as 429 in the one error shape
 * with Retry-After and the x-ratelimit-* headers; and load shedding as 503 OVERLOADED.
 */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TEST_READ_KEY, TEST_WRITE_KEY, buildTestApp } from '../helpers/app.js'
import { expectErrorShape } from '../helpers/http.js'
import { uid } from '../helpers/neo4j.js'
import { waitFor } from '../helpers/wait-for.js'

const MAX = 3
const WINDOW_MS = 60_000

const LIMITED = {
  error: {
    code: 'RATE_LIMITED',
    message: 'Too many requests; retry after the number of seconds in Retry-After',
    details: { limit: MAX, window_ms: WINDOW_MS }
  }
}

/** A client address of its own per test, so the tests do not share a bucket. */
let lastOctet = 10
const freshAddress = (): string => `198.51.100.${lastOctet++}`

function expectAllowed(res: LightMyRequestResponse, remaining: number): void {
  expect(res.statusCode, res.body).toBeLessThan(400)
  expect(res.headers['x-ratelimit-limit']).toBe(String(MAX))
  expect(res.headers['x-ratelimit-remaining']).toBe(String(remaining))
  expect(Number(res.headers['x-ratelimit-reset'])).toBeGreaterThan(0)
  expect(Number(res.headers['x-ratelimit-reset'])).toBeLessThanOrEqual(WINDOW_MS / 1000)
}

function expectLimited(res: LightMyRequestResponse): void {
  expect(res.statusCode, res.body).toBe(429)
  expect(res.json()).toEqual(LIMITED)
  expectErrorShape(res.json())
  const retryAfter = Number(res.headers['retry-after'])
  expect(Number.isInteger(retryAfter)).toBe(true)
  expect(retryAfter).toBeGreaterThan(0)
  expect(retryAfter).toBeLessThanOrEqual(WINDOW_MS / 1000)
  expect(res.headers['x-ratelimit-limit']).toBe(String(MAX))
  expect(res.headers['x-ratelimit-remaining']).toBe('0')
  expect(res.headers['x-ratelimit-reset']).toBe(String(retryAfter))
  expect(res.headers['content-type']).toMatch(/^application\/json/)
}

describe('rate limits', () => {
  let app: FastifyInstance

  beforeAll(async () => {
    app = await buildTestApp({ RATE_LIMIT_MAX: String(MAX), RATE_LIMIT_WINDOW_MS: String(WINDOW_MS) })
  })
  afterAll(async () => {
    await app?.close()
  })

  const read = (remoteAddress: string, authorization?: string): Promise<LightMyRequestResponse> =>
    app.inject({ url: '/genres?limit=1', remoteAddress, headers: { authorization } })

  it('limits requests without a key per client address', async () => {
    const address = freshAddress()
    for (let remaining = MAX - 1; remaining >= 0; remaining--) expectAllowed(await read(address), remaining)
    expectLimited(await read(address))
    expectLimited(await read(address))
    // Another address has its own allowance.
    expectAllowed(await read(freshAddress()), MAX - 1)
  })

  it('limits requests with a key per key, wherever they come from', async () => {
    const address = freshAddress()
    for (let i = 0; i < MAX; i++) await read(address)
    expectLimited(await read(address))
    // The same exhausted address with a key: the key's own bucket, shared across addresses.
    expectAllowed(await read(address, `Bearer ${TEST_READ_KEY}`), MAX - 1)
    expectAllowed(await read(freshAddress(), `Bearer ${TEST_READ_KEY}`), MAX - 2)
    expectAllowed(await read(freshAddress(), `Bearer ${TEST_READ_KEY}`), MAX - 3)
    expectLimited(await read(freshAddress(), `Bearer ${TEST_READ_KEY}`))
  })

  it('limits writes, and refuses the write without running it', async () => {
    const address = freshAddress()
    const names: string[] = []
    const post = (): Promise<LightMyRequestResponse> => {
      const name = uid('rl')
      names.push(name)
      return app.inject({
        method: 'POST',
        url: '/genres',
        remoteAddress: address,
        headers: { authorization: `Bearer ${TEST_WRITE_KEY}` },
        payload: { name }
      })
    }
    for (let remaining = MAX - 1; remaining >= 0; remaining--) expectAllowed(await post(), remaining)
    expectLimited(await post())
    const refused = names.at(-1) as string
    const lookup = await app.inject({
      url: `/genres/${encodeURIComponent(refused)}`,
      remoteAddress: freshAddress(),
      headers: { authorization: undefined }
    })
    expect(lookup.statusCode, lookup.body).toBe(404)
  })

  it('counts guessed keys against the address, so key guessing is throttled too', async () => {
    const address = freshAddress()
    for (let i = 0; i < MAX; i++) {
      const res = await read(address, `Bearer guess-${i}`)
      expect(res.statusCode).toBe(401)
      expect(res.headers['x-ratelimit-remaining']).toBe(String(MAX - 1 - i))
    }
    expectLimited(await read(address, 'Bearer guess-again'))
  })

  it('never limits the health and readiness probes', async () => {
    const address = freshAddress()
    for (let i = 0; i < MAX * 3; i++) {
      for (const url of ['/health', '/ready']) {
        const res = await app.inject({ url, remoteAddress: address } satisfies InjectOptions)
        expect(res.statusCode, url).toBe(200)
        expect(res.headers['x-ratelimit-limit']).toBeUndefined()
      }
    }
  })
})

describe('load shedding', () => {
  let app: FastifyInstance

  beforeAll(async () => {
    // A heap threshold every process is past: the first sample (after a second) sheds.
    app = await buildTestApp({ PRESSURE_MAX_HEAP_RATIO: '0.000001' })
  })
  afterAll(async () => {
    await app?.close()
  })

  it('answers 503 OVERLOADED with Retry-After once over a threshold, and keeps /health answering', async () => {
    // Shedding starts with the first sample, about a second in: the first 503 is what to wait for.
    let res: LightMyRequestResponse | undefined
    await waitFor(
      () => `the first 503 (last answer: ${res?.statusCode} ${res?.body})`,
      async () => {
        res = await app.inject({ url: '/genres?limit=1' })
        return res.statusCode === 503
      },
      { timeoutMs: 5_000 }
    )
    expect(res?.statusCode, res?.body).toBe(503)
    expect(res?.json()).toEqual({
      error: { code: 'OVERLOADED', message: 'The service is overloaded; try again shortly' }
    })
    expect(res?.headers['retry-after']).toBe('5')
    const write = await app.inject({ method: 'POST', url: '/genres', payload: { name: uid('shed') } })
    expect(write.statusCode).toBe(503)
    expect((await app.inject({ url: '/ready' })).statusCode).toBe(503)
    const health = await app.inject({ url: '/health' })
    expect(health.statusCode).toBe(200)
    expect(health.json()).toEqual({ status: 'ok' })
  })
})
