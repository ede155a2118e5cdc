/**
 * Load and concurrency: a mixed workload of reads and writes at rising concurrency until
 * throughput stops growing, then a count in Neo4j of every write the API acknowledged.
 *
 * Writes are new ratings (PUT, by users that exist only in this run, so every one creates a
 * rating) and new reviews (POST, with a review_id chosen here), on movies drawn like the reads:
 * popular movies get most of them, so concurrent writers meet on the same movie nodes, whose
 * rating and review aggregates every write updates.
 */
import { randomBytes } from 'node:crypto'
import { ratingId } from '../../src/data/ratings/repository.js'
import type { Database } from '../../src/db/database.js'
import { createRandom } from '../../src/generate/random.js'
import type { Random } from '../../src/generate/random.js'
import { BENCH_RATE_LIMIT_MAX, startBenchApp } from '../lib/bench-app.js'
import type { BenchApp } from '../lib/bench-app.js'
import { bound, loadNote, withCpu } from '../lib/cpu.js'
import type { CpuShare } from '../lib/cpu.js'
import { ensureDataset } from '../lib/dataset.js'
import { GRAPH_SIZES, MoviePool, searchText } from '../lib/graph.js'
import { describeMachine } from '../lib/machine.js'
import { ms, percent, rate } from '../lib/format.js'
import { fmt, table } from '../lib/stats.js'
import { runWorkload } from '../lib/workload.js'
import type { Call, WorkloadResult } from '../lib/workload.js'
import type { BenchContext, Scale, Suite } from './types.js'

const CONCURRENCY = [1, 2, 4, 8, 16, 32, 64]
const SECONDS: Record<Scale, { warm: number; step: number }> = {
  small: { warm: 2, step: 4 },
  full: { warm: 10, step: 15 }
}
/** A step counts as growth when it adds this much throughput to the best step before it. */
const GROWTH = 1.1
/** The knee: the lowest concurrency reaching this share of the highest throughput measured. */
const KNEE_SHARE = 0.9
const RATING_USERS = 500

const MIX = [
  { kind: 'GET /movies/:id', weight: 40 },
  { kind: 'GET /movies/:id/similar', weight: 20 },
  { kind: 'GET /search/movies', weight: 20 },
  { kind: 'PUT /movies/:id/ratings/:user', weight: 10 },
  { kind: 'POST /movies/:id/reviews', weight: 10 }
] as const
type Kind = (typeof MIX)[number]['kind']
const WRITES: readonly Kind[] = ['PUT /movies/:id/ratings/:user', 'POST /movies/:id/reviews']

const REVIEW_TEXTS = [
  'Loved every minute of it, the cast is wonderful.',
  'Slow start, but the last act is worth the wait.',
  'Not for me: too long and the plot goes nowhere.',
  'A solid, well made film. Would watch again.',
  'Terrible dialogue and a lazy ending.',
  'Beautifully shot, with a score that stays with you.'
]

interface RatingWrite {
  user_id: string
  movie_id: string
  score: number
}

interface ReviewWrite {
  review_id: string
  movie_id: string
}

/** Every write sent and which of them the API acknowledged with a 2xx, and how /similar answered. */
class RunLog {
  readonly ratings: Array<RatingWrite & { status?: number }> = []
  readonly reviews: Array<ReviewWrite & { status?: number }> = []
  readonly touched = new Set<string>()
  readonly similarModes: Record<string, number> = {}

  acknowledged<T extends { status?: number }>(writes: T[]): T[] {
    return writes.filter((w) => w.status !== undefined && w.status >= 200 && w.status < 300)
  }

  unacknowledged<T extends { status?: number }>(writes: T[]): T[] {
    return writes.filter((w) => w.status === undefined || w.status < 200 || w.status >= 300)
  }
}

