/**
 * The API contract as a client meets it: a TypeScript client generated from the live document
 * with openapi-typescript type-checks and runs a small program through openapi-fetch; Redocly's
 * recommended lint finds no error; a method a path does not serve is a 405 with Allow; and every
 * status the plugins answer with is declared on the operation and answered in the declared shape.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { connect } from 'node:net'
import type { Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clientErrorHandler } from '../../src/plugins/app/error-handler.js'
import { TEST_READ_KEY, TEST_WRITE_KEY, buildTestApp } from '../helpers/app.js'
import {
  clientProject,
  generateClientTypes,
  lint,
  responseValidator,
  runProgram,
  typeCheck
} from '../helpers/contract.js'
import type { OpenApiDocument } from '../helpers/contract.js'
import { expectErrorShape } from '../helpers/http.js'
import { uid } from '../helpers/neo4j.js'

/** Lists movies without choosing a sort, creates one with the key, reads its similar movies. */
const PROGRAM = `import createClient from 'openapi-fetch'
import type { components, paths } from './schema.js'

type ErrorBody = components['schemas']['ErrorResponse']

const client = createClient<paths>({ baseUrl: process.env.BASE_URL })
const auth = { Authorization: \`Bearer \${process.env.API_KEY ?? ''}\` }

function fail(step: string, status: number, error: ErrorBody | undefined): never {
  throw new Error(\`\${step}: \${status} \${error?.error.code ?? ''} \${error?.error.message ?? ''}\`)
}

const listed = await client.GET('/movies')
if (!listed.data) fail('list', listed.response.status, listed.error)
const titles: string[] = listed.data.items.map((movie) => movie.title)

const created = await client.POST('/movies', {
  body: { title: process.env.TITLE ?? 'Untitled', year: 1999 },
  headers: auth
})
if (!created.data) fail('create', created.response.status, created.error)
const movieId: string = created.data.movie_id

const similar = await client.GET('/movies/{movie_id}/similar', { params: { path: { movie_id: movieId } } })
if (!similar.data) fail('similar', similar.response.status, similar.error)
const mode: 'precomputed' | 'on_the_fly' = similar.data.mode

console.log(
  JSON.stringify({
    listed: { status: listed.response.status, count: titles.length },
    created: { status: created.response.status, movie_id: movieId, title: created.data.title },
    similar: { status: similar.response.status, movie_id: similar.data.movie_id, mode, items: similar.data.items.length }
  })
)
`

async function documentOf(app: FastifyInstance): Promise<OpenApiDocument> {
  return (await app.inject('/openapi.json')).json<OpenApiDocument>()
}

/** The response has a status the operation declares, and a body its schema admits. */
function expectDeclared(
  doc: OpenApiDocument,
  method: string,
  path: string,
  res: { statusCode: number; body: string }
): void {
  const where = `${method} ${path} → ${res.statusCode} ${res.body.slice(0, 300)}`
  const validate = responseValidator(doc, method, path, res.statusCode)
  expect(validate, `${where}: status not declared`).not.toBeNull()
  const body: unknown = JSON.parse(res.body)
  expectErrorShape(body)
  expect(validate?.(body), `${where}: ${JSON.stringify(validate?.errors)}`).toBe(true)
}

function codeOf(res: LightMyRequestResponse): string {
  return res.json<{ error: { code: string } }>().error.code
}

/** Writes raw bytes to the server and reads its answer until it closes the connection. */
function rawExchange(port: number, request: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1')
    let answer = ''
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()))
    socket.on('error', (err: NodeJS.ErrnoException) =>
      err.code === 'ECONNRESET' ? resolve(answer) : reject(err)
    )
    socket.on('close', () => resolve(answer))
    socket.write(request)
  })
}

function parseRaw(raw: string): { statusCode: number; headers: string; body: string } {
  const [head = '', body = ''] = raw.split('\r\n\r\n')
  return { statusCode: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), headers: head, body }
}

