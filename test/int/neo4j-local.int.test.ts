// Drives a real Neo4j from the local runner end to end. Slow: the first run downloads the jars with
// Maven, and every run starts a JVM.
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { randomBytes } from 'node:crypto'
import { mkdtemp, mkdir, rm, stat, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import type { Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import neo4j from 'neo4j-driver'
import {
  findProjectRoot,
  GDS_VERSION,
  NEO4J_VERSION,
  pickFreePorts,
  startEphemeralNeo4j,
  startLocalNeo4j,
  statusLocalNeo4j,
  stopLocalNeo4j
} from '../../src/neo4j-local/index.js'
import type { EphemeralNeo4jHandle, LocalNeo4jOptions } from '../../src/neo4j-local/index.js'
import { isAlive, pidFilePath } from '../../src/neo4j-local/pid.js'

const START_TIMEOUT_MS = 300_000

async function query<T>(uri: string, password: string, cypher: string): Promise<T> {
  const driver = neo4j.driver(uri, neo4j.auth.basic('neo4j', password), { connectionTimeout: 10_000 })
  try {
    const { records } = await driver.executeQuery(cypher)
    return records[0]?.get(0) as T
  } finally {
    await driver.close()
  }
}

function portOf(uri: string): number {
  return Number(new URL(uri).port)
}

describe('a local Neo4j server', () => {
  let server: EphemeralNeo4jHandle

  beforeAll(async () => {
    // A leading '-' is what a random base64url password starts with one time in 64; the admin tool must
    // take it as the password, not as an option.
    server = await startEphemeralNeo4j({
      startTimeoutMs: START_TIMEOUT_MS,
      password: `-${randomBytes(12).toString('base64url')}`
    })
  }, START_TIMEOUT_MS + 60_000)

  afterAll(async () => {
    await server?.stop()
  }, 90_000)

  it('rejects a wrong password', async () => {
    await expect(query(server.boltUri, `${server.password}-wrong`, 'RETURN 1')).rejects.toMatchObject({
      code: 'Neo.ClientError.Security.Unauthorized'
    })
  })

  it('answers Bolt with the right password', async () => {
    expect(await query<number>(server.boltUri, server.password, 'RETURN 1')).toEqual(neo4j.int(1))
  })

  it('runs APOC of the same release', async () => {
    expect(await query<string>(server.boltUri, server.password, 'RETURN apoc.version()')).toBe(NEO4J_VERSION)
  })

  it('runs Graph Data Science, with its procedures out of the sandbox', async () => {
    expect(await query<string>(server.boltUri, server.password, 'RETURN gds.version()')).toBe(GDS_VERSION)
    // The sandbox withholds gds.list (and gds.util.asNode) unless gds.* is unrestricted.
    const listed = 'CALL gds.list() YIELD name WITH count(name) AS n RETURN n > 0'
    expect(await query<boolean>(server.boltUri, server.password, listed)).toBe(true)
  })

  it('serves Neo4j Browser', async () => {
    const response = await fetch(server.browserUri)
    expect(response.status).toBe(200)
    expect(server.browserUri).toBe(`${server.httpUri}/browser/`)
  })

  it('reports itself running', async () => {
    expect(await statusLocalNeo4j(server.home)).toEqual({
      running: true,
      pid: server.pid,
      boltUri: server.boltUri,
      httpUri: server.httpUri
    })
  })

  const sameHome = (): LocalNeo4jOptions => ({
    home: server.home,
    boltPort: portOf(server.boltUri),
    httpPort: portOf(server.httpUri),
    password: server.password,
    heap: '1g',
    pageCache: '512m',
    cacheDir: join(findProjectRoot(), '.neo4j', 'cache'),
    projectRoot: findProjectRoot(),
    startTimeoutMs: 30_000
  })

  it('is reused by a second start on the same home, whose stop() leaves it running', async () => {
    const again = await startLocalNeo4j(sameHome())
    expect(again.startedByUs).toBe(false)
    expect(again.pid).toBe(server.pid)
    expect(again.boltUri).toBe(server.boltUri)
    await again.stop()
    expect(isAlive(server.pid)).toBe(true)
  })

  it('explains how to recover when the home was initialised with another password', async () => {
    const attempt = startLocalNeo4j({ ...sameHome(), password: 'not-the-password' })
    await expect(attempt).rejects.toThrow(/initialised with a different one.*remove .*cinegraph-neo4j-/)
  })

  it('stops, and then reports itself not running', async () => {
    const { pid, home } = server
    await server.stop()
    expect(isAlive(pid)).toBe(false)
    expect(await statusLocalNeo4j(home)).toEqual({ running: false })
    await expect(stat(home)).rejects.toMatchObject({ code: 'ENOENT' })
  }, 90_000)
})

describe('the local runner without a server', () => {
  let home: string

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'cinegraph-neo4j-test-'))
  })

  afterAll(async () => {
    await rm(home, { recursive: true, force: true })
  })

  it('treats a pidfile naming a dead process as not running and clears it on stop', async () => {
    await mkdir(join(home, 'run'), { recursive: true })
    // Pid 2**22 + 1 is above Linux's pid_max, so it can never be alive.
    await writeFile(pidFilePath(home), '4194305\n')
    expect(await statusLocalNeo4j(home)).toEqual({ running: false })
    expect(await stopLocalNeo4j(home)).toBe(false)
    await expect(stat(pidFilePath(home))).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('names the port when something else holds it', async () => {
    const [boltPort, httpPort] = (await pickFreePorts(2)) as [number, number]
    const blocker: Server = createServer()
    await new Promise<void>((done) => blocker.listen(boltPort, '127.0.0.1', done))
    try {
      const attempt = startLocalNeo4j({
        home,
        boltPort,
        httpPort,
        password: 'some-password',
        heap: '1g',
        pageCache: '512m',
        cacheDir: join(findProjectRoot(), '.neo4j', 'cache'),
        projectRoot: findProjectRoot()
      })
      await expect(attempt).rejects.toThrow(`Bolt port ${boltPort} is already in use`)
    } finally {
      await new Promise((done) => blocker.close(done))
    }
  })
})
