import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { testNeo4j } from './neo4j.js'

/** The real app against the run's Neo4j; close it in afterAll. */
export async function buildTestApp(env: Record<string, string> = {}): Promise<FastifyInstance> {
  const n = testNeo4j()
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    NEO4J_URI: n.uri,
    NEO4J_USER: n.user,
    NEO4J_PASSWORD: n.password,
    NEO4J_DATABASE: n.database,
    ...env
  })
  return buildApp({ config })
}
