/**
 * Database.readRows sends one query auto-commit, which the driver does not retry, so it retries
 * what the driver's managed transactions would. The driver's session is replaced by a stub: what
 * is tested is the retry, not Neo4j.
 */
import { Neo4jError } from 'neo4j-driver'
import type { Session } from 'neo4j-driver'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { Database } from '../../src/db/database.js'
import { UnavailableError } from '../../src/errors.js'

function database(maxTransactionRetryTimeMs = 3_000): Database {
  return new Database({
    uri: 'bolt://127.0.0.1:1',
    user: 'neo4j',
    password: 'unused-password',
    database: 'neo4j',
    txTimeoutMs: 10_000,
    connectionTimeoutMs: 10_000,
    maxTransactionRetryTimeMs
  })
}

/** A session whose run answers with each outcome in turn (an error is thrown). */
function stubSessions(db: Database, outcomes: unknown[]): { run: ReturnType<typeof vi.fn> } {
  const run = vi.fn(async () => {
    const next = outcomes.shift()
    if (next instanceof Error) throw next
    return { records: [], summary: {} }
  })
  vi.spyOn(db.driver, 'session').mockImplementation(
    () => ({ run, close: async () => undefined, lastBookmarks: () => [] }) as unknown as Session
  )
  return { run }
}

describe('Database.readRows', () => {
  const opened: Database[] = []
  afterEach(async () => {
    vi.restoreAllMocks()
    for (const db of opened.splice(0)) await db.close()
  })

  it('runs the query again after a failure the driver calls retryable, after a backoff', async () => {
    const db = database()
    opened.push(db)
    const { run } = stubSessions(db, [new Neo4jError('gone', 'ServiceUnavailable', '', '')])
    const started = Date.now()
    expect(await db.readRows('RETURN 1')).toEqual([])
    expect(run).toHaveBeenCalledTimes(2)
    expect(Date.now() - started).toBeGreaterThanOrEqual(700)
  })

  it('gives up when the retry time is spent, and maps the error', async () => {
    const db = database(2_000)
    opened.push(db)
    const transient = () => new Neo4jError('busy', 'Neo.TransientError.General.DatabaseUnavailable', '', '')
    const { run } = stubSessions(db, [transient(), transient(), transient(), transient()])
    await expect(db.readRows('RETURN 1')).rejects.toBeInstanceOf(UnavailableError)
    // About 1 s, then about 2 s (±20%): the second wait would pass the 2 s of retry time.
    expect(run).toHaveBeenCalledTimes(2)
  })

  it('does not retry an error of the query itself', async () => {
    const db = database()
    opened.push(db)
    const { run } = stubSessions(db, [new Neo4jError('bad', 'Neo.ClientError.Statement.SyntaxError', '', '')])
    await expect(db.readRows('RETURN')).rejects.toBeInstanceOf(Neo4jError)
    expect(run).toHaveBeenCalledTimes(1)
  })
})