function workload(app: BenchApp, pool: MoviePool, random: Random, log: RunLog): () => Call {
  const run = randomBytes(4).toString('hex')
  const weights = MIX.map((m) => m.weight)
  const total = weights.reduce((a, b) => a + b, 0)
  const rated = new Set<string>()
  let reviews = 0
  const pickKind = (): Kind => {
    let target = random.next() * total
    for (const m of MIX) {
      target -= m.weight
      if (target < 0) return m.kind
    }
    return MIX[0].kind
  }
  return () => {
    const kind = pickKind()
    const movie = pool.draw(random)
    const id = encodeURIComponent(movie.movie_id)
    switch (kind) {
      case 'GET /movies/:id':
        return { kind, path: `/movies/${id}` }
      case 'GET /movies/:id/similar':
        return {
          kind,
          path: `/movies/${id}/similar`,
          onAnswer: (status, body) => {
            if (status !== 200) return
            const mode = /"mode":"(\w+)"/.exec(body)?.[1] ?? 'unknown'
            log.similarModes[mode] = (log.similarModes[mode] ?? 0) + 1
          }
        }
      case 'GET /search/movies':
        return { kind, path: `/search/movies?q=${encodeURIComponent(searchText(movie.title, random))}` }
      case 'PUT /movies/:id/ratings/:user': {
        // One rating per user and movie in a run, so each acknowledged write has one expected value.
        let user = ''
        for (let tries = 0; tries < 20; tries++) {
          user = `bench-${run}-u${random.int(RATING_USERS)}`
          if (!rated.has(`${user}\u0000${movie.movie_id}`)) break
        }
        const key = `${user}\u0000${movie.movie_id}`
        if (rated.has(key)) return { kind: 'GET /movies/:id', path: `/movies/${id}` }
        rated.add(key)
        const write: RatingWrite & { status?: number } = {
          user_id: user,
          movie_id: movie.movie_id,
          score: random.int(21) / 2
        }
        log.ratings.push(write)
        log.touched.add(movie.movie_id)
        return {
          kind,
          method: 'PUT',
          path: `/movies/${id}/ratings/${encodeURIComponent(user)}`,
          headers: app.writeHeaders,
          body: { score: write.score },
          onAnswer: (status) => {
            write.status = status
          }
        }
      }
      case 'POST /movies/:id/reviews': {
        reviews += 1
        const write: ReviewWrite & { status?: number } = {
          review_id: `bench-${run}-r${reviews}`,
          movie_id: movie.movie_id
        }
        log.reviews.push(write)
        log.touched.add(movie.movie_id)
        return {
          kind,
          method: 'POST',
          path: `/movies/${id}/reviews`,
          headers: app.writeHeaders,
          body: {
            review_id: write.review_id,
            source: 'user',
            author_id: `bench-${run}-u${random.int(RATING_USERS)}`,
            content: random.pick(REVIEW_TEXTS),
            language: 'en'
          },
          onAnswer: (status) => {
            write.status = status
          }
        }
      }
    }
  }
}

interface Step {
  connections: number
  result: WorkloadResult
  cpu: CpuShare
  writesPerSecond: number
}

function knee(steps: readonly Step[]): Step | undefined {
  const best = Math.max(...steps.map((s) => s.result.rps))
  return steps.find((s) => s.result.rps >= KNEE_SHARE * best)
}

const signed = (value: number): string => `${value >= 0 ? '+' : ''}${fmt(value, 0)}`

/** Milliseconds of CPU per answered request, from the average cores kept busy. */
function perRequest(cores: number, step: Step): number {
  return step.result.answered > 0 ? (cores * step.result.seconds * 1000) / step.result.answered : Number.NaN
}

function stepErrors(step: Step): number {
  return step.result.failed + step.result.errors
}

interface Found {
  ratings: number
  ratingsExact: number
  reviews: number
}

