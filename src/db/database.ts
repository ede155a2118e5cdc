/**
 * The data-access boundary: owns the driver, names the database on every session, runs reads
 * in read transactions and writes in write transactions (both retried by the driver on
 * transient errors), and turns driver errors into domain errors.
 *
 * Causal consistency: inside `withBookmarks(scope, fn)` every session starts after the
 * scope's bookmarks and leaves its own in the scope, so in a cluster a read that follows a write
 * (in the same request, or in a later one that brought the bookmark back) sees that write even
 * when it is routed to another member. Repositories take part without passing anything along.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import neo4j, { Neo4jError } from 'neo4j-driver'
import type { Driver, ManagedTransaction, QueryResult, RecordShape } from 'neo4j-driver'
import { ConflictError, InvalidBookmarkError, TimeoutError, UnavailableError } from '../errors.js'
import { recordToPlain } from './convert.js'

export interface DatabaseOptions {
  uri: string
  user: string
  password: string
  database: string
  /** Server-side bound on every transaction this service opens. */
  txTimeoutMs: number
  connectionTimeoutMs: number
  maxTransactionRetryTimeMs?: number
  maxConnectionPoolSize?: number
}

export type Work<T> = (tx: ManagedTransaction) => Promise<T>

export interface TxOptions {
  /** A tighter server-side timeout for this transaction; never above the service-wide one. */
  timeoutMs?: number
}

/** The bookmarks a unit of work (an HTTP request, say) starts after, and those it ends with. */
export class BookmarkScope {
  /** True once a write transaction in this scope has committed. */
  wrote = false

  constructor(public bookmarks: string[] = []) {}
}

const bookmarkScopes = new AsyncLocalStorage<BookmarkScope>()

/** Runs `fn` with every session it opens, however deep, chained on `scope`. */
export function withBookmarks<T>(scope: BookmarkScope, fn: () => T): T {
  return bookmarkScopes.run(scope, fn)
}

/** The first wait before a retry, as in the driver's managed transactions. */
const RETRY_INITIAL_DELAY_MS = 1_000

const CONSTRAINT_FAILED = 'Neo.ClientError.Schema.ConstraintValidationFailed'
const ENTITY_NOT_FOUND = 'Neo.ClientError.Statement.EntityNotFound'
const INVALID_BOOKMARK_CODES = new Set([
  'Neo.ClientError.Transaction.InvalidBookmark',
  'Neo.ClientError.Transaction.InvalidBookmarkMixture'
])
const UNAVAILABLE_CODES = new Set([neo4j.error.SERVICE_UNAVAILABLE, neo4j.error.SESSION_EXPIRED])
const TIMEOUT_CODES = new Set([
  'Neo.ClientError.Transaction.TransactionTimedOut',
  'Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration'
])

/**
 * The properties a uniqueness refusal names ("Node(7) already exists with label `Genre` and
 * property `name` = 'Drama'"), so callers can tell which key clashed; empty when it names none.
 */
