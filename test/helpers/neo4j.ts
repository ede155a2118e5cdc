import { randomUUID } from 'node:crypto'
import { inject } from 'vitest'
import { Database } from '../../src/db/database.js'

export interface TestNeo4j {
  uri: string
  user: string
  password: string
  database: string
  source: string
}

export function testNeo4j(): TestNeo4j {
  return inject('neo4j')
}

export function testDatabase(): Database {
  const n = testNeo4j()
  return new Database({ ...n, txTimeoutMs: 30_000, connectionTimeoutMs: 10_000 })
}

/** A unique id per test, so tests share one server without seeing each other's rows. */
export function uid(prefix = 't'): string {
  return `${prefix}-${randomUUID()}`
}