async function countWrites(db: Database, ratings: RatingWrite[], reviews: ReviewWrite[]): Promise<Found> {
  const found: Found = { ratings: 0, ratingsExact: 0, reviews: 0 }
  const chunk = 5000
  for (let i = 0; i < ratings.length; i += chunk) {
    const rows = ratings
      .slice(i, i + chunk)
      .map((r) => ({ ...r, rating_id: ratingId(r.user_id, r.movie_id) }))
    const [row] = await db.readRows<{ found: number; exact: number }>(
      `UNWIND $rows AS row
       OPTIONAL MATCH (:User {user_id: row.user_id})-[:GAVE]->(r:Rating {rating_id: row.rating_id})-[:RATES]->(:Movie {movie_id: row.movie_id})
       RETURN count(r) AS found, count(CASE WHEN r.score = row.score THEN 1 END) AS exact`,
      { rows }
    )
    found.ratings += row?.found ?? 0
    found.ratingsExact += row?.exact ?? 0
  }
  for (let i = 0; i < reviews.length; i += chunk) {
    const [row] = await db.readRows<{ found: number }>(
      `UNWIND $rows AS row
       OPTIONAL MATCH (r:Review {review_id: row.review_id})-[:REVIEWS]->(:Movie {movie_id: row.movie_id})
       RETURN count(r) AS found`,
      { rows: reviews.slice(i, i + chunk) }
    )
    found.reviews += row?.found ?? 0
  }
  return found
}

interface Aggregates {
  movies: number
  /** Movies whose rating_count differs from their RATES edges. */
  ratingCountOff: number
  reviewCountOff: number
  ratings: number
  reviews: number
}

/** Each movie's stored aggregates against its edges, counted. */
async function checkAggregates(db: Database, movieIds: string[]): Promise<Aggregates> {
  const [row] = await db.readRows<Aggregates>(
    `UNWIND $ids AS id
     MATCH (m:Movie {movie_id: id})
     WITH m, COUNT { (m)<-[:RATES]-() } AS ratings, COUNT { (m)<-[:REVIEWS]-() } AS reviews
     RETURN count(m) AS movies,
            count(CASE WHEN coalesce(m.rating_count, 0) <> ratings THEN 1 END) AS ratingCountOff,
            count(CASE WHEN coalesce(m.review_count, 0) <> reviews THEN 1 END) AS reviewCountOff,
            sum(ratings) AS ratings, sum(reviews) AS reviews`,
    { ids: movieIds }
  )
  return row ?? { movies: 0, ratingCountOff: 0, reviewCountOff: 0, ratings: 0, reviews: 0 }
}

