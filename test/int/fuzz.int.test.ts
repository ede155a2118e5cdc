/**
 * Property-based tests over every route of the OpenAPI document: hostile and schema-breaking
 * requests never produce a 5xx; every answer has a status the operation declares and a body its
 * schema admits (4xx in the one error shape); some of the valid requests succeed on every route
 * (a route refusing everything fails); and a write that was refused changed nothing: the
 * fixtures it aimed at are as they were, and no node or relationship carries the marker of a
 * refused request. Replay a failure with FUZZ_SEED=<seed printed by fast-check>.
 */
import { randomBytes, randomInt } from 'node:crypto'
import fc from 'fast-check'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../helpers/app.js'
import { responseValidator } from '../helpers/contract.js'
import type { OpenApiDocument } from '../helpers/contract.js'
import { leavesThePath, markerFor, operationsOf, requestArb, substitute, toInject } from '../helpers/fuzz.js'
import type { FixtureValues, FuzzRequest, Operation } from '../helpers/fuzz.js'
import { isErrorShape, NO_LOAD_SHEDDING } from '../helpers/http.js'

const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS_PER_ROUTE ?? 40)
/** Valid-only requests a route gets, at most, when none of its valid ones has succeeded yet. */
const EXTRA_VALID_RUNS = 40
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED)

// Lower-case letters only: the marker must survive the normalisation of search queries.
const RUN = Array.from(randomBytes(6), (b) => String.fromCharCode(97 + (b % 26))).join('')
const MARKER_PREFIX = `fz${RUN}c`

const ids = {
  movieA: `fz${RUN}-a`,
  movieB: `fz${RUN}-b`,
  tmdbA: 2_100_000_000 + randomInt(10_000_000),
  genre: `Fz ${RUN} Genre`,
  review: `fz${RUN}-r`,
  tweet: `9${String(randomInt(1e9)).padStart(9, '0')}${String(randomInt(1e9)).padStart(9, '0')}`,
  user: `fz${RUN}-u`,
  search: ''
}

/**
 * The fixtures and everything attached to them, as one comparable value. Computed SIMILAR_TO
 * edges and edges from searches are left out: other test files write those concurrently.
 */
const FINGERPRINT = `
UNWIND $movie_ids AS id
OPTIONAL MATCH (m:Movie {movie_id: id})
CALL (m) {
  OPTIONAL MATCH (m)-[r]-(o)
  WHERE NOT o:Search AND coalesce(r.source, '') <> 'computed'
  WITH r, o ORDER BY type(r), elementId(o), elementId(r)
  RETURN collect([type(r), startNode(r) = m, properties(r), labels(o), properties(o)]) AS edges
}
RETURN id, properties(m) AS movie, edges
UNION ALL
MATCH (g:Genre {name: $genre})
RETURN g.name AS id, properties(g) AS movie, [] AS edges
UNION ALL
MATCH (u:User {user_id: $user})
OPTIONAL MATCH (u)-[:GAVE]->(rating:Rating)
WITH u, rating ORDER BY rating.rating_id
RETURN u.user_id AS id, properties(u) AS movie, collect(properties(rating)) AS edges
`

