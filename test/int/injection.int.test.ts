/**
 * Cypher injection through every string a client can send: stored fields come back byte for
 * byte, ids and allow-listed names (relationship types, sorts, orders, windows) are refused by
 * the schema, and afterwards the graph has no label, relationship type or property the payloads
 * tried to create, and the sentinel data is exactly as it was.
 */
import { randomBytes } from 'node:crypto'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Id } from '../../src/schemas/common.js'
import { buildTestApp } from '../helpers/app.js'
import { expectErrorShape, NO_LOAD_SHEDDING } from '../helpers/http.js'

const TOKEN = Array.from(randomBytes(6), (b) => String.fromCharCode(97 + (b % 26))).join('')
const PWN = `Pwn${TOKEN}`

/** Each tries to end the string or map it sits in and run Cypher (or Lucene, or a shell) of its own. */
const PAYLOADS = [
  "'}) MATCH (n) DETACH DELETE n //",
  '"}) MATCH (n) DETACH DELETE n //',
  `') CREATE (:${PWN}) WITH 1 AS x MATCH (n) DETACH DELETE n //`,
  `"}) CREATE (:${PWN} {at: timestamp()}) RETURN 1 //`,
  `\`) CREATE (a)-[:PWN_${TOKEN}]->(b) //`,
  `\\'}) SET m.${PWN} = true //`,
  `$movie_id}) SET m.title = '${PWN}' //`,
  `x' OR 1=1 CALL apoc.cypher.runWrite('CREATE (:${PWN})', {}) YIELD value RETURN 1 //`,
  `'}) CALL db.labels() YIELD label RETURN label UNION MATCH (n:${PWN}) RETURN n //`,
  `/* */ MERGE (:${PWN}) //`,
  `{{ CREATE (:${PWN}) }}`,
  `\${CREATE (:${PWN})}`,
  `$(touch /tmp/${PWN})`,
  `\`touch /tmp/${PWN}\``,
  `*:* OR title:${PWN}~2 AND NOT x`,
  '+-&&||!(){}[]^"~*?:\\/',
  `SIMILAR_TO|PWN_${TOKEN}`,
  'SEQUEL_OF]->(x) DETACH DELETE x //',
  `:Movie:${PWN}`,
  `\u202E${PWN}\u200B'}) DETACH DELETE n //`,
  `${PWN}\u0000'}) DETACH DELETE n //`,
  `\u{1F3AC}'})-[:${PWN}]->() //`
]

const ID_PATTERN = new RegExp((Id as unknown as { pattern: string }).pattern)

interface Sent {
  res: LightMyRequestResponse
  body: unknown
}

