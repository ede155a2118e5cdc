/**
 * The invariants `cinegraph doctor` checks, in the order it checks and repairs them: the schema
 * first (the repairs lean on its indexes), then what refers to what, then what is computed from
 * it. Order matters for repairs: deleting an orphan rating that still rated a movie leaves that
 * movie's aggregates off, the aggregates repair marks drifting movies stale, and the stale-flags
 * repair recomputes every movie so marked.
 */
import neo4j from 'neo4j-driver'
import { int } from '../db/convert.js'
import type { Plain } from '../db/convert.js'
import { mapNeo4jError, rows } from '../db/database.js'
import type { Database } from '../db/database.js'
import { listApplied, loadMigrations, migrate, MigrationError } from '../db/migrate.js'
import type { AppliedMigration, MigrationFile } from '../db/migrate.js'
import { AGGREGATE_KINDS } from '../data/movies/aggregates.js'
import {
  AGGREGATES_COUNT,
  AGGREGATES_EXAMPLES,
  AGGREGATES_FLAG,
  AWAIT_INDEXES,
  EXPIRED_LOCKS_COUNT,
  EXPIRED_LOCKS_DELETE,
  EXPIRED_LOCKS_EXAMPLES,
  ORPHAN_RATINGS_COUNT,
  ORPHAN_RATINGS_DELETE,
  ORPHAN_RATINGS_EXAMPLES,
  ORPHAN_REVIEWS_COUNT,
  ORPHAN_REVIEWS_DELETE,
  ORPHAN_REVIEWS_EXAMPLES,
  SHOW_CONSTRAINTS,
  SHOW_INDEXES,
  SIMILAR_LISTS_COUNT,
  SIMILAR_LISTS_EXAMPLES,
  SIMILAR_LISTS_PAGE,
  SIMILAR_LISTS_WRITE,
  STALE_FLAGS_COUNT,
  STALE_FLAGS_EXAMPLES,
  recomputeStale,
  staleMoviesPage
} from './queries.js'
import { NOT_ONLINE_ADVICE, declaredSchema, schemaProblems } from './schema.js'
import type { IndexRow } from './schema.js'
import { repairList } from './similar-lists.js'
import type { StoredList } from './similar-lists.js'

export const CHECK_NAMES = [
  'migrations',
  'indexes',
  'orphan-ratings',
  'orphan-reviews',
  'aggregates',
  'stale-flags',
  'expired-locks',
  'similar-lists'
] as const

export type CheckName = (typeof CHECK_NAMES)[number]

export type Example = { [key: string]: Plain }

export interface CheckContext {
  db: Database
  /** Examples to name per check. */
  limit: number
  /** Rows (or movies) per repair transaction. */
  batchSize: number
  migrationsDir?: string
  /** How long a repair waits for indexes it created to come online. */
  awaitIndexSeconds: number
}

export interface Finding {
  count: number
  examples: Example[]
  /** Why some of what was found cannot be repaired here, when that is so. */
  unrepairable?: string
}

export interface Repair {
  /** What was changed: rows deleted, lists mended, migrations applied. */
  changed: number
  summary: string
}

export interface Check {
  name: CheckName
  /** What one counted item is, in the plural: "ratings without their movie or user". */
  description: string
  inspect(ctx: CheckContext): Promise<Finding>
  repair?(ctx: CheckContext): Promise<Repair>
}

/** A check that is two named queries: a count, and examples as maps under `example`. */
async function countAndExamples(ctx: CheckContext, count: string, examples: string): Promise<Finding> {
  const [row] = await ctx.db.readRows<{ count: number }>(count)
  const n = row?.count ?? 0
  if (n === 0 || ctx.limit === 0) return { count: n, examples: [] }
  const found = await ctx.db.readRows<{ example: Example }>(examples, { limit: int(ctx.limit) })
  return { count: n, examples: found.map((r) => r.example) }
}

/**
 * A `CALL { } IN TRANSACTIONS` statement, which commits batch by batch and so must run outside
 * an explicit transaction: an auto-commit query in a session of its own.
 */
