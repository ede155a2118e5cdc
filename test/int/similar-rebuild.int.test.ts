/**
 * The similarity rebuild on a Neo4j of this file's own: a whole-graph rebuild writes every
 * movie's list, which would change what the shared server's other test files read.
 *
 * The planted graph (genres G and H; users u1–u3; weights edge 0.2, genre 0.2, corating 0.4,
 * franchise 0.1, sentiment 0.1; co-rating shrink 1):
 *   a {G,H}  rated 3 times, liked by u1, u2, u3; sentiment 0.5
 *   b {G,H}  rated twice, liked by u1, u2; sentiment 0.1
 *   c {G}    rated once, liked by u2
 *   d {H}    rated once (u3, 3: not liked); tmdb SIMILAR_TO a at 0.6
 *   e {}     SEQUEL_OF a
 * For a: co-likes b 2, c 1, so
 *   b = 0.2·1 + 0.4·(2/√6 · 2/3) + 0.1·(1 − 0.4/2)   c = 0.2·½ + 0.4·(1/√3 · ½)
 *   d = 0.2·0.6 + 0.2·½                              e = 0.1·1 (genre 0: e has none)
 * which ranks b, d, c, e.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app.js'
import { DEFAULT_TRAVERSAL_CONFIG, loadConfig } from '../../src/config.js'
import type { SimilarConfig } from '../../src/config.js'
import type { Database } from '../../src/db/database.js'
import { migrate } from '../../src/db/migrate.js'
import { LockHeldError, acquireLock } from '../../src/data/locks/repository.js'
import { InsufficientMemoryError, REBUILD_LOCK, rebuildSimilarity } from '../../src/data/similar/rebuild.js'
import type { RebuildProgress } from '../../src/data/similar/rebuild.js'
import { cinegraph } from '../helpers/cli.js'
import { startThrowawayNeo4j, throwawayDatabase } from '../helpers/throwaway-neo4j.js'
import type { ThrowawayNeo4j } from '../helpers/throwaway-neo4j.js'

const WEIGHTS = { edge: '0.2', genre: '0.2', corating: '0.4', franchise: '0.1', sentiment: '0.1' }
const ENV = {
  SIMILAR_WEIGHT_EDGE: WEIGHTS.edge,
  SIMILAR_WEIGHT_GENRE: WEIGHTS.genre,
  SIMILAR_WEIGHT_CORATING: WEIGHTS.corating,
  SIMILAR_WEIGHT_FRANCHISE: WEIGHTS.franchise,
  SIMILAR_WEIGHT_SENTIMENT: WEIGHTS.sentiment,
  SIMILAR_CORATING_SHRINK: '1',
  // The first plan of the on-the-fly query on a fresh server can take seconds on a busy machine.
  TRAVERSAL_TX_TIMEOUT_MS: '60000'
}
const config: SimilarConfig = {
  ...DEFAULT_TRAVERSAL_CONFIG.similar,
  weights: { edge: 0.2, genre: 0.2, corating: 0.4, franchise: 0.1, sentiment: 0.1 },
  coratingShrink: 1
}

const expected = {
  b: 0.2 * 1 + 0.4 * ((2 / Math.sqrt(6)) * (2 / 3)) + 0.1 * (1 - 0.4 / 2),
  d: 0.2 * 0.6 + 0.2 * 0.5,
  c: 0.2 * 0.5 + 0.4 * ((1 / Math.sqrt(3)) * 0.5),
  e: 0.1 * 1
}

let neo4j: ThrowawayNeo4j
let db: Database
let app: FastifyInstance

interface SimilarBody {
  mode: string
  items: {
    movie_id: string
    score: number
    parts: Record<string, number | null>
    evidence: Record<string, unknown>
  }[]
}

async function similar(movieId: string, query = ''): Promise<SimilarBody> {
  const res = await app.inject({ method: 'GET', url: `/movies/${movieId}/similar${query}` })
  expect(res.statusCode).toBe(200)
  return res.json() as SimilarBody
}

async function listOf(movieId: string): Promise<{ ids: string[] | null; run: string | null }> {
  const [row] = await db.readRows<{ ids: string[] | null; run: string | null }>(
    'MATCH (m:Movie {movie_id: $id}) RETURN m.similar_ids AS ids, m.similar_run AS run',
    { id: movieId }
  )
  return row ?? { ids: null, run: null }
}

beforeAll(async () => {
  neo4j = await startThrowawayNeo4j('similar-rebuild')
  db = throwawayDatabase(neo4j)
  await migrate(db)
  await db.writeRows(
    `UNWIND $movies AS s
     CREATE (m:Movie {movie_id: s.id, title: toUpper(s.id), rating_count: s.rc, review_count: s.rv,
                      sentiment_mean: s.sent})
     WITH m, s UNWIND s.genres AS name
     MERGE (g:Genre {name: name})
     CREATE (m)-[:IN_GENRE]->(g)`,
    {
      movies: [
        { id: 'a', rc: 3, rv: 1, sent: 0.5, genres: ['G', 'H'] },
        { id: 'b', rc: 2, rv: 1, sent: 0.1, genres: ['G', 'H'] },
        { id: 'c', rc: 1, rv: 0, sent: null, genres: ['G'] },
        { id: 'd', rc: 1, rv: 0, sent: null, genres: ['H'] },
        { id: 'e', rc: 0, rv: 0, sent: null, genres: [] }
      ]
    }
  )
  await db.writeRows(
    `UNWIND $ratings AS x
     MATCH (m:Movie {movie_id: x[1]})
     MERGE (u:User {user_id: x[0]})
     CREATE (u)-[:GAVE]->(:Rating {rating_id: x[0] + '/' + x[1], score: x[2],
                                   rated_at: datetime('2024-01-01T00:00:00Z'), updated_at: datetime()})
            -[:RATES]->(m)`,
    {
      ratings: [
        ['u1', 'a', 9],
        ['u1', 'b', 8],
        ['u2', 'a', 8],
        ['u2', 'b', 8],
        ['u2', 'c', 9],
        ['u3', 'a', 9],
        ['u3', 'd', 3]
      ]
    }
  )
  await db.writeRows(
    `MATCH (a:Movie {movie_id: 'a'}), (d:Movie {movie_id: 'd'}), (e:Movie {movie_id: 'e'})
     CREATE (a)-[:SIMILAR_TO {source: 'tmdb', score: 0.6, updated_at: datetime()}]->(d),
            (e)-[:SEQUEL_OF {source: 'editorial', updated_at: datetime()}]->(a),
            (a)-[:SIMILAR_TO {source: 'computed', score: 0.9, run_id: 'former'}]->(e)`
  )
  app = await buildApp({
    config: loadConfig({ ...neo4j.env, LOG_LEVEL: 'silent', ...ENV }),
    verifyDatabase: true
  })
}, 180_000)

afterAll(async () => {
  await app?.close()
  await db?.close()
  await neo4j?.remove()
})

describe('cinegraph similarity rebuild', () => {
  it('answers on the fly before any rebuild, by the same formula the rebuild stores', async () => {
    await expect(rebuildSimilarity(db, { config, since: 'last' })).rejects.toThrow(
      /no similarity rebuild has finished yet/
    )
    const body = await similar('a')
    expect(body.mode).toBe('on_the_fly')
    expect(body.items.map((i) => i.movie_id)).toEqual(['b', 'd', 'c', 'e'])
    for (const item of body.items) {
      expect(item.score).toBeCloseTo(expected[item.movie_id as keyof typeof expected], 5)
    }
  })

  it('stores every movie’s top-k with its parts, removes the former computed edges, and serves the list', async () => {
    const progress: RebuildProgress[] = []
    const summary = await rebuildSimilarity(db, {
      topK: 20,
      batchSize: 2,
      config,
      onProgress: (p) => progress.push(p)
    })
    expect(summary).toMatchObject({ mode: 'full', movies: 5, written: 5, legacyEdgesRemoved: 1 })
    expect(progress.filter((p) => p.phase === 'score').map((p) => p.done)).toEqual([0, 2, 4, 5])

    const body = await similar('a')
    expect(body.mode).toBe('precomputed')
    expect(body.items.map((i) => i.movie_id)).toEqual(['b', 'd', 'c', 'e'])
    for (const item of body.items) {
      expect(item.score).toBeCloseTo(expected[item.movie_id as keyof typeof expected], 5)
    }
    expect(body.items[0]).toMatchObject({
      parts: { edge: 0, genre: 1, franchise: 0, sentiment: 0.8 },
      evidence: { shared_genres: ['G', 'H'], co_raters: 2, franchise_hops: null, edge_source: null }
    })
    expect(body.items[0]?.parts.corating).toBeCloseTo((2 / Math.sqrt(6)) * (2 / 3), 5)
    expect(body.items[1]).toMatchObject({ evidence: { edge_source: 'tmdb', co_raters: 0 } })
    expect(body.items[3]).toMatchObject({
      parts: { franchise: 1, genre: 0 },
      evidence: { franchise_hops: 1 }
    })

    const [legacy] = await db.readRows<{ n: number }>(
      "MATCH ()-[r:SIMILAR_TO {source: 'computed'}]->() RETURN count(r) AS n"
    )
    expect(legacy?.n).toBe(0)
  })

  it('filters a stored list by min_score, exclude and limit', async () => {
    expect((await similar('a', '?limit=2')).items.map((i) => i.movie_id)).toEqual(['b', 'd'])
    expect((await similar('a', '?exclude=d,b')).items.map((i) => i.movie_id)).toEqual(['c', 'e'])
    expect((await similar('a', `?min_score=${expected.c + 0.001}`)).items.map((i) => i.movie_id)).toEqual([
      'b',
      'd'
    ])
  })

  it('replaces a list whole when top-k changes', async () => {
    await rebuildSimilarity(db, { topK: 2, config })
    expect((await listOf('a')).ids).toEqual(['b', 'd'])
    await rebuildSimilarity(db, { topK: 3, config })
    expect((await listOf('a')).ids).toEqual(['b', 'd', 'c'])
  })

  it('drops a movie deleted since the rebuild from the lists it is in', async () => {
    await db.writeRows("CREATE (:Movie {movie_id: 'gone', title: 'GONE'})-[:IN_GENRE]->(:Genre {name: 'Z'})")
    await db.writeRows(
      "MATCH (z:Movie {movie_id: 'gone'}), (y:Movie {movie_id: 'e'}) CREATE (y)-[:SEQUEL_OF {updated_at: datetime()}]->(z)"
    )
    await rebuildSimilarity(db, { topK: 20, config })
    expect((await similar('e')).items.map((i) => i.movie_id)).toContain('gone')
    await db.writeRows("MATCH (m:Movie {movie_id: 'gone'}) DETACH DELETE m")
    const after = await similar('e')
    expect(after.mode).toBe('precomputed')
    expect(after.items.map((i) => i.movie_id)).not.toContain('gone')
  })

  it('refreshes only the movies touched since the last finished run, and new ones', async () => {
    const before = await rebuildSimilarity(db, { topK: 20, config })
    const runOf = async (id: string) => (await listOf(id)).run
    expect(await runOf('c')).toBe(before.runId)

    // A new movie f {G}, liked by u2: f and its rating are new; nothing else changed.
    await db.writeRows(
      `CREATE (f:Movie {movie_id: 'f', title: 'F', rating_count: 1, created_at: datetime()})
       WITH f MATCH (g:Genre {name: 'G'}) CREATE (f)-[:IN_GENRE]->(g)
       WITH f MATCH (u:User {user_id: 'u2'})
       CREATE (u)-[:GAVE]->(:Rating {rating_id: 'u2/f', score: 9.0, rated_at: datetime(), updated_at: datetime()})
              -[:RATES]->(f)`
    )
    expect((await similar('f')).mode).toBe('on_the_fly')
    const refresh = await rebuildSimilarity(db, { topK: 20, config, since: 'last' })
    expect(refresh).toMatchObject({ mode: 'refresh', written: 1 })
    expect((await similar('f')).mode).toBe('precomputed')
    expect(await runOf('c')).toBe(before.runId)

    // A rating of c written now touches c alone.
    await db.writeRows("MATCH (r:Rating {rating_id: 'u2/c'}) SET r.score = 10.0, r.updated_at = datetime()")
    const second = await rebuildSimilarity(db, { topK: 20, config, since: 'last' })
    expect(second.written).toBe(1)
    expect(await runOf('c')).toBe(second.runId)
    expect(await runOf('b')).toBe(before.runId)

    const named = await rebuildSimilarity(db, { config, movieIds: ['a', 'b', 'missing'] })
    expect(named.written).toBe(2)
    // Named movies say nothing about the rest: the next `--since last` still starts from the last
    // whole or touched-since run, so a rating written before the named run is not missed.
    const [last] = await db.readRows<{ id: string }>(
      'MATCH (j:JobRun {name: $n}) RETURN j.last_run_id AS id',
      {
        n: REBUILD_LOCK
      }
    )
    expect(last?.id).toBe(second.runId)
  })

  it('leaves the old lists serving when a run dies halfway, and the next run finishes the job', async () => {
    const done = await rebuildSimilarity(db, { topK: 20, config })
    await expect(
      rebuildSimilarity(db, {
        topK: 1,
        batchSize: 2,
        config,
        onProgress: (p) => {
          if (p.phase === 'score' && p.done === 2) throw new Error('killed')
        }
      })
    ).rejects.toThrow('killed')
    // The first batch (a, b) has one-item lists; the rest still serve the old ones, whole.
    expect((await listOf('a')).ids).toEqual(['b'])
    expect((await listOf('c')).run).toBe(done.runId)
    expect((await similar('c')).items.length).toBeGreaterThan(1)
    // The dead run finished nothing, so `--since last` still starts from the last good run...
    const [last] = await db.readRows<{ id: string }>(
      'MATCH (j:JobRun {name: $n}) RETURN j.last_run_id AS id',
      {
        n: REBUILD_LOCK
      }
    )
    expect(last?.id).toBe(done.runId)
    // ...and the lock was released, so the next run can finish the job.
    const next = await rebuildSimilarity(db, { topK: 1, config })
    expect(next.written).toBe(6)
    expect((await listOf('c')).run).toBe(next.runId)
  })

  it('refuses a second run while one holds the lock', async () => {
    const running = await acquireLock(db, REBUILD_LOCK, 'another-run', 60_000)
    try {
      await expect(rebuildSimilarity(db, { config })).rejects.toBeInstanceOf(LockHeldError)
      await expect(rebuildSimilarity(db, { config, since: 'last' })).rejects.toThrow(
        /similarity-rebuild is already running \(run another-run/
      )
    } finally {
      await running.release()
    }
  })

  it('stops before loading anything when the memory it needs is not there', async () => {
    await expect(rebuildSimilarity(db, { config, freeHeapBytes: 1024 })).rejects.toThrow(
      InsufficientMemoryError
    )
    await expect(rebuildSimilarity(db, { config, freeHeapBytes: 1024 })).rejects.toThrow(
      /needs about \d+ MiB of memory for 6 movies and 8 ratings, and 1 MiB are free; run it with NODE_OPTIONS=--max-old-space-size=\d+/
    )
  })

  it('refreshes the lists of what an import touched when asked to, and says so', async () => {
    const fixture = fileURLToPath(new URL('../fixtures/movielens', import.meta.url))
    const rejects = await mkdtemp(join(tmpdir(), 'cinegraph-rejects-'))
    const run = await cinegraph(
      ['import', 'movielens', fixture, '--rejects', rejects, '--refresh-similar'],
      neo4j.env
    ).done
    await rm(rejects, { recursive: true, force: true })
    expect(run.stderr).not.toMatch(/error/)
    // 2: the fixture's bad rows were refused; everything else was imported, then refreshed.
    expect(run.code).toBe(2)
    expect(run.stdout).toMatch(/similarity refreshed: \d+ of \d+ movies/)
    const [row] = await db.readRows<{ without: number; with: number }>(
      `MATCH (m:Movie) WHERE m.movielens_id IS NOT NULL
       RETURN count(CASE WHEN m.similar_ids IS NULL THEN 1 END) AS without,
              count(CASE WHEN m.similar_ids IS NOT NULL THEN 1 END) AS with`
    )
    expect(row?.without).toBe(0)
    expect(row?.with).toBeGreaterThan(0)
  })

  it('rejects options it cannot honour', async () => {
    await expect(rebuildSimilarity(db, { topK: 0 })).rejects.toThrow(RangeError)
    await expect(rebuildSimilarity(db, { batchSize: 10_001 })).rejects.toThrow(RangeError)
    await expect(rebuildSimilarity(db, { since: 'yesterday' })).rejects.toThrow(/ISO date-time or 'last'/)
    await expect(rebuildSimilarity(db, { since: 'last', movieIds: ['a'] })).rejects.toThrow(/either/)
  })
})
