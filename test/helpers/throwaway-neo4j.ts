/**
 * A Neo4j of a test's own, for tests that stop and restart it. Free ports are only free when
 * they are picked: another process on the machine can take one before Neo4j binds it (the start
 * then fails, or finds a stranger's server that rejects the password), so a start is retried on
 * fresh ports and a fresh data directory.
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  findProjectRoot,
  pickFreePorts,
  startLocalNeo4j,
  stopLocalNeo4j
} from '../../src/neo4j-local/index.js'
import type { LocalNeo4jOptions } from '../../src/neo4j-local/index.js'
import { Database } from '../../src/db/database.js'

export interface ThrowawayNeo4j {
  options: LocalNeo4jOptions
  boltUri: string
  /** The settings that point an app (`buildTestApp`) at this server instead of the shared one. */
  env: Record<'NEO4J_URI' | 'NEO4J_USER' | 'NEO4J_PASSWORD' | 'NEO4J_DATABASE', string>
  /** Stops the server and deletes its data directory. */
  remove: () => Promise<void>
}

export async function startThrowawayNeo4j(name: string, attempts = 3): Promise<ThrowawayNeo4j> {
  const projectRoot = findProjectRoot()
  let lastError: unknown
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const [boltPort, httpPort] = (await pickFreePorts(2)) as [number, number]
    const options: LocalNeo4jOptions = {
      home: await mkdtemp(join(tmpdir(), `cinegraph-${name}-`)),
      boltPort,
      httpPort,
      password: randomBytes(12).toString('base64url'),
      heap: '512m',
      pageCache: '128m',
      cacheDir: join(projectRoot, '.neo4j', 'cache'),
      projectRoot
    }
    const remove = async (): Promise<void> => {
      await stopLocalNeo4j(options.home)
      await rm(options.home, { recursive: true, force: true })
    }
    try {
      const handle = await startLocalNeo4j(options)
      const env = {
        NEO4J_URI: handle.boltUri,
        NEO4J_USER: 'neo4j',
        NEO4J_PASSWORD: options.password,
        NEO4J_DATABASE: 'neo4j'
      }
      return { options, boltUri: handle.boltUri, env, remove }
    } catch (err) {
      lastError = err
      await remove().catch(() => undefined)
    }
  }
  throw lastError
}

/** A data-access handle on a throwaway server, for tests that work below the HTTP layer. */
export function throwawayDatabase(neo4j: ThrowawayNeo4j): Database {
  return new Database({
    uri: neo4j.env.NEO4J_URI,
    user: neo4j.env.NEO4J_USER,
    password: neo4j.env.NEO4J_PASSWORD,
    database: neo4j.env.NEO4J_DATABASE,
    txTimeoutMs: 60_000,
    connectionTimeoutMs: 10_000
  })
}
