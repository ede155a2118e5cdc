/**
 * API keys: every write needs a write key, reads need a key only when configured to, and the
 * answers are the one error shape with an RFC 6750 challenge. Keys never reach the logs.
 */
import { Writable } from 'node:stream'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { hashApiKey } from '../../src/plugins/app/auth.js'
import { TEST_API_KEYS, TEST_READ_KEY, TEST_WRITE_KEY, buildTestApp } from '../helpers/app.js'
import { expectErrorShape } from '../helpers/http.js'
import { testNeo4j, uid } from '../helpers/neo4j.js'

const NO_KEY = { authorization: undefined }
const bearer = (key: string): Record<string, string> => ({ authorization: `Bearer ${key}` })

const WRITE_NEEDS_KEY = {
  error: { code: 'UNAUTHORIZED', message: 'Writes need an API key: send "Authorization: Bearer <key>"' }
}
const READ_NEEDS_KEY = {
  error: { code: 'UNAUTHORIZED', message: 'Reads need an API key: send "Authorization: Bearer <key>"' }
}
const INVALID_KEY = { error: { code: 'UNAUTHORIZED', message: 'The API key is not valid' } }
const MALFORMED = {
  error: { code: 'UNAUTHORIZED', message: 'The Authorization header must be "Bearer <key>"' }
}
const READ_ONLY = {
  error: { code: 'FORBIDDEN', message: 'This API key may only read', details: { required_scope: 'write' } }
}

const CHALLENGE = 'Bearer realm="cinegraph"'

function expectRefusal(res: LightMyRequestResponse, status: number, body: unknown, challenge: string): void {
  expect(res.statusCode, res.body).toBe(status)
  expect(res.json()).toEqual(body)
  expectErrorShape(res.json())
  expect(res.headers['www-authenticate']).toBe(challenge)
  expect(res.headers['content-type']).toMatch(/^application\/json/)
}

/** Every POST, PUT, PATCH and DELETE the API documents, with placeholder path parameters. */
async function writeOperations(app: FastifyInstance): Promise<InjectOptions[]> {
  const doc = (await app.inject({ url: '/openapi.json' })).json<{ paths: Record<string, object> }>()
  const out: InjectOptions[] = []
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const method of Object.keys(methods)) {
      if (!['post', 'put', 'patch', 'delete'].includes(method)) continue
      out.push({
        method: method.toUpperCase() as InjectOptions['method'],
        url: path.replace(/\{[^}]+\}/g, '1'),
        payload: {}
      })
    }
  }
  return out
}

describe('API keys with open reads (the default)', () => {
  let app: FastifyInstance

  beforeAll(async () => {
    app = await buildTestApp()
  })
  afterAll(async () => {
    await app?.close()
  })

  it('refuses every documented write without a key, with the challenge, before reading the body', async () => {
    const operations = await writeOperations(app)
    expect(operations.length).toBeGreaterThanOrEqual(15)
    for (const op of operations) {
      const res = await app.inject({ ...op, headers: NO_KEY })
      expectRefusal(res, 401, WRITE_NEEDS_KEY, CHALLENGE)
    }
  })

  it('writes nothing when refused', async () => {
    const movieId = uid('auth')
    const res = await app.inject({
      method: 'POST',
      url: '/movies',
      headers: NO_KEY,
      payload: { movie_id: movieId, title: 'Refused' }
    })
    expectRefusal(res, 401, WRITE_NEEDS_KEY, CHALLENGE)
    expect((await app.inject(`/movies/${movieId}`)).statusCode).toBe(404)
  })

  it('answers 401 invalid_token for an unknown key and invalid_request for another scheme', async () => {
    const movie = { movie_id: uid('auth'), title: 'Nope' }
    expectRefusal(
      await app.inject({
        method: 'POST',
        url: '/movies',
        headers: bearer('not-a-configured-key'),
        payload: movie
      }),
      401,
      INVALID_KEY,
      `${CHALLENGE}, error="invalid_token"`
    )
    // The hash of a configured key is not a key.
    expectRefusal(
      await app.inject({
        method: 'POST',
        url: '/movies',
        headers: bearer(hashApiKey(TEST_WRITE_KEY)),
        payload: movie
      }),
      401,
      INVALID_KEY,
      `${CHALLENGE}, error="invalid_token"`
    )
    for (const authorization of [
      `Basic ${Buffer.from(`x:${TEST_WRITE_KEY}`).toString('base64')}`,
      'Bearer',
      `Bearer ${TEST_WRITE_KEY} extra`,
      TEST_WRITE_KEY,
      `Bearer ${'k'.repeat(600)}`
    ]) {
      expectRefusal(
        await app.inject({ method: 'POST', url: '/movies', headers: { authorization }, payload: movie }),
        401,
        MALFORMED,
        `${CHALLENGE}, error="invalid_request"`
      )
    }
  })

  it('answers 403 insufficient_scope for a read-only key', async () => {
    for (const op of await writeOperations(app)) {
      expectRefusal(
        await app.inject({ ...op, headers: bearer(TEST_READ_KEY) }),
        403,
        READ_ONLY,
        `${CHALLENGE}, error="insufficient_scope", scope="write"`
      )
    }
  })

  it('lets a write key write, whatever the case of the scheme', async () => {
    const movieId = uid('auth')
    const res = await app.inject({
      method: 'POST',
      url: '/movies',
      headers: { authorization: `bearer ${TEST_WRITE_KEY}` },
      payload: { movie_id: movieId, title: 'Allowed' }
    })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.headers['www-authenticate']).toBeUndefined()
  })

  it('serves reads without a key, with a read key and with a write key', async () => {
    for (const headers of [NO_KEY, bearer(TEST_READ_KEY), bearer(TEST_WRITE_KEY)]) {
      const res = await app.inject({ url: '/genres?limit=1', headers })
      expect(res.statusCode, res.body).toBe(200)
    }
  })

  it('still refuses a read that presents an unknown key, so a mistyped key shows at once', async () => {
    expectRefusal(
      await app.inject({ url: '/genres?limit=1', headers: bearer('wrong') }),
      401,
      INVALID_KEY,
      `${CHALLENGE}, error="invalid_token"`
    )
  })

  it('refuses writes to unknown routes too, so the route table is not probed without a key', async () => {
    expectRefusal(
      await app.inject({ method: 'POST', url: '/no-such-route', headers: NO_KEY, payload: {} }),
      401,
      WRITE_NEEDS_KEY,
      CHALLENGE
    )
    expect((await app.inject({ method: 'POST', url: '/no-such-route', payload: {} })).statusCode).toBe(404)
  })
})