export const loadSuite: Suite = {
  title: 'Load and concurrency (mixed reads and writes)',
  async run(ctx: BenchContext) {
    const sizes = GRAPH_SIZES[ctx.scale]
    const seconds = SECONDS[ctx.scale]
    const dataset = await ensureDataset(ctx, sizes)
    const pool = await MoviePool.load(ctx.db, dataset.movieIds)
    const poolIds = pool.movies.map((m) => m.movie_id)
    const before = await checkAggregates(ctx.db, poolIds)
    const random = createRandom(`bench-load-${ctx.scale}`)
    const writes = new RunLog()
    const loadAtStart = loadNote()
    const app = await startBenchApp(ctx)
    const next = workload(app, pool, random, writes)
    const settle = async (): Promise<void> => {
      const running = await app.idle()
      if (running > 0) ctx.log(`load: ${running} requests still running on the server`)
    }

    const steps: Step[] = []
    let stalled = 0
    try {
      ctx.log(`load: warm-up at 8 connections for ${seconds.warm} s`)
      await runWorkload({ url: app.url, connections: 8, seconds: seconds.warm, next })
      await settle()
      for (const connections of CONCURRENCY) {
        ctx.log(`load: ${connections} connections`)
        const { result, cpu } = await withCpu(ctx.db, () =>
          runWorkload({ url: app.url, connections, seconds: seconds.step, next })
        )
        await settle()
        const written = WRITES.reduce((sum, kind) => sum + (result.byKind.get(kind)?.latency.count ?? 0), 0)
        const best = Math.max(0, ...steps.map((s) => s.result.rps))
        steps.push({ connections, result, cpu, writesPerSecond: written / result.seconds })
        stalled = result.rps >= GROWTH * best ? 0 : stalled + 1
        // Two steps in a row without growth: the plateau is clear, more connections only queue.
        if (stalled >= 2) break
      }
    } finally {
      await app.close()
    }

    ctx.log('load: counting acknowledged writes in Neo4j')
    const ackRatings = writes.acknowledged(writes.ratings)
    const ackReviews = writes.acknowledged(writes.reviews)
    const found = await countWrites(ctx.db, ackRatings, ackReviews)
    const lostRatings = writes.unacknowledged(writes.ratings)
    const lostReviews = writes.unacknowledged(writes.reviews)
    const landed = await countWrites(ctx.db, lostRatings, lostReviews)
    const after = await checkAggregates(ctx.db, poolIds)

    const kneeStep = knee(steps)
    const machine = describeMachine()
    const plateau = stalled >= 2
    const lost = ackRatings.length - found.ratings + (ackReviews.length - found.reviews)
    const stepRows = steps.map((s) => {
      const errors = stepErrors(s)
      return [
        `${s.connections}${s === kneeStep ? ' (knee)' : ''}`,
        fmt(s.result.answered, 0),
        rate(s.result.rps),
        rate(s.writesPerSecond),
        ms(s.result.latency.p50),
        ms(s.result.latency.p99),
        ms(s.result.latency.max),
        `${s.result.failed} / ${s.result.errors}`,
        percent(errors, s.result.answered + s.result.errors, 2),
        `${fmt(s.cpu.node, 2)} / ${fmt(s.cpu.neo4j, 2)} / ${fmt(s.cpu.other, 2)}`
      ]
    })
    const kindRows = kneeStep
      ? [...kneeStep.result.byKind].map(([kind, k]) => [
          kind,
          fmt(k.latency.count, 0),
          percent(k.latency.count, kneeStep.result.answered),
          ms(k.latency.p50),
          ms(k.latency.p99),
          String(k.failed),
          Object.entries(k.statuses)
            .map(([status, count]) => `${status}: ${fmt(count, 0)}`)
            .join(', ')
        ])
      : []
    const kneeErrors = kneeStep ? stepErrors(kneeStep) : 0
    const totalErrors = steps.reduce((sum, s) => sum + stepErrors(s), 0)
    const fastest = steps.reduce((a, b) => (b.result.rps > a.result.rps ? b : a))
    const last = steps[steps.length - 1] as Step

    return [
      `Graph: the generated dataset of ${fmt(sizes.movies, 0)} movies, ${fmt(sizes.users, 0)} users and ` +
        `${fmt(sizes.ratings, 0)} ratings (scale ${ctx.scale}). \`/similar\` answered ` +
        (Object.entries(writes.similarModes)
          .map(([mode, count]) => `${fmt(count, 0)} times ${mode}`)
          .join(' and ') || 'never') +
        ' (precomputed where the API suite left computed edges, on the fly otherwise).',
      '',
      `Workload: ${MIX.map((m) => `${m.weight}% ${m.kind}`).join(', ')}; movies drawn as in the API suite ` +
        '(half by rating count, half uniformly), searches typed from their titles. Ratings are new ratings by ' +
        `${RATING_USERS} users that exist only in this run (one rating per user and movie), reviews carry a ` +
        'review_id chosen here; both send the write API key. The app runs in this process with request logs ' +
        `off and the rate limit raised to ${fmt(BENCH_RATE_LIMIT_MAX, 0)} requests per window, so the limiter ` +
        `never answers 429 here. Concurrency rises ${CONCURRENCY.join(', ')} (autocannon connections), ` +
        `${seconds.step} s a step after ${seconds.warm} s of warm-up, the server drained between steps, and stops ` +
        `after two steps in a row that add less than ${fmt((GROWTH - 1) * 100, 0)}% throughput.`,
      '',
      table(
        [
          'connections',
          'requests',
          'req/s',
          'writes/s',
          'p50 ms',
          'p99 ms',
          'max ms',
          'wrong status / socket errors',
          'error rate',
          'CPU cores: Node / Neo4j / other'
        ],
        stepRows
      ),
      '',
      kneeStep
        ? `**Knee: ${kneeStep.connections} connections**, the lowest concurrency reaching ` +
          `${fmt(KNEE_SHARE * 100, 0)}% of the highest throughput measured (${rate(fastest.result.rps)} req/s at ` +
          `${fastest.connections}): ${rate(kneeStep.result.rps)} req/s, p50 ${ms(kneeStep.result.latency.p50)} ms, ` +
          `p99 ${ms(kneeStep.result.latency.p99)} ms, ${kneeErrors} errors. ` +
          (plateau
            ? `From there to ${last.connections} connections throughput ` +
              `moved ${signed((last.result.rps / kneeStep.result.rps - 1) * 100)}% while p50 went from ` +
              `${ms(kneeStep.result.latency.p50)} to ${ms(last.result.latency.p50)} ms: more connections only queue. `
            : `Throughput was still growing at ${last.connections} connections, so the plateau was not reached. `) +
          `Bound at the knee: ${bound(kneeStep.cpu)}; a request of the mix cost ` +
          `${ms(perRequest(kneeStep.cpu.neo4j, kneeStep))} ms of Neo4j CPU and ` +
          `${ms(perRequest(kneeStep.cpu.node, kneeStep))} ms in this process (app and load generator).`
        : 'No step completed.',
      '',
      '### Requests at the knee, by kind',
      '',
      table(['request', 'answers', 'share', 'p50 ms', 'p99 ms', 'wrong status', 'statuses'], kindRows),
      '',
      '### Writes',
      '',
      table(
        ['', 'ratings (PUT)', 'reviews (POST)'],
        [
          ['sent', fmt(writes.ratings.length, 0), fmt(writes.reviews.length, 0)],
          ['acknowledged with 2xx', fmt(ackRatings.length, 0), fmt(ackReviews.length, 0)],
          [
            'acknowledged and found in Neo4j afterwards',
            `${fmt(found.ratings, 0)} (${fmt(found.ratingsExact, 0)} with the acknowledged score)`,
            fmt(found.reviews, 0)
          ],
          [
            'not acknowledged (error status, or no answer before the step ended)',
            `${fmt(lostRatings.length, 0)} (${fmt(landed.ratings, 0)} committed anyway)`,
            `${fmt(lostReviews.length, 0)} (${fmt(landed.reviews, 0)} committed anyway)`
          ]
        ]
      ),
      '',
      `- Target "zero errors and no lost writes at the knee": **${kneeErrors === 0 && lost === 0 ? 'met' : 'not met'}** ` +
        `(${kneeErrors} errors at the knee, ${totalErrors} over all steps; ${lost} acknowledged writes missing).`,
      `- Movie aggregates against their edges on the ${fmt(after.movies, 0)} pool movies (${fmt(writes.touched.size, 0)} ` +
        `of them written to): rating_count off on ${before.ratingCountOff} before and ${after.ratingCountOff} after, ` +
        `review_count off on ${before.reviewCountOff} before and ${after.reviewCountOff} after. Their ratings rose by ` +
        `${fmt(after.ratings - before.ratings, 0)} and their reviews by ${fmt(after.reviews - before.reviews, 0)}, ` +
        `against ${fmt(found.ratings + landed.ratings, 0)} and ${fmt(found.reviews + landed.reviews, 0)} writes found.`,
      `- Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, shared by Neo4j, this Node process ` +
        '(the app, its driver and autocannon) and whatever else runs there; the CPU column is average cores busy per ' +
        'step: this process, the Neo4j JVM (process CPU time over JMX) and the rest of the machine. Load average ' +
        `${loadAtStart} when the steps began and ${loadNote()} at the end.`
    ].join('\n')
  }
}
