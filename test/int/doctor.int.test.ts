/**
 * `cinegraph doctor` against a Neo4j of its own: the repairs delete and rewrite whatever breaks an
 * invariant anywhere in the graph (and the schema checks drop an index and forget a migration), so
 * they must not run on the server the other test files share.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { int } from '../../src/db/convert.js'
import type { Database } from '../../src/db/database.js'
import { loadMigrations, migrate } from '../../src/db/migrate.js'
import { recomputeAggregates } from '../../src/data/movies/aggregates.js'
import type { DoctorReport } from '../../src/doctor/doctor.js'
import { pickFreePorts } from '../../src/neo4j-local/index.js'
import { cinegraph } from '../helpers/cli.js'
import { uid } from '../helpers/neo4j.js'
import { startThrowawayNeo4j, throwawayDatabase } from '../helpers/throwaway-neo4j.js'
import type { ThrowawayNeo4j } from '../helpers/throwaway-neo4j.js'
import { waitFor } from '../helpers/wait-for.js'

let neo4j: ThrowawayNeo4j
let db: Database

async function doctor(args: string[], env: Record<string, string> = {}) {
  const run = await cinegraph(['doctor', ...args], { ...neo4j.env, ...env }).done
  return {
    ...run,
    report: args.includes('--json') && run.stdout ? (JSON.parse(run.stdout) as DoctorReport) : undefined
  }
}

function check(report: DoctorReport | undefined, name: string) {
  const found = report?.checks.find((c) => c.name === name)
  if (!found) throw new Error(`no ${name} in ${JSON.stringify(report)}`)
  return found
}

const values = (examples: Array<Record<string, unknown>>, key: string): unknown[] =>
  examples.map((e) => e[key]).sort()

beforeAll(async () => {
  neo4j = await startThrowawayNeo4j('doctor')
  db = throwawayDatabase(neo4j)
  await migrate(db)
})

afterAll(async () => {
  await db?.close()
  await neo4j?.remove()
})

describe('cinegraph doctor', () => {
  const id = (name: string) => uid(`doctor-${name}`)
  const movie = {
    gone: id('gone'),
    keep: id('keep'),
    drift: id('drift'),
    stale: id('stale'),
    list: id('list'),
    deadList: id('dead-list'),
    a: id('a'),
    b: id('b')
  }
  const user = { one: id('u1'), two: id('u2'), gone: id('u-gone') }
  const rating = {
    goneByOne: id('r-gone-1'),
    goneByTwo: id('r-gone-2'),
    keepByGone: id('r-keep-gone'),
    keepByOne: id('r-keep-1')
  }
  const review = { gone: id('v-gone'), drift: id('v-drift') }
  const lock = { expired: id('lock-expired'), live: id('lock-live') }
  let lastMigration = ''

  it('holds on a consistent graph: exit 0', async () => {
    // Movies with ratings, reviews and a similar list, aggregates computed by the importers' query.
    await db.writeRows(
      `UNWIND $movies AS id CREATE (:Movie {movie_id: id, title: id, rating_count: 0, rating_sum: 0.0,
                                           review_count: 0, sentiment_sum: 0.0})`,
      { movies: Object.values(movie) }
    )
    await db.writeRows(
      `UNWIND $ratings AS x
       MATCH (m:Movie {movie_id: x.movie})
       MERGE (u:User {user_id: x.user})
       CREATE (u)-[:GAVE]->(:Rating {rating_id: x.id, score: x.score, source: 'api',
                                     rated_at: datetime(), updated_at: datetime()})-[:RATES]->(m)`,
      {
        ratings: [
          { id: rating.goneByOne, movie: movie.gone, user: user.one, score: 8.0 },
          { id: rating.goneByTwo, movie: movie.gone, user: user.two, score: 6.0 },
          { id: rating.keepByGone, movie: movie.keep, user: user.gone, score: 2.0 },
          { id: rating.keepByOne, movie: movie.keep, user: user.one, score: 9.0 },
          { id: id('r-drift'), movie: movie.drift, user: user.two, score: 7.5 },
          { id: id('r-stale'), movie: movie.stale, user: user.one, score: 4.0 }
        ]
      }
    )
    await db.writeRows(
      `UNWIND $reviews AS x
       MATCH (m:Movie {movie_id: x.movie})
       CREATE (:Review {review_id: x.id, source: 'api', content: 'x', sentiment_score: x.sentiment})-[:REVIEWS]->(m)`,
      {
        reviews: [
          { id: review.gone, movie: movie.gone, sentiment: 0.5 },
          { id: review.drift, movie: movie.drift, sentiment: -0.25 }
        ]
      }
    )
    await db.writeRows(recomputeAggregates(), { movie_ids: Object.values(movie) })
    const entry = (score: number) => [score, 0, 0.5, score, 0, null, 3, null, null]
    await db.writeRows(
      `MATCH (m:Movie {movie_id: $list}), (d:Movie {movie_id: $dead_list})
       SET m.similar_ids = [$a, $gone, $b], m.similar_scores = [0.9, 0.8, 0.7], m.similar = $json,
           m.similar_fans = 3, m.similar_at = datetime()
       SET d.similar_ids = [$gone], d.similar_scores = [0.5], d.similar = $dead_json,
           d.similar_fans = 1, d.similar_at = datetime()`,
      {
        list: movie.list,
        dead_list: movie.deadList,
        a: movie.a,
        b: movie.b,
        gone: movie.gone,
        json: JSON.stringify([entry(0.9), entry(0.8), entry(0.7)]),
        dead_json: JSON.stringify([entry(0.5)])
      }
    )
    await db.writeRows(
      `CREATE (:JobLock {name: $live, owner: 'a-live-run', acquired_at: datetime(),
                         expires_at: datetime() + duration('PT1H')})`,
      { live: lock.live }
    )

    const run = await doctor(['--json'])
    expect(run.code, run.stderr).toBe(0)
    expect(run.report?.ok).toBe(true)
    expect(run.report?.checks.map((c) => [c.name, c.count])).toEqual([
      ['migrations', 0],
      ['indexes', 0],
      ['orphan-ratings', 0],
      ['orphan-reviews', 0],
      ['aggregates', 0],
      ['stale-flags', 0],
      ['expired-locks', 0],
      ['similar-lists', 0]
    ])
  })

  it('finds each planted break, names it, and exits 1', async () => {
    // What a hand edit in Browser and a killed job leave behind.
    await db.writeRows('MATCH (m:Movie {movie_id: $id}) DETACH DELETE m', { id: movie.gone })
    await db.writeRows('MATCH (u:User {user_id: $id}) DETACH DELETE u', { id: user.gone })
    await db.writeRows(
      'MATCH (m:Movie {movie_id: $id}) SET m.rating_count = 99, m.rating_mean = 1.0, m.sentiment_sum = 5.0',
      { id: movie.drift }
    )
    // A movie without reviews that claims one: found by the pass over movies without edges.
    await db.writeRows('MATCH (m:Movie {movie_id: $id}) SET m.review_count = 1, m.sentiment_mean = 0.3', {
      id: movie.a
    })
    await db.writeRows(
      `MATCH (m:Movie {movie_id: $id})
       SET m.ratings_stale = true, m.rating_count = 0, m.rating_sum = 0.0, m.rating_mean = null`,
      { id: movie.stale }
    )
    await db.writeRows(
      `CREATE (:JobLock {name: $name, owner: 'a-killed-run', acquired_at: datetime() - duration('P1D'),
                         expires_at: datetime() - duration('PT1H')})`,
      { name: lock.expired }
    )
    const files = await loadMigrations()
    lastMigration = files[files.length - 1]?.file ?? ''
    await db.writeRows('MATCH (m:SchemaMigration {version: $v}) DELETE m', {
      v: int(files[files.length - 1]?.version ?? 0)
    })
    await db.runAutoCommit('DROP INDEX movie_year')

    const run = await doctor(['--json', '--examples', '20'])
    expect(run.code, run.stderr).toBe(1)
    const report = run.report
    expect(report?.ok).toBe(false)

    expect(check(report, 'migrations')).toMatchObject({
      count: 1,
      examples: [{ file: lastMigration, problem: 'not applied' }]
    })
    expect(check(report, 'indexes')).toMatchObject({
      count: 1,
      examples: [{ name: 'movie_year', problem: 'missing', kind: 'index' }]
    })
    const orphanRatings = check(report, 'orphan-ratings')
    expect(orphanRatings.count).toBe(3)
    expect(values(orphanRatings.examples, 'rating_id')).toEqual(
      [rating.goneByOne, rating.goneByTwo, rating.keepByGone].sort()
    )
    expect(orphanRatings.examples.find((e) => e.rating_id === rating.keepByGone)).toMatchObject({
      movie_id: movie.keep,
      user_id: null
    })
    const orphanReviews = check(report, 'orphan-reviews')
    expect(orphanReviews.count).toBe(1)
    expect(orphanReviews.examples).toEqual([expect.objectContaining({ review_id: review.gone })])
    // The stale movie's aggregates are off too, but the flag already says so: counted once.
    const aggregates = check(report, 'aggregates')
    expect(aggregates.count).toBe(2)
    expect(values(aggregates.examples, 'movie_id')).toEqual([movie.a, movie.drift].sort())
    expect(aggregates.examples.find((e) => e.movie_id === movie.a)).toMatchObject({
      stored: { review_count: 1, sentiment_mean: 0.3 },
      actual: { review_count: 0, rating_count: 0 }
    })
    expect(aggregates.examples.find((e) => e.movie_id === movie.drift)).toMatchObject({
      movie_id: movie.drift,
      stored: { rating_count: 99, sentiment_sum: 5 },
      actual: { rating_count: 1, rating_sum: 7.5, review_count: 1, sentiment_sum: -0.25 }
    })
    expect(check(report, 'stale-flags')).toMatchObject({
      count: 1,
      examples: [{ movie_id: movie.stale, flags: ['ratings_stale'] }]
    })
    expect(check(report, 'expired-locks')).toMatchObject({
      count: 1,
      examples: [{ name: lock.expired, owner: 'a-killed-run' }]
    })
    const lists = check(report, 'similar-lists')
    expect(lists.count).toBe(2)
    expect(values(lists.examples, 'movie_id')).toEqual([movie.list, movie.deadList].sort())
    expect(
      lists.examples.every((e) => JSON.stringify(e.deleted_movies) === JSON.stringify([movie.gone]))
    ).toBe(true)

    // The same in lines for people: the check, the count and the planted ids.
    const human = await doctor([])
    expect(human.code).toBe(1)
    expect(human.stdout).toMatch(/FOUND\s+orphan-ratings\s+3 ratings without their movie or user/)
    expect(human.stdout).toContain(rating.keepByGone)
    expect(human.stdout).toMatch(/found: .*orphan-ratings \(3\)/)
  })

  it('--repair repairs every break, says what it did, and a second run finds the graph clean', async () => {
    const run = await doctor(['--repair', '--json', '--batch-size', '2'])
    expect(run.code, run.stdout + run.stderr).toBe(0)
    const report = run.report
    expect(report?.ok).toBe(true)
    for (const c of report?.checks ?? []) {
      if (c.count > 0) expect(c.repair?.left.count, `${c.name}: ${JSON.stringify(c.repair)}`).toBe(0)
    }
    expect(check(report, 'migrations').repair?.summary).toBe(`applied ${lastMigration}`)
    expect(check(report, 'indexes').repair?.summary).toBe('created movie_year')
    expect(check(report, 'orphan-ratings').repair).toMatchObject({ changed: 3, summary: 'deleted 3 ratings' })
    expect(check(report, 'orphan-reviews').repair).toMatchObject({ changed: 1 })
    // The rating deleted with its user had rated `keep`: that movie drifted too, and was recomputed.
    expect(check(report, 'aggregates').count).toBe(3)
    expect(check(report, 'stale-flags').count).toBe(4)
    expect(check(report, 'expired-locks').repair).toMatchObject({ changed: 1 })

    const [index] = await db.readRows<{ state: string }>(
      "SHOW INDEXES YIELD name, state WHERE name = 'movie_year' RETURN state"
    )
    expect(index?.state).toBe('ONLINE')
    const [migrated] = await db.readRows<{ n: number }>(
      'MATCH (m:SchemaMigration) WHERE m.version = $v RETURN count(m) AS n',
      { v: int(Number(lastMigration.slice(0, 4))) }
    )
    expect(migrated?.n).toBe(1)
    const [left] = await db.readRows<{ ratings: number; reviews: number; locks: string[] }>(
      `RETURN COUNT { MATCH (r:Rating) WHERE r.rating_id IN $ratings } AS ratings,
              COUNT { MATCH (v:Review {review_id: $review}) } AS reviews,
              COLLECT { MATCH (l:JobLock) WHERE l.name IN $locks RETURN l.name } AS locks`,
      {
        ratings: [rating.goneByOne, rating.goneByTwo, rating.keepByGone, rating.keepByOne],
        review: review.gone,
        locks: [lock.expired, lock.live]
      }
    )
    expect(left).toEqual({ ratings: 1, reviews: 0, locks: [lock.live] })

    const movies = await db.readRows<Record<string, unknown>>(
      `UNWIND $ids AS id MATCH (m:Movie {movie_id: id})
       RETURN m { .movie_id, .rating_count, .rating_sum, .rating_mean, .review_count, .sentiment_sum,
                  .sentiment_mean, .ratings_stale, .reviews_stale, .similar_ids, .similar_scores, .similar,
                  .similar_fans } AS m`,
      { ids: [movie.keep, movie.drift, movie.stale, movie.list, movie.deadList, movie.a] }
    )
    const byId = new Map(
      movies.map((r) => [(r.m as { movie_id: string }).movie_id, r.m as Record<string, unknown>])
    )
    expect(byId.get(movie.keep)).toMatchObject({
      rating_count: 1,
      rating_sum: 9,
      rating_mean: 9,
      ratings_stale: null
    })
    expect(byId.get(movie.drift)).toMatchObject({
      rating_count: 1,
      rating_mean: 7.5,
      review_count: 1,
      sentiment_sum: -0.25,
      sentiment_mean: -0.25
    })
    expect(byId.get(movie.stale)).toMatchObject({
      rating_count: 1,
      rating_sum: 4,
      rating_mean: 4,
      ratings_stale: null
    })
    expect(byId.get(movie.a)).toMatchObject({ review_count: 0, sentiment_sum: 0, sentiment_mean: null })
    // The deleted movie's entry left all three arrays, which stay entry for entry.
    const list = byId.get(movie.list)
    expect(list).toMatchObject({
      similar_ids: [movie.a, movie.b],
      similar_scores: [0.9, 0.7],
      similar_fans: 3
    })
    expect((JSON.parse(list?.similar as string) as number[][]).map((e) => e[0])).toEqual([0.9, 0.7])
    // A list left empty is removed, so the movie is answered on the fly until the next rebuild.
    expect(byId.get(movie.deadList)).toMatchObject({ similar_ids: null, similar_scores: null, similar: null })

    const again = await doctor([])
    expect(again.code, again.stdout + again.stderr).toBe(0)
    expect(again.stdout.trim().split('\n').at(-1)).toBe('all 8 checks hold')
    // Nothing to do is nothing done: a repair on a clean graph changes nothing and exits 0.
    const idle = await doctor(['--repair', '--json'])
    expect(idle.code).toBe(0)
    expect(idle.report?.checks.every((c) => c.count === 0 && c.repair === undefined)).toBe(true)
  })

  it('an interrupted --repair is finished by the next run', async () => {
    const prefix = id('bulk')
    const planted = 30_000
    await db.writeRows(
      `UNWIND range(1, $n) AS i CREATE (:Rating {rating_id: $prefix + '-' + toString(i), score: 5.0})`,
      { n: int(planted), prefix }
    )
    const remaining = async () => {
      const [row] = await db.readRows<{ n: number }>(
        'MATCH (r:Rating) WHERE r.rating_id STARTS WITH $prefix RETURN count(r) AS n',
        { prefix }
      )
      return row?.n ?? 0
    }
    const first = cinegraph(
      ['doctor', '--repair', '--checks', 'orphan-ratings', '--batch-size', '5'],
      neo4j.env
    )
    let exited = false
    void first.done.then(() => (exited = true))
    await waitFor(
      'the repair to delete some of the orphans',
      async () => {
        if (exited)
          throw new Error(`the repair finished before it could be killed:\n${(await first.done).stdout}`)
        return (await remaining()) < planted
      },
      { timeoutMs: 60_000, intervalMs: 50 }
    )
    first.kill()
    expect((await first.done).signal).toBe('SIGKILL')
    const left = await remaining()
    expect(left).toBeGreaterThan(0)
    expect(left).toBeLessThan(planted)

    const second = await doctor(['--repair', '--json', '--checks', 'orphan-ratings'])
    expect(second.code, second.stderr).toBe(0)
    expect(check(second.report, 'orphan-ratings')).toMatchObject({
      count: left,
      repair: { changed: left, left: { count: 0 } }
    })
    expect(await remaining()).toBe(0)
  })

  it('exits 2 with one line when Neo4j cannot be reached', async () => {
    const [port] = await pickFreePorts(1)
    const run = await doctor([], { NEO4J_URI: `bolt://127.0.0.1:${port}` })
    expect(run.code).toBe(2)
    expect(run.stdout).toBe('')
    const lines = run.stderr.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^error: cannot reach Neo4j: /)
  })

  it('exits 2 when the arguments do not let it run', async () => {
    const run = await doctor(['--checks', 'no-such-check'])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('must name checks among migrations, indexes')
  })
})
