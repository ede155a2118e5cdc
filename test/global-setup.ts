/**
 * Starts one Neo4j for the whole integration run and migrates it: NEO4J_URI when set, else a
 * testcontainers Neo4j when a Docker engine answers, else the local runner from Maven Central.
 * Tests isolate their data by unique ids, so they share the server.
 */
import { existsSync } from 'node:fs'
import type { TestProject } from 'vitest/node'
import { Database } from '../src/db/database.js'
import { migrate } from '../src/db/migrate.js'
import { NEO4J_VERSION } from '../src/neo4j-local/version.js'
import type { TestNeo4j } from './helpers/neo4j.js'

declare module 'vitest' {
  export interface ProvidedContext {
    neo4j: TestNeo4j
  }
}

export const TESTCONTAINERS_IMAGE = `neo4j:${NEO4J_VERSION}-community`

function dockerConfigured(): boolean {
  return Boolean(process.env.DOCKER_HOST) || existsSync('/var/run/docker.sock')
}

async function startWithTestcontainers(): Promise<
  { neo4j: TestNeo4j; stop: () => Promise<void> } | undefined
> {
  if (!dockerConfigured()) return undefined
  const { getContainerRuntimeClient } = await import('testcontainers')
  try {
    await getContainerRuntimeClient()
  } catch {
    return undefined
  }
  const { Neo4jContainer, Neo4jPlugin } = await import('@testcontainers/neo4j')
  const password = `test-${Math.random().toString(36).slice(2, 12)}`
  // The plugin list also makes the container set dbms.security.procedures.unrestricted to apoc.*,gds.*.
  const container = await new Neo4jContainer(TESTCONTAINERS_IMAGE)
    .withPlugins([Neo4jPlugin.APOC, Neo4jPlugin.GRAPH_DATA_SCIENCE])
    .withPassword(password)
    .start()
  return {
    neo4j: {
      uri: container.getBoltUri(),
      user: 'neo4j',
      password,
      database: 'neo4j',
      source: 'testcontainers'
    },
    stop: async () => {
      await container.stop()
    }
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let neo4j: TestNeo4j
  let stop = async (): Promise<void> => {}
  if (process.env.NEO4J_URI) {
    neo4j = {
      uri: process.env.NEO4J_URI,
      user: process.env.NEO4J_USER ?? 'neo4j',
      password: process.env.NEO4J_PASSWORD ?? '',
      database: process.env.NEO4J_DATABASE ?? 'neo4j',
      source: 'NEO4J_URI'
    }
  } else {
    const container = await startWithTestcontainers()
    if (container) {
      ;({ neo4j, stop } = container)
    } else {
      const { startEphemeralNeo4j } = await import('../src/neo4j-local/index.js')
      const handle = await startEphemeralNeo4j({ log: (line) => console.log(`[neo4j] ${line}`) })
      neo4j = {
        uri: handle.boltUri,
        user: 'neo4j',
        password: handle.password,
        database: 'neo4j',
        source: 'local runner'
      }
      stop = () => handle.stop()
    }
  }
  console.log(`integration tests use Neo4j at ${neo4j.uri} (${neo4j.source})`)
  const db = new Database({ ...neo4j, txTimeoutMs: 60_000, connectionTimeoutMs: 10_000 })
  try {
    await migrate(db)
  } finally {
    await db.close()
  }
  project.provide('neo4j', neo4j)
  return stop
}