export function constraintFields(message: string): string[] {
  return [...message.matchAll(/`([^`]+)` = /g)].map((match) => match[1] as string)
}

/** Maps a driver error to a domain error; anything unknown is returned as it came. */
export function mapNeo4jError(err: unknown): unknown {
  if (!(err instanceof Neo4jError)) return err
  if (err.code === CONSTRAINT_FAILED) {
    return new ConflictError('The write conflicts with an existing record', {
      neo4j_code: err.code,
      fields: constraintFields(err.message)
    })
  }
  if (err.code === ENTITY_NOT_FOUND) {
    // The queries never address nodes by internal id, so this only happens when a node the
    // transaction matched was deleted by another one before it could write to it.
    return new ConflictError('Another request deleted a record this one was changing; try again', {
      neo4j_code: err.code
    })
  }
  if (INVALID_BOOKMARK_CODES.has(err.code)) {
    return new InvalidBookmarkError('The bookmark does not belong to this database')
  }
  if (TIMEOUT_CODES.has(err.code)) {
    return new TimeoutError('The query took longer than the configured transaction timeout')
  }
  if (UNAVAILABLE_CODES.has(err.code) || err.code.startsWith('Neo.TransientError.')) {
    return new UnavailableError('The database is unavailable; try again shortly')
  }
  if (err.message.startsWith('Connection acquisition timed out')) {
    // Every pooled connection is busy or the server stopped answering: load, not a client fault.
    return new UnavailableError('The database is busy; try again shortly')
  }
  if (err.code.startsWith('Neo.ClientError.Security.')) {
    // A credentials problem is the operator's, never the client's; keep details out of the body.
    return new UnavailableError('The service cannot authenticate to its database')
  }
  return err
}

export class Database {
  readonly driver: Driver
  readonly name: string
  readonly txTimeoutMs: number
  private readonly connectionTimeoutMs: number
  private readonly maxRetryTimeMs: number

  constructor(options: DatabaseOptions) {
    this.name = options.database
    this.txTimeoutMs = options.txTimeoutMs
    this.connectionTimeoutMs = options.connectionTimeoutMs
    // The driver retries "cannot connect" for this long too, so it bounds how long a request
    // waits for a Neo4j that is down: never longer than the connection timeout promises.
    this.maxRetryTimeMs = options.maxTransactionRetryTimeMs ?? Math.min(5_000, options.connectionTimeoutMs)
    this.driver = neo4j.driver(options.uri, neo4j.auth.basic(options.user, options.password), {
      connectionTimeout: options.connectionTimeoutMs,
      connectionAcquisitionTimeout: options.connectionTimeoutMs,
      maxTransactionRetryTime: this.maxRetryTimeMs,
      maxConnectionPoolSize: options.maxConnectionPoolSize ?? 100,
      disableLosslessIntegers: false,
      userAgent: 'cinegraph'
    })
  }

  async verify(): Promise<void> {
    try {
      await this.driver.verifyConnectivity({ database: this.name })
    } catch (err) {
      throw mapNeo4jError(err)
    }
  }

  async read<T>(work: Work<T>, options: TxOptions = {}): Promise<T> {
    const timeout = this.timeout(options)
    return this.withSession(
      'READ',
      (session) => session.executeRead(work, { timeout }),
      this.deadline(timeout)
    )
  }

  async write<T>(work: Work<T>, options: TxOptions = {}): Promise<T> {
    const timeout = this.timeout(options)
    return this.withSession(
      'WRITE',
      (session) => session.executeWrite(work, { timeout }),
      this.deadline(timeout)
    )
  }

  /**
   * One query in a read transaction of its own, records converted to plain objects.
   *
   * It is sent as an auto-commit query: one round trip (RUN and PULL) instead of the three of an
   * explicit transaction (BEGIN, RUN and PULL, COMMIT), which for a read by key is most of what
   * the driver and the server spend on it. One statement is atomic either way; what the driver's
   * managed transactions add besides is the retry of transient failures, done here the same way.
   */
  async readRows<T>(
    query: string,
    params: Record<string, unknown> = {},
    options: TxOptions = {}
  ): Promise<T[]> {
    const timeout = this.timeout(options)
    return this.withSession(
      'READ',
      (session) => this.retried(async () => rows<T>(await session.run(query, params, { timeout }))),
      this.deadline(timeout)
    )
  }

  /** One query in a write transaction, records converted to plain objects. */
  async writeRows<T>(query: string, params: Record<string, unknown> = {}): Promise<T[]> {
    return this.write(async (tx) => rows<T>(await tx.run(query, params)))
  }

  /**
   * A read whose rows are handed to `sink` one at a time as they arrive, for results too big to
   * hold twice (a job loading the whole catalogue). `start` is called before the first row of
   * every attempt and returns the sink, so a transient failure retried by the driver starts over
   * clean. Returns the number of rows of the attempt that succeeded.
   */
  async readStream<T>(
    query: string,
    params: Record<string, unknown>,
    start: () => (row: T) => void,
    options: TxOptions = {}
  ): Promise<number> {
    return this.read(async (tx) => {
      const sink = start()
      let count = 0
      for await (const record of tx.run(query, params)) {
        sink(recordToPlain<T>(record))
        count += 1
      }
      return count
    }, options)
  }

  /**
   * Schema statements (constraints, indexes) cannot share a transaction with data writes,
   * so they run as auto-commit queries.
   */
  async runAutoCommit(query: string, params: Record<string, unknown> = {}): Promise<void> {
    await this.withSession('WRITE', async (session) => {
      await session.run(query, params)
    })
  }

  async close(): Promise<void> {
    await this.driver.close()
  }

  /**
   * Runs `work` again after a failure the driver calls retriable (a transient error, a lost
   * connection), with the backoff of its managed transactions (1 s, doubling, ±20%), for as long
   * as its retry time allows.
   */
  private async retried<T>(work: () => Promise<T>): Promise<T> {
    const started = Date.now()
    for (let delay = RETRY_INITIAL_DELAY_MS; ; delay *= 2) {
      try {
        return await work()
      } catch (err) {
        const wait = delay * (0.8 + Math.random() * 0.4)
        if (!neo4j.isRetryableError(err) || Date.now() - started + wait > this.maxRetryTimeMs) throw err
        await sleep(wait)
      }
    }
  }

  private timeout(options: TxOptions): number {
    return options.timeoutMs === undefined ? this.txTimeoutMs : Math.min(options.timeoutMs, this.txTimeoutMs)
  }

  /**
   * How long a unit of work may take as seen from here. The transaction timeout is enforced by
   * the server, so a server that hangs (a stalled JVM, a network that drops packets without a
   * reset) would never enforce it; this bound is the connection timeout past it.
   */
  private deadline(timeoutMs: number): number {
    return timeoutMs + this.connectionTimeoutMs
  }

  private async withSession<T>(
    mode: 'READ' | 'WRITE',
    fn: (session: ReturnType<Driver['session']>) => Promise<T>,
    deadlineMs?: number
  ): Promise<T> {
    const scope = bookmarkScopes.getStore()
    const session = this.driver.session({
      database: this.name,
      defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE,
      ...(scope && scope.bookmarks.length > 0 ? { bookmarks: scope.bookmarks } : {})
    })
    let timer: NodeJS.Timeout | undefined
    let expired = false
    try {
      const work = fn(session)
      const result =
        deadlineMs === undefined
          ? await work
          : await Promise.race([
              work,
              new Promise<never>((_resolve, reject) => {
                timer = setTimeout(() => {
                  expired = true
                  // The work may still settle once the server wakes; nobody waits for it then.
                  work.catch(() => undefined)
                  reject(
                    new UnavailableError(
                      mode === 'READ'
                        ? 'The database did not answer in time; try again shortly'
                        : 'The database did not answer in time; the write may still be applied'
                    )
                  )
                }, deadlineMs)
              })
            ])
      // Only a write moves the scope on: a read's bookmark can be older than a write running
      // beside it in the same scope, and read-your-writes needs nothing from reads.
      if (scope && mode === 'WRITE') {
        scope.bookmarks = session.lastBookmarks()
        scope.wrote = true
      }
      return result
    } catch (err) {
      throw mapNeo4jError(err)
    } finally {
      clearTimeout(timer)
      // Closing waits for the connection, which a hung server never gives back: let it go.
      if (expired) void session.close().catch(() => undefined)
      else await session.close()
    }
  }
}

export function rows<T>(result: QueryResult<RecordShape>): T[] {
  return result.records.map((r) => recordToPlain<T>(r))
}
