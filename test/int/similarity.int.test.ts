/**
 * The similarity rebuild, scoped to this file's movies so the shared server's other movies are
 * never touched. Five movies, genres only (no ratings, reviews or franchise links), so every
 * score is 0.2 × Jaccard / (0.35 + 0.2 + 0.15) and the top-k picks can be worked out by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import type { Database } from '../../src/db/database.js'
import { writeComputedEdges } from '../../src/data/similarity/repository.js'
import { rebuildSimilarity } from '../../src/similarity/rebuild.js'
import type { RebuildProgress } from '../../src/similarity/rebuild.js'
import { buildTestApp } from '../helpers/app.js'
import { testDatabase, uid } from '../helpers/neo4j.js'

let app: FastifyInstance
let db: Database
const P = uid('sim')
const id = (name: string) => `${P}-${name}`
const SCOPE = ['a', 'b', 'c', 'd', 'e'].map(id)
const score = (jaccard: number) => (0.2 * jaccard) / 0.7

interface EdgeRow {
  from: string
  to: string
  source: string
  score: number | null
  run_id: string | null
  parts: string | null
  updated_at: string
}

/** Every SIMILAR_TO edge touching this file's movies, in stored direction. */
async function edges(): Promise<EdgeRow[]> {
  return db.readRows<EdgeRow>(
    `MATCH (a:Movie)-[r:SIMILAR_TO]->(b:Movie)
     WHERE a.movie_id STARTS WITH $p OR b.movie_id STARTS WITH $p
     RETURN a.movie_id AS from, b.movie_id AS to, r.source AS source, r.score AS score,
            r.run_id AS run_id, r.parts AS parts, r.updated_at AS updated_at
     ORDER BY from, to`,
    { p: P }
  )
}

async function computedPairs(): Promise<string[]> {
  return (await edges())
    .filter((e) => e.source === 'computed')
    .map((e) => `${e.from.slice(P.length + 1)}-${e.to.slice(P.length + 1)}`)
}

beforeAll(async () => {
  app = await buildTestApp()
  db = testDatabase()
  // a {G,H}  b {G,H}  c {G}  d {G,K}  e {K}; o is outside the rebuild's scope.
  await db.writeRows(
    `UNWIND $movies AS s
     CREATE (m:Movie {movie_id: s.movie_id, title: s.movie_id})
     WITH m, s UNWIND s.genres AS name
     MERGE (g:Genre {name: name})
     CREATE (m)-[:IN_GENRE]->(g)`,
    {
      movies: [
        { movie_id: id('a'), genres: [id('G'), id('H')] },
        { movie_id: id('b'), genres: [id('G'), id('H')] },
        { movie_id: id('c'), genres: [id('G')] },
        { movie_id: id('d'), genres: [id('G'), id('K')] },
        { movie_id: id('e'), genres: [id('K')] },
        { movie_id: id('o'), genres: [id('G')] }
      ]
    }
  )
  await db.writeRows(
    `MATCH (a:Movie {movie_id: $a}), (b:Movie {movie_id: $b}), (c:Movie {movie_id: $c}),
           (d:Movie {movie_id: $d}), (e:Movie {movie_id: $e}), (o:Movie {movie_id: $o})
     CREATE (a)-[:SIMILAR_TO {source: 'editorial', score: 0.7, created_at: datetime('2024-01-01T00:00:00Z'),
                              updated_at: datetime('2024-01-01T00:00:00Z')}]->(b),
            (c)-[:SIMILAR_TO {source: 'tmdb', score: 0.5, created_at: datetime('2024-01-01T00:00:00Z'),
                              updated_at: datetime('2024-01-01T00:00:00Z')}]->(d),
            (a)-[:SIMILAR_TO {source: 'computed', score: 0.9, run_id: 'old', created_at: datetime(),
                              updated_at: datetime()}]->(e),
            (a)-[:SIMILAR_TO {source: 'computed', score: 0.1, run_id: 'old', created_at: datetime(),
                              updated_at: datetime()}]->(o)`,
    { a: id('a'), b: id('b'), c: id('c'), d: id('d'), e: id('e'), o: id('o') }
  )
})

afterAll(async () => {
  await db.writeRows(
    `MATCH (n) WHERE n:Movie AND n.movie_id STARTS WITH $p OR n:Genre AND n.name STARTS WITH $p
     DETACH DELETE n`,
    { p: P }
  )
  await db.close()
  await app.close()
})