describe('API keys with READS_REQUIRE_KEY', () => {
  let app: FastifyInstance

  beforeAll(async () => {
    app = await buildTestApp({ READS_REQUIRE_KEY: 'true' })
  })
  afterAll(async () => {
    await app?.close()
  })

  it('refuses reads without a key and serves them with a read or a write key', async () => {
    for (const url of ['/genres?limit=1', '/movies?limit=1', '/search/movies?q=matrix', '/no-such-route']) {
      expectRefusal(await app.inject({ url, headers: NO_KEY }), 401, READ_NEEDS_KEY, CHALLENGE)
      const head = await app.inject({ method: 'HEAD', url, headers: NO_KEY })
      expect(head.statusCode).toBe(401)
      expect(head.headers['www-authenticate']).toBe(CHALLENGE)
    }
    for (const key of [TEST_READ_KEY, TEST_WRITE_KEY]) {
      expect((await app.inject({ url: '/genres?limit=1', headers: bearer(key) })).statusCode).toBe(200)
    }
  })

  it('keeps probes and the API documentation open', async () => {
    for (const url of ['/health', '/ready', '/openapi.json', '/docs/', '/docs/static/swagger-ui.css']) {
      const res = await app.inject({ url, headers: NO_KEY })
      expect(res.statusCode, url).toBe(200)
    }
  })
})

describe('API keys without any configured key', () => {
  let app: FastifyInstance
  const lines: string[] = []

  beforeAll(async () => {
    const n = testNeo4j()
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString())
        done()
      }
    })
    app = await buildApp({
      config: loadConfig({
        NEO4J_URI: n.uri,
        NEO4J_USER: n.user,
        NEO4J_PASSWORD: n.password,
        NEO4J_DATABASE: n.database
      }),
      logger: { level: 'warn', stream }
    })
  })
  afterAll(async () => {
    await app?.close()
  })

  it('warns at start and refuses every write, whatever key is sent', async () => {
    const warnings = lines.map((l) => JSON.parse(l) as { level: number; msg: string })
    expect(warnings.some((w) => w.level === 40 && w.msg.startsWith('API_KEYS has no write key'))).toBe(true)
    for (const headers of [{}, bearer(TEST_WRITE_KEY)]) {
      const res = await app.inject({ method: 'POST', url: '/genres', headers, payload: { name: uid('g') } })
      expect(res.statusCode).toBe(401)
      expectErrorShape(res.json())
    }
    expect((await app.inject({ url: '/genres?limit=1' })).statusCode).toBe(200)
  })
})

describe('API keys in logs', () => {
  it('never writes a presented key or a configured hash to the log, even at trace level', async () => {
    const n = testNeo4j()
    const lines: string[] = []
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString())
        done()
      }
    })
    const app = await buildApp({
      config: loadConfig({
        NEO4J_URI: n.uri,
        NEO4J_USER: n.user,
        NEO4J_PASSWORD: n.password,
        NEO4J_DATABASE: n.database,
        API_KEYS: TEST_API_KEYS
      }),
      logger: { level: 'trace', stream }
    })
    try {
      for (const key of [TEST_WRITE_KEY, TEST_READ_KEY, 'wrong-key-value']) {
        await app.inject({
          method: 'POST',
          url: '/genres',
          headers: bearer(key),
          payload: { name: uid('g') }
        })
        await app.inject({ url: '/genres?limit=1', headers: bearer(key) })
      }
      // What a handler logging the request's headers would write.
      app.log.info({ headers: { authorization: `Bearer ${TEST_WRITE_KEY}` } }, 'headers')
    } finally {
      await app.close()
    }
    const text = lines.join('')
    expect(lines.length).toBeGreaterThan(10)
    for (const secret of [
      TEST_WRITE_KEY,
      TEST_READ_KEY,
      'wrong-key-value',
      hashApiKey(TEST_WRITE_KEY),
      n.password
    ]) {
      expect(text).not.toContain(secret)
    }
    expect(text).toContain('"headers":{"authorization":"[redacted]"}')
  })
})
