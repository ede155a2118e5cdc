/**
 * /ready must tell the truth through a Neo4j outage, and the service must recover by itself.
 * This file runs its own local Neo4j so that stopping it does not disturb the other tests.
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { migrate } from '../../src/db/migrate.js'
import {
  findProjectRoot,
  pickFreePorts,
  startLocalNeo4j,
  stopLocalNeo4j
} from '../../src/neo4j-local/index.js'
import type { LocalNeo4jOptions } from '../../src/neo4j-local/index.js'

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check()) return true
    await new Promise((r) => setTimeout(r, 250))
  }
  return false
}

describe('readiness through a Neo4j outage', () => {
  let app: FastifyInstance
  let options: LocalNeo4jOptions

  beforeAll(async () => {
    const projectRoot = findProjectRoot()
    const [boltPort, httpPort] = (await pickFreePorts(2)) as [number, number]
    options = {
      home: await mkdtemp(join(tmpdir(), 'cinegraph-outage-')),
      boltPort,
      httpPort,
      password: randomBytes(12).toString('base64url'),
      heap: '512m',
      pageCache: '128m',
      cacheDir: join(projectRoot, '.neo4j', 'cache'),
      projectRoot
    }
    const neo4j = await startLocalNeo4j(options)
    app = await buildApp({
      config: loadConfig({
        LOG_LEVEL: 'silent',
        NEO4J_URI: neo4j.boltUri,
        NEO4J_PASSWORD: options.password,
        NEO4J_CONNECTION_TIMEOUT_MS: '2000'
      })
    })
    await migrate(app.db)
  })

  afterAll(async () => {
    await app?.close()
    await stopLocalNeo4j(options.home)
    await rm(options.home, { recursive: true, force: true })
  })

  it(
    'is ready, then 503 while Neo4j is down, then ready again without a restart',
    { timeout: 180_000 },
    async () => {
      expect((await app.inject('/ready')).statusCode).toBe(200)

      await stopLocalNeo4j(options.home)
      const down = await app.inject('/ready')
      expect(down.statusCode).toBe(503)
      expect(down.headers['retry-after']).toBe('5')
      expect(down.json()).toEqual({
        error: { code: 'NOT_READY', message: 'Neo4j does not answer', details: { neo4j: 'down' } }
      })
      expect((await app.inject('/health')).statusCode).toBe(200)

      await startLocalNeo4j(options)
      const back = await waitFor(async () => (await app.inject('/ready')).statusCode === 200, 30_000)
      expect(back).toBe(true)
    }
  )
})
