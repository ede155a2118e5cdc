/**
 * /ready must tell the truth through a Neo4j outage, and the service must recover by itself.
 * This file runs its own local Neo4j so that stopping it does not disturb the other tests.
 */
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrate } from '../../src/db/migrate.js'
import { startLocalNeo4j, stopLocalNeo4j } from '../../src/neo4j-local/index.js'
import { buildTestApp, untilReady } from '../helpers/app.js'
import { startThrowawayNeo4j } from '../helpers/throwaway-neo4j.js'
import type { ThrowawayNeo4j } from '../helpers/throwaway-neo4j.js'

describe('readiness through a Neo4j outage', () => {
  let app: FastifyInstance
  let neo4j: ThrowawayNeo4j

  beforeAll(async () => {
    neo4j = await startThrowawayNeo4j('outage')
    app = await buildTestApp({ ...neo4j.env, NEO4J_CONNECTION_TIMEOUT_MS: '2000' })
    await migrate(app.db)
  })

  afterAll(async () => {
    await app?.close()
    await neo4j?.remove()
  })

  it(
    'is ready, then 503 while Neo4j is down, then ready again without a restart',
    { timeout: 180_000 },
    async () => {
      expect((await app.inject('/ready')).statusCode).toBe(200)

      await stopLocalNeo4j(neo4j.options.home)
      const down = await app.inject('/ready')
      expect(down.statusCode).toBe(503)
      expect(down.headers['retry-after']).toBe('5')
      expect(down.json()).toEqual({
        error: {
          code: 'NOT_READY',
          message: 'Neo4j does not answer',
          details: { neo4j: 'down', reason: 'The database is unavailable; try again shortly' }
        }
      })
      expect((await app.inject('/health')).statusCode).toBe(200)

      await startLocalNeo4j(neo4j.options)
      await untilReady(app, 'after Neo4j restarted', 30_000)
    }
  )
})