describe('fuzzing every route from its schema', () => {
  let app: FastifyInstance
  let doc: OpenApiDocument
  let operations: Operation[]
  let fixtures: FixtureValues
  let pathSets: Array<Record<string, string>>
  let bodyFixtures: FixtureValues
  /** Per operation: valid requests sent, and how many of them succeeded. */
  const tally = new Map<Operation, { valid: number; succeeded: number; answers: Set<string> }>()
  let caseNo = 0
  const refusedWrites = new Set<number>()

  /** A fixture request; it must succeed, or answer one of `accept`. */
  async function inject(method: string, url: string, payload?: unknown, accept?: number[]) {
    const res = await app.inject({
      method: method as 'GET',
      url,
      ...(payload === undefined ? {} : { payload: payload as object })
    })
    if (accept) expect(accept, `${method} ${url}: ${res.body}`).toContain(res.statusCode)
    else expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300)
    return (res.body === '' ? {} : res.json()) as Record<string, unknown>
  }

  /** (Re)creates whatever a successful fuzzed write removed. */
  async function ensureFixtures(): Promise<void> {
    const [state] = await app.db.readRows<Record<string, boolean>>(
      `RETURN EXISTS { (:Genre {name: $genre}) } AS genre,
              EXISTS { (:Movie {movie_id: $a}) } AS a,
              EXISTS { (:Movie {movie_id: $b}) } AS b,
              EXISTS { (:Review {review_id: $review}) } AS review,
              EXISTS { (:User {user_id: $user})-[:GAVE]->(:Rating)-[:RATES]->(:Movie {movie_id: $a}) } AS rating,
              EXISTS { (:Movie {movie_id: $b})-[:SEQUEL_OF]->(:Movie {movie_id: $a}) } AS sequel`,
      { genre: ids.genre, a: ids.movieA, b: ids.movieB, review: ids.review, user: ids.user }
    )
    if (!state?.genre) await inject('POST', '/genres', { name: ids.genre })
    if (!state?.a) {
      // A fuzzed upsert by TMDB id may have made another movie with A's tmdb_id meanwhile.
      const taken = await inject('GET', `/movies/by-tmdb/${ids.tmdbA}`, undefined, [200, 404])
      if (typeof taken.movie_id === 'string') await inject('DELETE', `/movies/${taken.movie_id}`)
      await inject('POST', '/movies', {
        movie_id: ids.movieA,
        tmdb_id: ids.tmdbA,
        title: `Zqxv ${RUN} Alpha`,
        year: 1999,
        genres: [ids.genre]
      })
    }
    if (!state?.b)
      await inject('POST', '/movies', { movie_id: ids.movieB, title: `Zqxv ${RUN} Beta`, year: 2003 })
    if (!state?.review) {
      // Likewise a fuzzed review may hold the fixture's tweet_id now.
      const taken = await inject('GET', `/reviews/by-tweet/${ids.tweet}`, undefined, [200, 404])
      if (typeof taken.review_id === 'string') await inject('DELETE', `/reviews/${taken.review_id}`)
      await inject('POST', `/movies/${ids.movieA}/reviews`, {
        review_id: ids.review,
        source: 'tweet',
        tweet_id: ids.tweet,
        content: 'A fixture review'
      })
    }
    if (!state?.rating) await inject('PUT', `/movies/${ids.movieA}/ratings/${ids.user}`, { score: 7 })
    if (!state?.sequel) await inject('PUT', `/movies/${ids.movieB}/relationships/SEQUEL_OF/${ids.movieA}`)
  }

  async function fingerprint(): Promise<string> {
    const rows = await app.db.readRows(FINGERPRINT, {
      movie_ids: [ids.movieA, ids.movieB],
      genre: ids.genre,
      user: ids.user
    })
    return JSON.stringify(rows)
  }

  beforeAll(async () => {
    app = await buildTestApp(NO_LOAD_SHEDDING)
    doc = app.swagger() as unknown as OpenApiDocument
    operations = operationsOf(doc as unknown as Parameters<typeof operationsOf>[0])
    await ensureFixtures()
    const search = await inject('POST', '/searches', { query: `zqxv ${RUN}`, user_id: ids.user })
    ids.search = search.search_id as string
    fixtures = {
      movie_id: [ids.movieA, ids.movieB],
      other_movie_id: [ids.movieB, ids.movieA],
      from: [ids.movieA],
      to: [ids.movieB],
      exclude: [ids.movieB],
      tmdb_id: [String(ids.tmdbA)],
      name: [ids.genre],
      genre: [ids.genre],
      review_id: [ids.review],
      tweet_id: [ids.tweet],
      user_id: [ids.user],
      search_id: [ids.search],
      type: ['SEQUEL_OF', 'SIMILAR_TO'],
      types: ['SEQUEL_OF,REMAKE_OF', 'SEQUEL_OF']
    }
    const known = {
      review_id: ids.review,
      tweet_id: ids.tweet,
      user_id: ids.user,
      search_id: ids.search,
      name: ids.genre,
      tmdb_id: String(ids.tmdbA)
    }
    // Body properties that refer to stored data (a selection's movie, a body tmdb_id the path's).
    bodyFixtures = { movie_id: [ids.movieA, ids.movieB], tmdb_id: [String(ids.tmdbA)] }
    pathSets = [
      // A's rating by the user; A and B are not SIMILAR_TO, so its PUT needs a score.
      { ...known, movie_id: ids.movieA, other_movie_id: ids.movieB, type: 'SIMILAR_TO' },
      // The stored edge B -SEQUEL_OF-> A, from its start.
      { ...known, movie_id: ids.movieB, other_movie_id: ids.movieA, type: 'SEQUEL_OF' }
    ]
  })

  afterAll(async () => {
    if (!app) return
    // What accepted requests stored, then the fixtures themselves.
    await app.db.writeRows(
      `MATCH (n) WHERE any(k IN keys(n) WHERE n[k] IS :: STRING AND n[k] CONTAINS $prefix)
       OPTIONAL MATCH (n)-[:GAVE]->(r:Rating)
       DETACH DELETE r, n`,
      { prefix: `fz${RUN}` }
    )
    await app.db.writeRows('MATCH (g:Genre {name: $name}) DETACH DELETE g', { name: ids.genre })
    await app.close()
  })

  async function check(op: Operation, generated: FuzzRequest): Promise<void> {
    const n = ++caseNo
    const request = substitute(generated, markerFor(RUN, n))
    const write = op.method !== 'GET'
    const before = write ? await fingerprint() : undefined
    const injected = toInject(op, request)
    const res = await app.inject(injected)
    const where = `${injected.method} ${injected.url.slice(0, 300)} ${String(injected.payload).slice(0, 300)} → ${res.statusCode} ${res.body.slice(0, 500)}`
    expect(res.statusCode, where).toBeLessThan(500)
    const declared = doc.paths[op.path]?.[op.method.toLowerCase()]?.responses ?? {}
    if (!leavesThePath(request)) {
      expect(Object.keys(declared), `undeclared status: ${where}`).toContain(String(res.statusCode))
    }
    if (res.statusCode !== 204) {
      let body: unknown
      expect(() => (body = JSON.parse(res.body)), where).not.toThrow()
      if (res.statusCode >= 400) expect(isErrorShape(body), where).toBe(true)
      const validate = leavesThePath(request)
        ? null
        : responseValidator(doc, op.method, op.path, res.statusCode)
      if (validate) expect(validate(body), `${where}: ${JSON.stringify(validate.errors)}`).toBe(true)
    }
    if (request.mode === 'valid') {
      const counts = tally.get(op) ?? { valid: 0, succeeded: 0, answers: new Set<string>() }
      counts.valid++
      if (res.statusCode < 300) counts.succeeded++
      else counts.answers.add(`${res.statusCode} ${res.body.slice(0, 200)}`)
      tally.set(op, counts)
    }
    if (!write) return
    if (res.statusCode >= 400) {
      refusedWrites.add(n)
      expect(await fingerprint(), `refused write changed the fixtures: ${where}`).toBe(before)
    } else {
      await ensureFixtures()
    }
  }

  // A property per route, a test per method: RUNS_PER_ROUTE cases for each of the 38 operations.
  it('enumerates the routes of the OpenAPI document', () => {
    expect(operations.length).toBeGreaterThanOrEqual(38)
  })

  // Creating a movie names a new one: a known movie_id or tmdb_id there is only ever a 409.
  const bodyFixturesFor = (op: Operation): FixtureValues =>
    op.method === 'POST' && op.path === '/movies' ? {} : bodyFixtures

  describe.each(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'])('%s', (method) => {
    it(
      'never answers 5xx, answers as declared, serves valid requests, refused writes change nothing',
      { timeout: 600_000 },
      async () => {
        for (const op of operations.filter((o) => o.method === method)) {
          await fc.assert(
            fc.asyncProperty(requestArb(op, fixtures, pathSets, bodyFixturesFor(op)), (req) =>
              check(op, req)
            ),
            { numRuns: RUNS_PER_ROUTE, ...(SEED === undefined ? {} : { seed: SEED }) }
          )
          // Valid requests can still break a rule of stored data (a 409 for a taken id); before a
          // route is failed for never succeeding, it gets more valid requests, checked the same way.
          for (let extra = 0; extra < EXTRA_VALID_RUNS && !tally.get(op)?.succeeded; extra++) {
            const [req] = fc.sample(requestArb(op, fixtures, pathSets, bodyFixturesFor(op), ['valid']), 1)
            await check(op, req!)
          }
          const counts = tally.get(op) ?? { valid: 0, succeeded: 0, answers: new Set() }
          expect(
            counts.succeeded,
            `${op.method} ${op.path}: none of ${counts.valid} valid requests succeeded: ${[...counts.answers].join('; ')}`
          ).toBeGreaterThan(0)
        }
      }
    )
  })

  it('left no trace of a refused write anywhere in the graph', async () => {
    expect(caseNo).toBeGreaterThanOrEqual(1_000)
    const found = await app.db.readRows<{ value: string }>(
      `MATCH (n) UNWIND keys(n) AS k
       WITH n[k] AS v WHERE v IS :: STRING AND v CONTAINS $prefix
       RETURN v AS value
       UNION
       MATCH (n) UNWIND keys(n) AS k
       WITH n[k] AS v WHERE v IS :: LIST<STRING NOT NULL>
       UNWIND v AS value
       WITH value WHERE value CONTAINS $prefix
       RETURN value
       UNION
       MATCH ()-[r]->() UNWIND keys(r) AS k
       WITH r[k] AS v WHERE v IS :: STRING AND v CONTAINS $prefix
       RETURN v AS value
       UNION
       MATCH ()-[r]->() UNWIND keys(r) AS k
       WITH r[k] AS v WHERE v IS :: LIST<STRING NOT NULL>
       UNWIND v AS value
       WITH value WHERE value CONTAINS $prefix
       RETURN value`,
      { prefix: MARKER_PREFIX }
    )
    const leaked = found
      .flatMap((r) =>
        [...r.value.matchAll(new RegExp(`${MARKER_PREFIX}(\\d{7})`, 'g'))].map((m) => Number(m[1]))
      )
      .filter((n) => refusedWrites.has(n))
    expect(leaked).toEqual([])
    expect(refusedWrites.size).toBeGreaterThan(100)
  })
})