describe('a client generated from the live document', () => {
  let app: FastifyInstance
  let dir: string
  let docFile: string
  let baseUrl: string
  const title = `Contract ${uid()}`

  beforeAll(async () => {
    // The program's reads are not about timeouts: a busy test machine must not fail them.
    app = await buildTestApp({ NEO4J_TX_TIMEOUT_MS: '60000', TRAVERSAL_TX_TIMEOUT_MS: '60000' })
    await app.listen({ host: '127.0.0.1', port: 0 })
    const address = app.server.address()
    if (address === null || typeof address === 'string') throw new Error('no port')
    baseUrl = `http://127.0.0.1:${address.port}`
    const doc = (await (await fetch(`${baseUrl}/openapi.json`)).json()) as OpenApiDocument
    dir = await mkdtemp(join(tmpdir(), 'cinegraph-contract-'))
    await clientProject(dir)
    docFile = join(dir, 'openapi.json')
    await writeFile(docFile, JSON.stringify(doc, null, 2))
    await generateClientTypes(doc, dir)
    await writeFile(join(dir, 'program.ts'), PROGRAM)
  })

  afterAll(async () => {
    await app?.db.writeRows('MATCH (m:Movie {title: $title}) DETACH DELETE m', { title })
    await app?.close()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('names where it is served and how to authenticate', async () => {
    const doc = (await (await fetch(`${baseUrl}/openapi.json`)).json()) as OpenApiDocument
    expect(doc.servers).toEqual([expect.objectContaining({ url: baseUrl })])
    expect(doc.components?.securitySchemes?.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' })
  })

  it('type-checks a program that lists movies without a sort, creates one and reads its similar movies', async () => {
    const checked = await typeCheck(dir)
    expect(checked.output).toBe('')
    expect(checked.code).toBe(0)
  })

  it('runs that program against the live app', async () => {
    const ran = await runProgram(dir, 'program.ts', {
      BASE_URL: baseUrl,
      API_KEY: TEST_WRITE_KEY,
      TITLE: title
    })
    expect(ran.code, ran.output).toBe(0)
    const result = JSON.parse(ran.output.trim().split('\n').at(-1) ?? '') as {
      listed: { status: number; count: number }
      created: { status: number; movie_id: string; title: string }
      similar: { status: number; movie_id: string; mode: string; items: number }
    }
    expect(result.listed).toMatchObject({ status: 200 })
    expect(result.created).toMatchObject({ status: 201, title })
    expect(result.similar).toMatchObject({
      status: 200,
      movie_id: result.created.movie_id,
      mode: 'on_the_fly'
    })
    const stored = await app.db.readRows<{ year: number }>(
      'MATCH (m:Movie {movie_id: $id}) RETURN m.year AS year',
      { id: result.created.movie_id }
    )
    expect(stored).toEqual([{ year: 1999 }])
  })

  it("passes Redocly's recommended lint; its only warnings are the ambiguous paths the README explains", async () => {
    const report = await lint(docFile)
    expect(report.problems.filter((p) => p.severity === 'error')).toEqual([])
    expect(report.errors).toBe(0)
    for (const problem of report.problems) {
      expect(problem.ruleId, problem.message).toBe('no-ambiguous-paths')
      expect(problem.message).toContain('/movies/by-tmdb/{tmdb_id}')
    }
  })
})

describe('the document follows the configuration', () => {
  it('declares the key on every operation but the probes when reads need one, and lints clean', async () => {
    const app = await buildTestApp({ READS_REQUIRE_KEY: 'true' })
    const dir = await mkdtemp(join(tmpdir(), 'cinegraph-contract-'))
    try {
      const doc = await documentOf(app)
      for (const [path, operations] of Object.entries(doc.paths)) {
        for (const [method, op] of Object.entries(operations)) {
          const expected = path === '/health' || path === '/ready' ? [] : [{ bearerAuth: [] }]
          expect(op.security, `${method} ${path}`).toEqual(expected)
          if (expected.length > 0) expect(Object.keys(op.responses), `${method} ${path}`).toContain('401')
        }
      }
      const file = join(dir, 'openapi.json')
      await writeFile(file, JSON.stringify(doc))
      expect((await lint(file)).errors).toBe(0)
    } finally {
      await app.close()
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('declares the key on writes only, and leaves reads open to anonymous clients, by default', async () => {
    const app = await buildTestApp()
    try {
      const doc = await documentOf(app)
      expect(doc.paths['/movies']?.post?.security).toEqual([{ bearerAuth: [] }])
      expect(doc.paths['/movies']?.get?.security).toEqual([{}, { bearerAuth: [] }])
      expect(doc.paths['/health']?.get?.security).toEqual([])
      const params = doc.paths['/movies']?.get?.parameters ?? []
      for (const name of ['sort', 'order', 'limit']) {
        const param = params.find((p) => p.name === name)
        expect(param?.schema?.default, name).toBeDefined()
        expect(param?.required ?? false, name).toBe(false)
      }
      // The server still fills the defaults in.
      const listed = await app.inject('/movies?limit=1')
      expect(listed.statusCode).toBe(200)
      const next = listed.json<{ next_cursor: string | null }>().next_cursor
      if (next !== null) {
        const cursorSort = JSON.parse(Buffer.from(next, 'base64url').toString()) as [string]
        expect(cursorSort[0]).toBe('title:asc')
      }
    } finally {
      await app.close()
    }
  })
})

describe('a method a path does not serve', () => {
  let app: FastifyInstance
  let doc: OpenApiDocument
  beforeAll(async () => {
    app = await buildTestApp()
    doc = await documentOf(app)
  })
  afterAll(async () => {
    await app?.close()
  })

  function expect405(res: LightMyRequestResponse, allow: string): void {
    expect(res.statusCode, res.body).toBe(405)
    expect(res.headers.allow).toBe(allow)
    const body = res.json<{ error: { code: string; details: { allowed_methods: string[] } } }>()
    expectErrorShape(body)
    expect(body.error.code).toBe('METHOD_NOT_ALLOWED')
    expect(body.error.details.allowed_methods.join(', ')).toBe(allow)
    // The body is the error shape as the document names it.
    const validate = responseValidator(doc, 'get', '/movies/{movie_id}/similar', 400)
    expect(validate?.(body)).toBe(true)
  }

  it('answers 405 with Allow naming the methods it does serve', async () => {
    expect405(await app.inject({ method: 'POST', url: '/movies/m-1/similar' }), 'GET, HEAD')
    expect405(await app.inject({ method: 'DELETE', url: '/movies' }), 'GET, HEAD, POST')
    expect405(await app.inject({ method: 'POST', url: '/movies/by-tmdb/603' }), 'GET, HEAD, PUT')
    expect405(await app.inject({ method: 'PUT', url: '/movies/m-1' }), 'DELETE, GET, HEAD, PATCH')
    // A read needs no key (READS_REQUIRE_KEY is off); a write needs one, to any path, so the
    // route table cannot be probed without it.
    expect405(
      await app.inject({ method: 'GET', url: '/searches', headers: { authorization: undefined } }),
      'POST'
    )
    const keyless = await app.inject({
      method: 'POST',
      url: '/movies/m-1/similar',
      headers: { authorization: undefined }
    })
    expect(keyless.statusCode).toBe(401)
  })

  it('reads no body of such a request', async () => {
    expect405(
      await app.inject({
        method: 'PATCH',
        url: '/movies',
        payload: '{not json',
        headers: { 'content-type': 'application/json' }
      }),
      'GET, HEAD, POST'
    )
  })

  it('still answers 404 for a path nothing serves', async () => {
    for (const [method, url] of [
      ['GET', '/nowhere'],
      ['POST', '/movies/m-1/nowhere'],
      ['GET', '/movie'],
      ['DELETE', '/movies/m-1/similar/extra']
    ] as const) {
      const res = await app.inject({ method, url })
      expect(res.statusCode, `${method} ${url}`).toBe(404)
      expect(codeOf(res)).toBe('NOT_FOUND')
      expect(res.headers.allow).toBeUndefined()
    }
  })
})

describe('every status the plugins answer with is declared and answered in its declared shape', () => {
  let app: FastifyInstance
  let doc: OpenApiDocument
  beforeAll(async () => {
    app = await buildTestApp()
    doc = await documentOf(app)
  })
  afterAll(async () => {
    await app?.close()
  })

  it('400 VALIDATION_FAILED for a rule the schema can only describe, with the broken rule in details', async () => {
    const cases: Array<[string, string, string | InjectOptions, string, string]> = [
      ['get', '/movies', '/movies?year_from=2001&year_to=2000', 'querystring', '/year_from'],
      ['get', '/movies', '/movies?cursor=bm90LWEtY3Vyc29y', 'querystring', '/cursor'],
      ['get', '/paths/shortest', '/paths/shortest?from=m-1&to=m-1', 'querystring', '/to'],
      [
        'put',
        '/movies/{movie_id}/relationships/{type}/{other_movie_id}',
        { method: 'PUT', url: '/movies/m-1/relationships/SEQUEL_OF/m-1' },
        'params',
        '/other_movie_id'
      ],
      [
        'put',
        '/movies/by-tmdb/{tmdb_id}',
        { method: 'PUT', url: '/movies/by-tmdb/1000000001', payload: { tmdb_id: 1000000002, title: 'x' } },
        'body',
        '/tmdb_id'
      ]
    ]
    for (const [method, path, request, at, pointer] of cases) {
      const res = await app.inject(typeof request === 'string' ? { url: request } : request)
      expect(res.statusCode, res.body).toBe(400)
      expectDeclared(doc, method, path, res)
      expect(res.json()).toMatchObject({
        error: { code: 'VALIDATION_FAILED', details: [{ in: at, path: pointer }] }
      })
    }
  })

  it('400 INVALID_BOOKMARK, declared on every operation, the probes included', async () => {
    const res = await app.inject({ url: '/health', headers: { 'x-neo4j-bookmark': 'forged' } })
    expect(res.statusCode, res.body).toBe(400)
    expect(codeOf(res)).toBe('INVALID_BOOKMARK')
    expectDeclared(doc, 'get', '/health', res)
  })

  it('401 for a write without a key and for a read with an unknown key', async () => {
    const write = await app.inject({
      method: 'POST',
      url: '/genres',
      payload: { name: 'x' },
      headers: { authorization: undefined }
    })
    expect(write.statusCode).toBe(401)
    expect(write.headers['www-authenticate']).toMatch(/^Bearer /)
    expectDeclared(doc, 'post', '/genres', write)
    const read = await app.inject({ url: '/genres', headers: { authorization: 'Bearer not-a-key' } })
    expect(read.statusCode).toBe(401)
    expectDeclared(doc, 'get', '/genres', read)
  })

  it('403 for a write with a read key', async () => {
    const res = await app.inject({
      method: 'DELETE',
      url: '/reviews/r-1',
      headers: { authorization: `Bearer ${TEST_READ_KEY}` }
    })
    expect(res.statusCode).toBe(403)
    expect(codeOf(res)).toBe('FORBIDDEN')
    expectDeclared(doc, 'delete', '/reviews/{review_id}', res)
  })

  it('408 for a request that does not arrive in time', () => {
    // Node's parser raises it on a slow socket (checked every 30 s): the handler is driven directly.
    let written = ''
    const socket = {
      destroyed: false,
      writable: true,
      write: (text: string) => (written += text),
      destroy: () => undefined
    }
    clientErrorHandler(
      Object.assign(new Error('timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' }),
      socket as never
    )
    const res = parseRaw(written)
    expect(res.statusCode).toBe(408)
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'REQUEST_TIMEOUT' } })
    expectDeclared(doc, 'post', '/movies', res)
    expectDeclared(doc, 'get', '/health', res)
  })

  it('413 for a body over the limit', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/searches',
      payload: { query: 'x'.repeat(app.config.BODY_LIMIT_BYTES) }
    })
    expect(res.statusCode).toBe(413)
    expect(codeOf(res)).toBe('PAYLOAD_TOO_LARGE')
    expectDeclared(doc, 'post', '/searches', res)
  })

  it('414 for a path parameter longer than the router takes', async () => {
    const res = await app.inject(`/movies/${'a'.repeat(300)}/similar`)
    expect(res.statusCode).toBe(414)
    expect(codeOf(res)).toBe('URI_TOO_LONG')
    expectDeclared(doc, 'get', '/movies/{movie_id}/similar', res)
  })

  it('415 for a body that is not JSON', async () => {
    const res = await app.inject({
      method: 'PATCH',
      url: '/movies/m-1',
      payload: 'title=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' }
    })
    expect(res.statusCode).toBe(415)
    expect(codeOf(res)).toBe('UNSUPPORTED_MEDIA_TYPE')
    expectDeclared(doc, 'patch', '/movies/{movie_id}', res)
  })

  it('429 past the rate limit', async () => {
    const limited = await buildTestApp({ RATE_LIMIT_MAX: '1' })
    try {
      await limited.inject('/searches/trending')
      const res = await limited.inject('/searches/trending')
      expect(res.statusCode).toBe(429)
      expect(res.headers['retry-after']).toBeDefined()
      expectDeclared(doc, 'get', '/searches/trending', res)
    } finally {
      await limited.close()
    }
  })

  it('431 for headers over the size limit, answered by Node before any route', async () => {
    await app.listen({ host: '127.0.0.1', port: 0 })
    const address = app.server.address()
    if (address === null || typeof address === 'string') throw new Error('no port')
    const raw = await rawExchange(
      address.port,
      `GET /movies HTTP/1.1\r\nHost: localhost\r\nX-Padding: ${'x'.repeat(64 * 1024)}\r\n\r\n`
    )
    const res = parseRaw(raw)
    expect(res.statusCode, raw.slice(0, 300)).toBe(431)
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'HEADERS_TOO_LARGE' } })
    expectDeclared(doc, 'get', '/movies', res)
    expectDeclared(doc, 'get', '/health', res)
  })

  it('503 while shutting down, on the probes too', async () => {
    const closing = await buildTestApp()
    await closing.listen({ host: '127.0.0.1', port: 0 })
    const address = closing.server.address()
    if (address === null || typeof address === 'string') throw new Error('no port')
    // A request whose body is still arriving keeps the connection busy while the app closes;
    // the request pipelined behind it meets the draining service.
    const socket = connect(address.port, '127.0.0.1')
    let answer = ''
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()))
    const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()))
    const body = JSON.stringify({ query: `contract ${uid()}` })
    socket.write(
      `POST /searches HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${TEST_WRITE_KEY}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 5)}`
    )
    await new Promise((resolve) => setTimeout(resolve, 200))
    const closed = closing.close()
    await new Promise((resolve) => setTimeout(resolve, 200))
    socket.write(`${body.slice(5)}GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n`)
    await ended
    await closed
    const second = answer.slice(answer.indexOf('HTTP/1.1', 1))
    const res = parseRaw(second)
    expect(res.statusCode, answer.slice(0, 600)).toBe(503)
    expect(res.headers.toLowerCase()).toContain('retry-after: 5')
    expect(
      JSON.parse(res.body.slice(0, Number(/content-length: (\d+)/i.exec(res.headers)?.[1])))
    ).toMatchObject({
      error: { code: 'SHUTTING_DOWN' }
    })
    expectDeclared(doc, 'get', '/health', {
      statusCode: 503,
      body: res.body.slice(0, Number(/content-length: (\d+)/i.exec(res.headers)?.[1]))
    })
  })
})