describe('rebuildSimilarity', () => {
  it('keeps each movie’s top-k, replaces earlier computed edges and leaves explicit ones alone', async () => {
    const explicitBefore = (await edges()).filter((e) => e.source !== 'computed')
    const progress: RebuildProgress[] = []
    const summary = await rebuildSimilarity(db, {
      topK: 1,
      batchSize: 2,
      movieIds: SCOPE,
      onProgress: (p) => progress.push(p)
    })

    // a→c, b→c, c→a (tie with b, smaller id wins), d→e, e→d; a–b and c–d have explicit edges.
    expect(await computedPairs()).toEqual(['a-c', 'b-c', 'd-e', 'a-o'].sort())
    expect(summary).toMatchObject({ movies: 5, batches: 3, edges: 3, edgesRemoved: 1 })

    const all = await edges()
    expect(all.filter((e) => e.source !== 'computed')).toEqual(explicitBefore)
    const ac = all.find((e) => e.from === id('a') && e.to === id('c'))
    expect(ac?.score).toBeCloseTo(score(1 / 2), 6)
    expect(ac?.run_id).toBe(summary.runId)
    expect(JSON.parse(ac?.parts ?? '{}')).toMatchObject({ edge: 0, genre: 0.5, corating: null, franchise: 0 })
    expect(all.find((e) => e.from === id('a') && e.to === id('o'))?.run_id).toBe('old')

    expect(progress.filter((p) => p.phase === 'compute').map((p) => p.done)).toEqual([2, 4, 5])
    expect(progress.at(-1)).toMatchObject({ phase: 'cleanup', done: 5, total: 5, edges: 3, edgesRemoved: 1 })
  })

  it('grows and shrinks with top-k, at most one SIMILAR_TO per pair', async () => {
    const wide = await rebuildSimilarity(db, { topK: 2, batchSize: 10, movieIds: SCOPE })
    // d picks e and then a (a and b tie at 1/3); e has d only.
    expect(await computedPairs()).toEqual(['a-c', 'a-d', 'b-c', 'b-d', 'd-e', 'a-o'].sort())
    expect(wide).toMatchObject({ edges: 5, edgesRemoved: 0 })

    const narrow = await rebuildSimilarity(db, { topK: 1, batchSize: 10, movieIds: SCOPE })
    expect(await computedPairs()).toEqual(['a-c', 'b-c', 'd-e', 'a-o'].sort())
    expect(narrow).toMatchObject({ edges: 3, edgesRemoved: 2 })

    const [dupes] = await db.readRows<{ n: number }>(
      `MATCH (a:Movie)-[r:SIMILAR_TO]-(b:Movie)
       WHERE a.movie_id IN $scope AND b.movie_id IN $scope AND a.movie_id < b.movie_id
       WITH a, b, count(r) AS n WHERE n > 1 RETURN count(*) AS n`,
      { scope: SCOPE }
    )
    expect(dupes?.n).toBe(0)
  })

  it('never writes a computed edge over an explicit one', async () => {
    const before = await edges()
    const written = await writeComputedEdges(db, 'manual', [
      {
        from: id('a'),
        to: id('b'),
        score: 0.99,
        parts: { edge: 0, genre: 1, corating: null, franchise: 0, sentiment: null },
        evidence: { shared_genres: [], co_raters: null, franchise_hops: null, edge_source: null }
      }
    ])
    expect(written).toBe(0)
    expect(await edges()).toEqual(before)
  })

  it('makes the similar route serve the movie from its edges', async () => {
    const res = await app.inject({ method: 'GET', url: `/movies/${id('a')}/similar` })
    expect(res.statusCode).toBe(200)
    const body = res.json() as { mode: string; items: { movie_id: string; score: number; source: string }[] }
    expect(body.mode).toBe('precomputed')
    expect(body.items.map((i) => [i.movie_id, i.source])).toEqual([
      [id('b'), 'editorial'],
      [id('c'), 'computed'],
      [id('o'), 'computed']
    ])
    expect(body.items[1]?.score).toBeCloseTo(score(1 / 2), 6)
  })

  it('rejects bounds it cannot honour', async () => {
    await expect(rebuildSimilarity(db, { topK: 0, movieIds: SCOPE })).rejects.toThrow(RangeError)
    await expect(rebuildSimilarity(db, { batchSize: 10_000, movieIds: SCOPE })).rejects.toThrow(RangeError)
  })
})
