import { resolve } from 'node:path'

export interface LocalNeo4jOptions {
  /** Directory the instance lives in (conf, data, logs, plugins, run); created when missing. */
  home: string
  boltPort: number
  httpPort: number
  /** Password of the `neo4j` user; only applied when the home is initialised. */
  password: string
  /** JVM heap, Neo4j memory syntax such as `1g` or `512m`. */
  heap: string
  pageCache: string
  /** Where the Maven-resolved jars are kept, shared by all homes. */
  cacheDir: string
  /** Directory holding `neo4j-local/{server,apoc,gds}/pom.xml`. */
  projectRoot: string
  log?: (line: string) => void
  startTimeoutMs?: number
}

export const NEO4J_USER = 'neo4j'
export const DEFAULT_START_TIMEOUT_MS = 120_000
// Neo4j refuses shorter initial passwords (dbms.security.auth_minimum_password_length).
export const MIN_PASSWORD_LENGTH = 8
export const MEMORY_PATTERN = /^\d+[kmg]$/

function checkPort(name: string, port: unknown): void {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error(`${name} port must be an integer between 1 and 65535, got ${String(port)}`)
  }
}

function checkMemory(name: string, value: unknown): void {
  if (typeof value !== 'string' || !MEMORY_PATTERN.test(value) || /^0+[kmg]$/.test(value)) {
    throw new Error(
      `${name} must be a positive size such as 512m or 2g (digits then k, m or g), got '${String(value)}'`
    )
  }
}

function checkPath(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new Error(`${name} must be a non-empty path`)
  return resolve(value)
}

/** Rejects options Neo4j would refuse later with a less helpful message; returns them with absolute paths. */
export function validateOptions(opts: LocalNeo4jOptions): LocalNeo4jOptions {
  checkPort('Bolt', opts.boltPort)
  checkPort('HTTP', opts.httpPort)
  if (opts.boltPort === opts.httpPort) {
    throw new Error(`Bolt and HTTP need different ports, both are ${opts.boltPort}`)
  }
  if (typeof opts.password !== 'string' || opts.password.length < MIN_PASSWORD_LENGTH) {
    throw new Error(`The Neo4j password must be at least ${MIN_PASSWORD_LENGTH} characters long`)
  }
  checkMemory('Heap size', opts.heap)
  checkMemory('Page cache size', opts.pageCache)
  if (opts.startTimeoutMs !== undefined && !(opts.startTimeoutMs > 0)) {
    throw new Error(`startTimeoutMs must be positive, got ${opts.startTimeoutMs}`)
  }
  return {
    ...opts,
    home: checkPath('home', opts.home),
    cacheDir: checkPath('cacheDir', opts.cacheDir),
    projectRoot: checkPath('projectRoot', opts.projectRoot)
  }
}