describe('Cypher injection', () => {
  let app: FastifyInstance
  const movieA = `inj-${TOKEN}-a`
  const movieB = `inj-${TOKEN}-b`
  const sentinel = `inj-${TOKEN}-sentinel`
  const user = `inj-${TOKEN}-u`
  const created: string[] = []
  let sentinelBefore: unknown
  let labelsBefore: string[]
  let typesBefore: string[]

  async function send(options: InjectOptions): Promise<Sent> {
    const res = await app.inject(options)
    const where = `${options.method ?? 'GET'} ${String(options.url)} → ${res.statusCode} ${res.body.slice(0, 300)}`
    expect(res.statusCode, where).toBeLessThan(500)
    const body = res.body === '' ? undefined : (JSON.parse(res.body) as unknown)
    if (res.statusCode >= 400) expectErrorShape(body)
    return { res, body }
  }

  async function ok(options: InjectOptions): Promise<Record<string, unknown>> {
    const { res, body } = await send(options)
    expect(res.statusCode, `${String(options.url)}: ${res.body.slice(0, 300)}`).toBeLessThan(300)
    return body as Record<string, unknown>
  }

  async function refusedBySchema(options: InjectOptions, path: string): Promise<void> {
    const { res, body } = await send(options)
    expect(res.statusCode, `${String(options.url)}: ${res.body.slice(0, 300)}`).toBe(400)
    expect(body, String(options.url)).toMatchObject({
      error: {
        code: 'VALIDATION_FAILED',
        details: expect.arrayContaining([expect.objectContaining({ path })])
      }
    })
  }

  async function graphNames(): Promise<{ labels: string[]; types: string[] }> {
    const [labels] = await app.db.readRows<{ names: string[] }>(
      'CALL db.labels() YIELD label RETURN collect(label) AS names'
    )
    const [types] = await app.db.readRows<{ names: string[] }>(
      'CALL db.relationshipTypes() YIELD relationshipType RETURN collect(relationshipType) AS names'
    )
    return { labels: labels?.names ?? [], types: types?.names ?? [] }
  }

  async function sentinelState(): Promise<unknown> {
    const [row] = await app.db.readRows(
      `MATCH (m:Movie {movie_id: $id})
       RETURN properties(m) AS props,
              COLLECT { MATCH (m)-[r]-(o) WHERE NOT o:Search RETURN [type(r), properties(r), properties(o)] } AS edges`,
      { id: sentinel }
    )
    return row
  }

  beforeAll(async () => {
    app = await buildTestApp(NO_LOAD_SHEDDING)
    const genre = `Inj ${TOKEN} Sentinel`
    await ok({
      method: 'POST',
      url: '/movies',
      payload: {
        movie_id: sentinel,
        title: 'Sentinel',
        year: 1984,
        overview: 'Must survive',
        genres: [genre]
      }
    })
    await ok({
      method: 'POST',
      url: '/movies',
      payload: { movie_id: movieA, title: 'Injection A', year: 2000 }
    })
    await ok({
      method: 'POST',
      url: '/movies',
      payload: { movie_id: movieB, title: 'Injection B', year: 2004 }
    })
    await ok({ method: 'PUT', url: `/movies/${movieB}/relationships/SEQUEL_OF/${sentinel}` })
    await ok({ method: 'PUT', url: `/movies/${sentinel}/ratings/${user}`, payload: { score: 9 } })
    await ok({
      method: 'POST',
      url: `/movies/${sentinel}/reviews`,
      payload: { source: 'user', content: 'The sentinel review' }
    })
    sentinelBefore = await sentinelState()
    ;({ labels: labelsBefore, types: typesBefore } = await graphNames())
  })

  afterAll(async () => {
    if (!app) return
    for (const id of [...created, movieA, movieB, sentinel]) {
      await app.inject({ method: 'DELETE', url: `/movies/${id}` })
    }
    await app.db.writeRows(
      `MATCH (n) WHERE (n:Genre OR n:Search OR n:User)
         AND any(k IN keys(n) WHERE n[k] IS :: STRING AND (n[k] CONTAINS $token))
       DETACH DELETE n`,
      { token: TOKEN }
    )
    await app.close()
  })

  it('stores movie text fields as data, byte for byte', async () => {
    for (const payload of PAYLOADS) {
      for (const field of ['title', 'original_title', 'overview', 'poster_path']) {
        const body = { title: 'Carrier', [field]: payload }
        const movie = await ok({ method: 'POST', url: '/movies', payload: body })
        created.push(movie.movie_id as string)
        const expected = field === 'title' ? payload.trim() : payload
        expect(movie[field], `${field} ${JSON.stringify(payload)}`).toBe(expected)
        const read = await ok({ method: 'GET', url: `/movies/${movie.movie_id as string}` })
        expect(read[field]).toBe(expected)
        const patched = await ok({ method: 'PATCH', url: `/movies/${movieA}`, payload: { [field]: payload } })
        expect(patched[field]).toBe(expected)
      }
      const list = await ok({
        method: 'GET',
        url: `/movies?title_prefix=${encodeURIComponent(payload)}&limit=5`
      })
      expect(list.items).toEqual(expect.any(Array))
    }
  })

  it('refuses text that could not be stored as sent (lone surrogates) instead of altering it', async () => {
    for (const [url, body, path] of [
      ['/movies', { title: 'Carrier', overview: 'a\uD800b' }, '/overview'],
      ['/genres', { name: `${TOKEN} \uDFFF` }, '/name'],
      [`/movies/${movieA}/reviews`, { source: 'user', content: '\uD83C' }, '/content'],
      [
        '/reviews/batch',
        { reviews: [{ movie_id: movieA, source: 'user', content: 'x\uDC00' }] },
        '/reviews/0/content'
      ],
      ['/searches', { query: 'q\uD800' }, '/query']
    ] as const) {
      await refusedBySchema({ method: 'POST', url, payload: body }, path)
    }
  })

  it('stores genre names as data, and refuses the ones with control characters', async () => {
    for (const payload of PAYLOADS) {
      const name = `${TOKEN} ${payload}`
      const { res, body } = await send({ method: 'POST', url: '/genres', payload: { name } })
      if ([...name].some((c) => c <= '\u001F' || c === '\u007F')) {
        expect(res.statusCode, name).toBe(400)
        continue
      }
      expect(res.statusCode, JSON.stringify(body)).toBe(201)
      expect((body as { name: string }).name).toBe(name)
      const read = await ok({ method: 'GET', url: `/genres/${encodeURIComponent(name)}` })
      expect(read.name).toBe(name)
      const genres = await ok({ method: 'PUT', url: `/movies/${movieA}/genres`, payload: { genres: [name] } })
      expect(genres.genres).toEqual([name])
      const inGenre = await ok({ method: 'GET', url: `/movies?genre=${encodeURIComponent(name)}` })
      expect((inGenre.items as Array<{ movie_id: string }>).map((m) => m.movie_id)).toEqual([movieA])
      const prefixed = await ok({ method: 'GET', url: `/genres?name_prefix=${encodeURIComponent(name)}` })
      expect((prefixed.items as Array<{ name: string }>).map((g) => g.name)).toContain(name)
    }
  })

  it('stores review text as data, one at a time and in a batch', async () => {
    for (const payload of PAYLOADS) {
      const review = await ok({
        method: 'POST',
        url: `/movies/${movieA}/reviews`,
        payload: { source: 'user', content: payload, author: payload.slice(0, 200) }
      })
      const read = await ok({ method: 'GET', url: `/reviews/${review.review_id as string}` })
      expect(read.content).toBe(payload)
      expect(read.author).toBe(payload.slice(0, 200))
      const patched = await ok({
        method: 'PATCH',
        url: `/reviews/${review.review_id as string}`,
        payload: { content: `${payload} (edited)` }
      })
      expect(patched.content).toBe(`${payload} (edited)`)
    }
    const batch = await ok({
      method: 'POST',
      url: '/reviews/batch',
      payload: { reviews: PAYLOADS.map((content) => ({ movie_id: movieA, source: 'user', content })) }
    })
    const results = batch.results as Array<{ status: string; review_id: string }>
    expect(results.map((r) => r.status)).toEqual(PAYLOADS.map(() => 'created'))
    for (const [i, r] of results.entries()) {
      expect((await ok({ method: 'GET', url: `/reviews/${r.review_id}` })).content).toBe(PAYLOADS[i])
    }
  })

  it('stores search text as data and takes Lucene syntax literally', async () => {
    for (const payload of PAYLOADS) {
      const search = await ok({
        method: 'POST',
        url: '/searches',
        payload: { query: payload, user_id: user }
      })
      expect(search.query).toBe(payload)
      await ok({ method: 'GET', url: `/search/movies?q=${encodeURIComponent(payload)}` })
      await ok({ method: 'GET', url: `/searches/trending?prefix=${encodeURIComponent(payload)}` })
    }
    const history = await ok({ method: 'GET', url: `/users/${user}/searches?limit=100` })
    expect((history.items as Array<{ query: string }>).map((s) => s.query).sort()).toEqual(
      [...PAYLOADS].sort()
    )
  })

  it('refuses every payload as an id, in paths and in bodies', async () => {
    for (const payload of PAYLOADS) {
      expect(ID_PATTERN.test(payload), payload).toBe(false)
      const p = encodeURIComponent(payload)
      for (const url of [
        `/movies/${p}`,
        `/movies/${p}/similar`,
        `/movies/${p}/related`,
        `/movies/${p}/franchise`,
        `/users/${p}/ratings`,
        `/users/${p}/recommendations`,
        `/reviews/${p}`,
        `/reviews/by-tweet/${p}`,
        `/paths/shortest?from=${p}&to=${movieB}`
      ]) {
        const { res } = await send({ method: 'GET', url })
        expect(res.statusCode, url).toBe(400)
      }
      for (const [method, url, payloadBody] of [
        ['PUT', `/movies/${movieA}/ratings/${p}`, { score: 5 }],
        ['DELETE', `/movies/${p}`, undefined],
        ['POST', '/movies', { movie_id: payload, title: 'x' }],
        ['POST', `/movies/${movieA}/reviews`, { source: 'tweet', tweet_id: payload, content: 'x' }],
        ['POST', `/movies/${movieA}/reviews`, { source: 'user', review_id: payload, content: 'x' }],
        ['POST', '/searches', { query: 'x', user_id: payload }],
        ['POST', `/searches/${p}/selection`, { movie_id: movieA }]
      ] as const) {
        const { res } = await send({ method, url, ...(payloadBody ? { payload: payloadBody } : {}) })
        expect(res.statusCode, `${method} ${url}`).toBe(400)
      }
    }
  })

  it('enforces the relationship-type allow-list, in the schema and in every list of types', async () => {
    for (const payload of [
      ...PAYLOADS,
      'similar_to',
      'IN_GENRE',
      'RATES',
      'SIMILAR_TO ',
      'SEQUEL_OF|REMAKE_OF'
    ]) {
      const p = encodeURIComponent(payload)
      await refusedBySchema({ method: 'PUT', url: `/movies/${movieA}/relationships/${p}/${movieB}` }, '/type')
      await refusedBySchema(
        { method: 'DELETE', url: `/movies/${movieA}/relationships/${p}/${movieB}` },
        '/type'
      )
      // Lists of types are split on commas and trimmed first, then each item is checked against
      // the same allow-list, so only a padded name is accepted there.
      if (payload === 'SIMILAR_TO ') continue
      for (const url of [
        `/movies/${movieA}/relationships?type=${p}`,
        `/movies/${movieA}/related?types=${p}`,
        `/paths/shortest?from=${movieA}&to=${movieB}&types=${p}`
      ]) {
        const { res } = await send({ method: 'GET', url })
        expect(res.statusCode, url).toBe(400)
      }
    }
  })

  it('enforces the sort, order and other enum allow-lists in the schema', async () => {
    for (const payload of [...PAYLOADS, 'title DESC', 'm.title', 'year; MATCH (n) DELETE n']) {
      const p = encodeURIComponent(payload)
      await refusedBySchema({ method: 'GET', url: `/movies?sort=${p}` }, '/sort')
      await refusedBySchema({ method: 'GET', url: `/movies?order=${p}` }, '/order')
      await refusedBySchema(
        { method: 'GET', url: `/movies/${movieA}/relationships?direction=${p}` },
        '/direction'
      )
      await refusedBySchema({ method: 'GET', url: `/searches/trending?window=${p}` }, '/window')
      await refusedBySchema({ method: 'GET', url: `/movies/${movieA}/reviews?sentiment=${p}` }, '/sentiment')
      await refusedBySchema(
        { method: 'PUT', url: `/movies/${movieA}/ratings/${user}`, payload: { score: 5, source: payload } },
        '/source'
      )
    }
  })

  it('treats cursors as data: forged ones are 400, well-formed ones only move the page', async () => {
    const cursor = (parts: unknown[]) => Buffer.from(JSON.stringify(parts)).toString('base64url')
    for (const payload of PAYLOADS) {
      // Well-formed for the sort: the payload is only a key to compare with.
      await ok({ method: 'GET', url: `/movies?cursor=${cursor(['title:asc', payload, payload])}` })
      await ok({ method: 'GET', url: `/genres?cursor=${cursor(['name', payload, payload])}` })
      for (const url of [
        `/movies?sort=year&cursor=${cursor(['year:asc', payload, payload])}`,
        `/movies?sort=created&cursor=${cursor(['created:asc', payload, payload])}`,
        `/movies?cursor=${cursor([payload, payload, payload])}`,
        `/movies?cursor=${encodeURIComponent(payload)}`,
        `/movies/${movieA}/relationships?cursor=${cursor(['type', payload, payload])}`,
        `/movies/${movieA}/reviews?cursor=${cursor(['created_at', payload, payload])}`,
        `/movies/${sentinel}/ratings?cursor=${cursor(['rated_at', payload, payload])}`,
        `/users/${user}/searches?cursor=${cursor(['searched_at', payload, payload])}`
      ]) {
        const { res } = await send({ method: 'GET', url })
        expect(res.statusCode, url).toBe(400)
      }
    }
  })

  it('left the graph as it was: no injected label, type or property, the sentinel untouched', async () => {
    const { labels, types } = await graphNames()
    for (const name of [...labels, ...types]) expect(name.toLowerCase()).not.toContain(TOKEN)
    for (const core of ['Movie', 'Genre', 'Review', 'Rating', 'User', 'Search', 'SchemaMigration']) {
      expect(labels).toContain(core)
    }
    for (const core of ['IN_GENRE', 'REVIEWS', 'RATES', 'GAVE', 'SEQUEL_OF', 'SEARCHED'])
      expect(types).toContain(core)
    expect(labelsBefore.length).toBeGreaterThan(0)
    expect(typesBefore.length).toBeGreaterThan(0)

    const [keys] = await app.db.readRows<{ n: number }>(
      'MATCH (n) WHERE any(k IN keys(n) WHERE toLower(k) CONTAINS $token) RETURN count(n) AS n',
      { token: TOKEN }
    )
    expect(keys?.n).toBe(0)
    const [edgeKeys] = await app.db.readRows<{ n: number }>(
      'MATCH ()-[r]->() WHERE any(k IN keys(r) WHERE toLower(k) CONTAINS $token) RETURN count(r) AS n',
      { token: TOKEN }
    )
    expect(edgeKeys?.n).toBe(0)

    expect(await sentinelState()).toEqual(sentinelBefore)
    const b = await ok({ method: 'GET', url: `/movies/${movieB}` })
    expect(b).toMatchObject({ title: 'Injection B', relationships: { SEQUEL_OF: { out: 1, in: 0 } } })
  })
})
