/**
 * Bookmarks for read-your-writes: a write answers with `x-neo4j-bookmark`, a request that sends
 * it back runs after that write, and only values the service issued are accepted. Also the
 * `neo4j://` routing scheme (what a cluster or Aura needs) against the single test server.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { BookmarkScope, Database, withBookmarks } from '../../src/db/database.js'
import { bookmarkCodec } from '../../src/plugins/app/bookmarks.js'
import { buildTestApp } from '../helpers/app.js'
import { expectErrorShape } from '../helpers/http.js'
import { postMovie } from '../helpers/movies.js'
import { testNeo4j, uid } from '../helpers/neo4j.js'

const HEADER = 'x-neo4j-bookmark'
const TOKEN = /^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/
const SECRET = 'bookmark-secret-for-the-test-suite-0123456789'

function bookmarkOf(res: LightMyRequestResponse): string {
  const value = res.headers[HEADER]
  expect(typeof value, `no ${HEADER} on ${res.statusCode} ${res.body}`).toBe('string')
  expect(value).toMatch(TOKEN)
  return value as string
}

function expectInvalid(res: LightMyRequestResponse, message: string): void {
  expect(res.statusCode, res.body).toBe(400)
  expect(res.json()).toEqual({ error: { code: 'INVALID_BOOKMARK', message } })
  expectErrorShape(res.json())
  expect(res.headers[HEADER]).toBeUndefined()
}

const MALFORMED = `${HEADER} must be a value this service returned, unchanged`
const FOREIGN = `${HEADER} was not issued by this service (instances must share BOOKMARK_SECRET)`

describe('bookmarks over HTTP', () => {
  let app: FastifyInstance
  let sessions: Array<{ bookmarks?: unknown; defaultAccessMode?: unknown }>

  beforeAll(async () => {
    app = await buildTestApp({ BOOKMARK_SECRET: SECRET })
    sessions = []
    const open = app.db.driver.session.bind(app.db.driver)
    vi.spyOn(app.db.driver, 'session').mockImplementation((config) => {
      sessions.push({ ...config })
      return open(config)
    })
  })
  afterAll(async () => {
    vi.restoreAllMocks()
    await app?.close()
  })

  it('answers a write with a bookmark and passes it to the sessions of a read that sends it back', async () => {
    const movieId = uid('bm')
    const bookmark = bookmarkOf(await postMovie(app, { movie_id: movieId, title: 'BM' }))
    const issued = bookmarkCodec(SECRET).decode(bookmark)
    expect(issued.length).toBeGreaterThan(0)
    for (const b of issued) expect(b).toMatch(/^FB:/)

    sessions.length = 0
    const read = await app.inject({ url: `/movies/${movieId}`, headers: { [HEADER]: bookmark } })
    expect(read.statusCode, read.body).toBe(200)
    expect(read.json<{ movie_id: string }>().movie_id).toBe(movieId)
    expect(sessions.length).toBeGreaterThan(0)
    for (const s of sessions) expect(s.bookmarks).toEqual(issued)
    // A read wrote nothing, so it hands out no bookmark.
    expect(read.headers[HEADER]).toBeUndefined()
  })

  it('runs every read in a read session and every write in a write session', async () => {
    const movieId = uid('bm')
    sessions.length = 0
    await postMovie(app, { movie_id: movieId, title: 'Modes' })
    expect(sessions.map((s) => s.defaultAccessMode)).toContain('WRITE')
    sessions.length = 0
    const userId = uid('u')
    for (const url of [
      `/movies/${movieId}`,
      '/movies?limit=3',
      '/genres?limit=3',
      '/search/movies?q=modes',
      '/searches/trending',
      `/movies/${movieId}/similar`,
      `/movies/${movieId}/related`,
      `/movies/${movieId}/franchise`,
      `/movies/${movieId}/relationships`,
      `/movies/${movieId}/reviews`,
      `/movies/${movieId}/ratings`,
      `/paths/shortest?from=${movieId}&to=${movieId}`,
      `/users/${userId}/recommendations`,
      `/users/${userId}/ratings`,
      `/users/${userId}/searches`
    ]) {
      const res = await app.inject(url)
      expect(res.statusCode, `${url}: ${res.body}`).toBeLessThan(500)
    }
    expect(sessions.length).toBeGreaterThan(0)
    expect(new Set(sessions.map((s) => s.defaultAccessMode))).toEqual(new Set(['READ']))
  })

  it('chains writes: a write after a bookmark answers with a newer one', async () => {
    const movieId = uid('bm')
    const first = bookmarkOf(await postMovie(app, { movie_id: movieId, title: 'Chain' }))
    const second = await app.inject({
      method: 'PUT',
      url: `/movies/${movieId}/ratings/${uid('u')}`,
      headers: { [HEADER]: first },
      payload: { score: 8 }
    })
    expect(second.statusCode, second.body).toBeLessThan(300)
    const next = bookmarkOf(second)
    expect(next).not.toBe(first)
    const read = await app.inject({ url: `/movies/${movieId}`, headers: { [HEADER]: next } })
    expect(read.json<{ ratings: { count: number } }>().ratings.count).toBe(1)
  })

  it('hands out no bookmark when a write is refused', async () => {
    const movieId = uid('bm')
    await postMovie(app, { movie_id: movieId, title: 'Once' })
    const again = await app.inject({
      method: 'POST',
      url: '/movies',
      payload: { movie_id: movieId, title: 'Twice' }
    })
    expect(again.statusCode).toBe(409)
    expect(again.headers[HEADER]).toBeUndefined()
  })

  it('refuses malformed, oversized, tampered and foreign values with 400 INVALID_BOOKMARK', async () => {
    const movieId = uid('bm')
    const good = bookmarkOf(await postMovie(app, { movie_id: movieId, title: 'Valid' }))
    const read = (value: string): Promise<LightMyRequestResponse> =>
      app.inject({ url: `/movies/${movieId}`, headers: { [HEADER]: value } })

    for (const value of [
      'garbage',
      'FB:kcwQY3IjHXpSQhm5SPhz7qkPjMkN05A=',
      `${good},${good}`,
      `${good} `.repeat(2),
      `v1.${'A'.repeat(5000)}.${'B'.repeat(43)}`,
      'v1..' + 'B'.repeat(43),
      'v2' + good.slice(2),
      good + 'x',
      "v1.'; MATCH (n) DETACH DELETE n //." + 'B'.repeat(43)
    ]) {
      expectInvalid(await read(value), MALFORMED)
    }
    const [, payload = '', signature = ''] = good.split('.')
    const flipped = signature.startsWith('A') ? `B${signature.slice(1)}` : `A${signature.slice(1)}`
    expectInvalid(await read(`v1.${payload}.${flipped}`), FOREIGN)
    expectInvalid(await read(bookmarkCodec('another-secret-another-secret-12345').encode(['FB:x'])), FOREIGN)
    // Well signed but not a Neo4j bookmark.
    expectInvalid(
      await read(bookmarkCodec(SECRET).encode(['not a bookmark'])),
      `${HEADER} holds no usable bookmark`
    )
    // Well signed and bookmark-shaped, but Neo4j cannot parse it.
    expectInvalid(
      await read(bookmarkCodec(SECRET).encode(['FB:abc'])),
      'The bookmark does not belong to this database'
    )
    // Writes validate it too, and write nothing when it is bad.
    const refused = await app.inject({
      method: 'PATCH',
      url: `/movies/${movieId}`,
      headers: { [HEADER]: 'garbage' },
      payload: { runtime: 99 }
    })
    expectInvalid(refused, MALFORMED)
    expect((await read(good)).json<{ runtime: number | null }>().runtime).toBeNull()
  })

  it('accepts a bookmark from another instance sharing BOOKMARK_SECRET, and refuses one from an instance that does not', async () => {
    const movieId = uid('bm')
    const bookmark = bookmarkOf(await postMovie(app, { movie_id: movieId, title: 'Elsewhere' }))
    const sibling = await buildTestApp({ BOOKMARK_SECRET: SECRET })
    const stranger = await buildTestApp()
    try {
      const there = await sibling.inject({ url: `/movies/${movieId}`, headers: { [HEADER]: bookmark } })
      expect(there.statusCode, there.body).toBe(200)
      expectInvalid(
        await stranger.inject({ url: `/movies/${movieId}`, headers: { [HEADER]: bookmark } }),
        FOREIGN
      )
    } finally {
      await sibling.close()
      await stranger.close()
    }
  })
})

describe('the neo4j:// routing scheme against a single server', () => {
  const n = testNeo4j()
  const routingUri = n.uri.replace(/^bolt(\+s|\+ssc)?:\/\//, 'neo4j$1://')

  it('runs a write and a read, and passes bookmarks between them', async () => {
    expect(routingUri.startsWith('neo4j')).toBe(true)
    const db = new Database({ ...n, uri: routingUri, txTimeoutMs: 30_000, connectionTimeoutMs: 10_000 })
    try {
      const id = uid('route')
      const scope = new BookmarkScope()
      await withBookmarks(scope, () =>
        db.write((tx) => tx.run('CREATE (:RoutingProbe {id: $id}) RETURN 1', { id }))
      )
      expect(scope.wrote).toBe(true)
      expect(scope.bookmarks.length).toBeGreaterThan(0)
      const after = new BookmarkScope(scope.bookmarks)
      const rows = await withBookmarks(after, () =>
        db.readRows<{ n: number }>('MATCH (p:RoutingProbe {id: $id}) RETURN count(p) AS n', { id })
      )
      expect(rows).toEqual([{ n: 1 }])
      expect(after.wrote).toBe(false)
      await db.writeRows('MATCH (p:RoutingProbe {id: $id}) DELETE p', { id })
    } finally {
      await db.close()
    }
  })

  it('serves the API over it: a write, then a read with the bookmark', async () => {
    const app = await buildTestApp({ NEO4J_URI: routingUri })
    try {
      const movieId = uid('route')
      const created = await postMovie(app, { movie_id: movieId, title: 'Routed' })
      const read = await app.inject({ url: `/movies/${movieId}`, headers: { [HEADER]: bookmarkOf(created) } })
      expect(read.statusCode, read.body).toBe(200)
      expect((await app.inject('/ready')).statusCode).toBe(200)
    } finally {
      await app.close()
    }
  })
})
