/**
 * The embedded default: when no NEO4J_URI is configured, the service runs its own Neo4j from
 * Maven Central artifacts under .neo4j/. Its password is the configured one or, failing that,
 * one generated on first start and kept beside the data (mode 0600), never a fixed default. The
 * same goes for the API write key when API_KEYS is empty, so a local start can write at once.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import type { Config } from '../config.js'
import type { LocalNeo4jOptions } from './options.js'
import { MAX_RESTART_DELAY_MS } from './supervisor.js'
import type { RestartPolicy } from './supervisor.js'
import { PROJECT_ROOT } from '../project-root.js'

export const CACHE_DIR = join(PROJECT_ROOT, '.neo4j', 'cache')

export function localHome(config: Config): string {
  return resolve(PROJECT_ROOT, config.NEO4J_LOCAL_HOME)
}

/** The secret kept in `file` (mode 0600), made from `bytes` random bytes the first time. */
async function localSecret(file: string, bytes: number): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim()
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  await mkdir(dirname(file), { recursive: true })
  const secret = randomBytes(bytes).toString('base64url')
  await writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' })
  return secret
}

export async function localPassword(config: Config): Promise<string> {
  if (config.NEO4J_PASSWORD) return config.NEO4J_PASSWORD
  return localSecret(join(localHome(config), 'cinegraph-password'), 18)
}

export function localApiKeyFile(config: Config): string {
  return join(localHome(config), 'cinegraph-api-key')
}

/** The embedded default's write key: generated on first start, kept beside the data. */
export async function localApiKey(config: Config): Promise<string> {
  return localSecret(localApiKeyFile(config), 32)
}

export async function localOptions(config: Config, log?: (line: string) => void): Promise<LocalNeo4jOptions> {
  return {
    home: localHome(config),
    boltPort: config.NEO4J_BOLT_PORT,
    httpPort: config.NEO4J_HTTP_PORT,
    password: await localPassword(config),
    heap: config.NEO4J_HEAP,
    pageCache: config.NEO4J_PAGECACHE,
    cacheDir: CACHE_DIR,
    projectRoot: PROJECT_ROOT,
    ...(log ? { log } : {})
  }
}

export function restartPolicy(config: Config): RestartPolicy {
  return {
    attempts: config.NEO4J_RESTART_ATTEMPTS,
    firstDelayMs: config.NEO4J_RESTART_DELAY_MS,
    maxDelayMs: MAX_RESTART_DELAY_MS,
    stableMs: config.NEO4J_RESTART_STABLE_MS
  }
}