async function inTransactions(ctx: CheckContext, query: string): Promise<number> {
  const session = ctx.db.driver.session({ database: ctx.db.name, defaultAccessMode: neo4j.session.WRITE })
  try {
    const [row] = rows<{ done: number }>(await session.run(query, { batch: int(ctx.batchSize) }))
    return row?.done ?? 0
  } catch (err) {
    throw mapNeo4jError(err)
  } finally {
    await session.close()
  }
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`

// ---------------------------------------------------------------------------------------------

interface MigrationState {
  files: MigrationFile[]
  applied: AppliedMigration[]
  pending: MigrationFile[]
  edited: MigrationFile[]
  missingFiles: AppliedMigration[]
}

async function migrationState(ctx: CheckContext): Promise<MigrationState> {
  const files = await loadMigrations(ctx.migrationsDir)
  const applied = await listApplied(ctx.db)
  const byVersion = new Map(applied.map((a) => [a.version, a]))
  return {
    files,
    applied,
    pending: files.filter((f) => !byVersion.has(f.version)),
    edited: files.filter(
      (f) => byVersion.has(f.version) && byVersion.get(f.version)?.checksum !== f.checksum
    ),
    missingFiles: applied.filter((a) => !files.some((f) => f.version === a.version))
  }
}

const migrations: Check = {
  name: 'migrations',
  description: 'migrations in cypher/migrations not applied as they are',
  async inspect(ctx) {
    const s = await migrationState(ctx)
    const examples: Example[] = [
      ...s.pending.map((f) => ({ file: f.file, problem: 'not applied' })),
      ...s.edited.map((f) => ({ file: f.file, problem: 'edited after it was applied' })),
      ...s.missingFiles.map((a) => ({
        file: `${String(a.version).padStart(4, '0')}-${a.name}.cypher`,
        problem: 'applied, but its file is missing (the graph is newer than this code?)'
      }))
    ]
    return {
      count: examples.length,
      examples: examples.slice(0, ctx.limit),
      ...(s.edited.length + s.missingFiles.length > 0
        ? {
            unrepairable:
              'a migration edited after it was applied, or applied from a file this code does not have, ' +
              'is not repaired here: restore the file (put changes in a new migration) or run the newer code'
          }
        : {})
    }
  },
  // The same code that runs at every service start and import: each statement is idempotent,
  // and migrate() refuses to run on edited or unknown files, which the inspection reports.
  async repair(ctx) {
    const s = await migrationState(ctx)
    if (s.pending.length === 0 || s.edited.length + s.missingFiles.length > 0) {
      return { changed: 0, summary: 'no migration applied' }
    }
    try {
      const result = await migrate(ctx.db, ctx.migrationsDir === undefined ? {} : { dir: ctx.migrationsDir })
      return { changed: result.applied.length, summary: `applied ${result.applied.join(', ')}` }
    } catch (err) {
      if (err instanceof MigrationError) return { changed: 0, summary: `migrating failed: ${err.message}` }
      throw err
    }
  }
}

async function schemaState(ctx: CheckContext) {
  const s = await migrationState(ctx)
  // Schema a pending or edited migration would create is the migrations check's to report.
  const applied = new Map(s.applied.map((a) => [a.version, a.checksum]))
  const declared = declaredSchema(s.files.filter((f) => applied.get(f.version) === f.checksum))
  const indexes = await ctx.db.readRows<IndexRow>(SHOW_INDEXES)
  const constraints = (await ctx.db.readRows<{ name: string }>(SHOW_CONSTRAINTS)).map((c) => c.name)
  return { declared, problems: schemaProblems(declared, indexes, constraints) }
}

const indexes: Check = {
  name: 'indexes',
  description: 'constraints or indexes missing or not ONLINE',
  async inspect(ctx) {
    const { problems } = await schemaState(ctx)
    return {
      count: problems.length,
      examples: problems.slice(0, ctx.limit) as unknown as Example[],
      ...(problems.some((p) => p.problem === 'not_online') ? { unrepairable: NOT_ONLINE_ADVICE } : {})
    }
  },
  async repair(ctx) {
    const { declared, problems } = await schemaState(ctx)
    const missing = problems.filter((p) => p.problem === 'missing')
    const created: string[] = []
    const failed: string[] = []
    for (const problem of missing) {
      const statement = declared.find((d) => d.name === problem.name)?.statement
      if (!statement) continue
      try {
        await ctx.db.runAutoCommit(statement.text)
        created.push(problem.name)
      } catch (err) {
        // A uniqueness constraint refused by duplicates already in the graph, say: reported, not fatal.
        failed.push(`${problem.name} (${err instanceof Error ? err.message : String(err)})`)
      }
    }
    if (created.length > 0) {
      // The inspection after the repair says what is still populating; waiting is only a courtesy.
      await ctx.db
        .runAutoCommit(AWAIT_INDEXES, { seconds: int(ctx.awaitIndexSeconds) })
        .catch(() => undefined)
    }
    const parts = [created.length > 0 ? `created ${created.join(', ')}` : 'created none']
    if (failed.length > 0) parts.push(`could not create ${failed.join('; ')}`)
    return { changed: created.length, summary: parts.join('; ') }
  }
}

const orphanRatings: Check = {
  name: 'orphan-ratings',
  description: 'ratings without their movie or user',
  inspect: (ctx) => countAndExamples(ctx, ORPHAN_RATINGS_COUNT, ORPHAN_RATINGS_EXAMPLES),
  async repair(ctx) {
    const n = await inTransactions(ctx, ORPHAN_RATINGS_DELETE)
    return { changed: n, summary: `deleted ${plural(n, 'rating')}` }
  }
}

const orphanReviews: Check = {
  name: 'orphan-reviews',
  description: 'reviews without their movie',
  inspect: (ctx) => countAndExamples(ctx, ORPHAN_REVIEWS_COUNT, ORPHAN_REVIEWS_EXAMPLES),
  async repair(ctx) {
    const n = await inTransactions(ctx, ORPHAN_REVIEWS_DELETE)
    return { changed: n, summary: `deleted ${plural(n, 'review')}` }
  }
}

const aggregates: Check = {
  name: 'aggregates',
  description: 'movies whose rating or review aggregates differ from their ratings and reviews',
  inspect: (ctx) => countAndExamples(ctx, AGGREGATES_COUNT, AGGREGATES_EXAMPLES),
  async repair(ctx) {
    const n = await inTransactions(ctx, AGGREGATES_FLAG)
    return {
      changed: n,
      summary: `marked ${plural(n, 'movie')} for recomputing (stale-flags recomputes them)`
    }
  }
}

const staleFlags: Check = {
  name: 'stale-flags',
  description: 'movies flagged ratings_stale or reviews_stale (an import that did not finish)',
  inspect: (ctx) => countAndExamples(ctx, STALE_FLAGS_COUNT, STALE_FLAGS_EXAMPLES),
  async repair(ctx) {
    let done = 0
    for (const kind of AGGREGATE_KINDS) {
      let after = ''
      for (;;) {
        const page = await ctx.db.readRows<{ movie_id: string }>(staleMoviesPage(kind), {
          after,
          limit: int(ctx.batchSize)
        })
        if (page.length === 0) break
        const ids = page.map((r) => r.movie_id)
        await ctx.db.writeRows(recomputeStale(kind), { movie_ids: ids })
        done += ids.length
        after = ids[ids.length - 1] as string
        if (page.length < ctx.batchSize) break
      }
    }
    return { changed: done, summary: `recomputed ${plural(done, 'aggregate set')} from the nodes` }
  }
}

const expiredLocks: Check = {
  name: 'expired-locks',
  description: 'job locks past their expiry (a job that died holding one)',
  inspect: (ctx) => countAndExamples(ctx, EXPIRED_LOCKS_COUNT, EXPIRED_LOCKS_EXAMPLES),
  async repair(ctx) {
    const [row] = await ctx.db.writeRows<{ done: number }>(EXPIRED_LOCKS_DELETE)
    const n = row?.done ?? 0
    return { changed: n, summary: `deleted ${plural(n, 'expired lock')}` }
  }
}

const similarLists: Check = {
  name: 'similar-lists',
  description: 'stored similar lists naming deleted movies',
  inspect: (ctx) => countAndExamples(ctx, SIMILAR_LISTS_COUNT, SIMILAR_LISTS_EXAMPLES),
  async repair(ctx) {
    let mended = 0
    let dropped = 0
    let after = ''
    for (;;) {
      const page = await ctx.db.write(async (tx) => {
        const found = rows<StoredList>(await tx.run(SIMILAR_LISTS_PAGE, { after, limit: int(ctx.batchSize) }))
        if (found.length === 0) return { size: 0, last: after, dropped: 0 }
        const lists = found.map(repairList)
        await tx.run(SIMILAR_LISTS_WRITE, { lists })
        return {
          size: found.length,
          last: found[found.length - 1]?.movie_id ?? after,
          dropped: lists.filter((l) => l.ids === null).length
        }
      })
      mended += page.size - page.dropped
      dropped += page.dropped
      after = page.last
      if (page.size < ctx.batchSize) break
    }
    return {
      changed: mended + dropped,
      summary:
        `took deleted movies out of ${plural(mended, 'list')}` +
        (dropped > 0
          ? `; removed ${plural(dropped, 'list')} left empty or out of step (rebuilt by the next rebuild)`
          : '')
    }
  }
}

export const CHECKS: readonly Check[] = [
  migrations,
  indexes,
  orphanRatings,
  orphanReviews,
  aggregates,
  staleFlags,
  expiredLocks,
  similarLists
]
