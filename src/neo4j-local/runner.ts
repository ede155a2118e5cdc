// Runs a real Neo4j Community server as a detached JVM, so `cinegraph db start` can return while the
// database keeps running, and tests get the same server the service talks to in production.
import { spawn, execFile } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { closeSync, existsSync, openSync, rmSync } from 'node:fs'
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import neo4j from 'neo4j-driver'
import { confPath, parseConfPorts, renderConf } from './conf.js'
import { ensureArtifacts } from './maven.js'
import type { Artifacts } from './maven.js'
import { DEFAULT_START_TIMEOUT_MS, NEO4J_USER, validateOptions } from './options.js'
import type { LocalNeo4jOptions } from './options.js'
import { isAlive, isServerOf, readPidFile, removePidFile, writePidFile } from './pid.js'
import { NEO4J_VERSION } from './version.js'

export interface LocalNeo4jHandle {
  boltUri: string
  httpUri: string
  browserUri: string
  pid: number
  /** False when a server already running for this home was reused; stop() then leaves it running. */
  startedByUs: boolean
  /**
   * Settles with how the JVM ended (`signal SIGKILL`, `exit code 1`) when this process started
   * it, whoever ended it; undefined for a reused server, whose end this process cannot see.
   */
  exited: Promise<string> | undefined
  stop(): Promise<void>
}

export interface EphemeralNeo4jHandle extends LocalNeo4jHandle {
  home: string
  user: string
  password: string
}

export interface LocalNeo4jStatus {
  running: boolean
  pid?: number
  boltUri?: string
  httpUri?: string
}

const STOP_TIMEOUT_MS = 60_000
const POLL_MS = 500
const LOG_TAIL_LINES = 20
const ADMIN_HEAD_LINES = 5

const boltUri = (port: number): string => `bolt://127.0.0.1:${port}`
const httpUri = (port: number): string => `http://127.0.0.1:${port}`
const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms))

function passwordError(home: string): Error {
  return new Error(
    `Neo4j in ${home} rejected the password: its data directory was initialised with a different one. ` +
      `Use that password, or remove ${home} to start from an empty database (this deletes its data)`
  )
}

async function tail(path: string, lines: number): Promise<string | undefined> {
  const text = await readFile(path, 'utf8').catch(() => '')
  const kept = text.trimEnd().split('\n').slice(-lines).join('\n')
  return kept === '' ? undefined : kept
}

async function logTails(home: string): Promise<string> {
  const parts: string[] = []
  for (const name of ['neo4j.log', 'console.log']) {
    const path = join(home, 'logs', name)
    const text = await tail(path, LOG_TAIL_LINES)
    if (text !== undefined) parts.push(`--- last lines of ${path} ---\n${text}`)
  }
  return parts.length > 0 ? `\n${parts.join('\n')}` : ` (nothing in ${join(home, 'logs')})`
}

type BoltAnswer = 'ok' | 'unauthorized' | 'unavailable'

async function probeBolt(uri: string, password: string): Promise<BoltAnswer> {
  const driver = neo4j.driver(uri, neo4j.auth.basic(NEO4J_USER, password), {
    connectionTimeout: 3_000,
    connectionAcquisitionTimeout: 5_000,
    maxConnectionPoolSize: 1
  })
  const session = driver.session()
  try {
    await session.run('RETURN 1')
    return 'ok'
  } catch (error) {
    const code = (error as { code?: unknown }).code
    // The rate limit follows repeated bad passwords, so it means the same thing here.
    if (
      code === 'Neo.ClientError.Security.Unauthorized' ||
      code === 'Neo.ClientError.Security.AuthenticationRateLimit'
    ) {
      return 'unauthorized'
    }
    // Anything else (refused connection, databases still starting) is worth another try.
    return 'unavailable'
  } finally {
    await session.close().catch(() => undefined)
    await driver.close().catch(() => undefined)
  }
}

interface WaitInput {
  uri: string
  password: string
  home: string
  timeoutMs: number
  exited: () => string | undefined
}

async function waitForBolt({ uri, password, home, timeoutMs, exited }: WaitInput): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const answer = await probeBolt(uri, password)
    if (answer === 'ok') return
    if (answer === 'unauthorized') throw passwordError(home)
    const exit = exited()
    if (exit !== undefined) throw new Error(`Neo4j exited while starting (${exit})${await logTails(home)}`)
    if (Date.now() > deadline) {
      throw new Error(
        `Neo4j did not answer on ${uri} within ${Math.round(timeoutMs / 1000)} s${await logTails(home)}`
      )
    }
    await sleep(POLL_MS)
  }
}

async function ensurePortFree(port: number, name: string): Promise<void> {
  await new Promise<void>((resolvePort, reject) => {
    const server = createServer()
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(
          new Error(
            `${name} port ${port} is already in use by another process: stop it or choose another port`
          )
        )
      } else {
        reject(new Error(`Cannot use ${name} port ${port}: ${error.message}`))
      }
    })
    server.listen(port, '127.0.0.1', () => server.close(() => resolvePort()))
  })
}

/** Ports the OS reports free right now; all are held open together so that they differ from each other. */
export async function pickFreePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((done, reject) => {
          const server = createServer()
          server.once('error', reject)
          server.listen(0, '127.0.0.1', () => done(server))
        })
    )
  )
  const ports = servers.map((server) => {
    const address = server.address()
    if (address === null || typeof address === 'string') throw new Error('Could not pick a free port')
    return address.port
  })
  await Promise.all(servers.map((server) => new Promise((done) => server.close(done))))
  return ports
}

function instanceEnv(home: string): NodeJS.ProcessEnv {
  return { ...process.env, NEO4J_HOME: home, NEO4J_CONF: join(home, 'conf') }
}

async function setInitialPassword(artifacts: Artifacts, home: string, password: string): Promise<void> {
  const args = [
    '-cp',
    join(artifacts.libDir, '*'),
    'org.neo4j.cli.AdminTool',
    'dbms',
    'set-initial-password',
    // A password may begin with '-' (a random base64url one does, one time in 64): without the end of
    // options marker the admin tool reads it as an unknown option and refuses to start.
    '--',
    password
  ]
  await new Promise<void>((done, reject) => {
    execFile(artifacts.java.bin, args, { cwd: home, env: instanceEnv(home) }, (error, stdout, stderr) => {
      if (!error) return done()
      // The admin tool states the reason first and then prints its usage, so the head is what explains.
      const output = `${stderr}${stdout}`.trim().split('\n').slice(0, ADMIN_HEAD_LINES).join('\n')
      reject(new Error(`Could not set the initial Neo4j password in ${home}:\n${output}`))
    })
  })
}

async function prepareHome(opts: LocalNeo4jOptions, artifacts: Artifacts): Promise<void> {
  const { home } = opts
  for (const dir of ['conf', 'data', 'logs', 'plugins', 'run', 'import']) {
    await mkdir(join(home, dir), { recursive: true })
  }
  await writeFile(confPath(home), renderConf(opts))

  // The plugins directory is managed: stale plugin jars from an older version would clash with the new ones.
  const pluginsDir = join(home, 'plugins')
  for (const name of await readdir(pluginsDir)) {
    if (name.endsWith('.jar')) await rm(join(pluginsDir, name))
  }
  for (const dir of [artifacts.apocDir, artifacts.gdsDir]) {
    for (const name of await readdir(dir)) {
      if (name.endsWith('.jar')) await copyFile(join(dir, name), join(pluginsDir, name))
    }
  }

  // The system database records the password on its first start; until it exists the home is fresh.
  const initialised = await stat(join(home, 'data', 'databases', 'system')).then(
    () => true,
    () => false
  )
  if (!initialised) await setInitialPassword(artifacts, home, opts.password)
}

function jvmArgs(opts: LocalNeo4jOptions, artifacts: Artifacts): string[] {
  const { home } = opts
  return [
    `-Xms${opts.heap}`,
    `-Xmx${opts.heap}`,
    '-XX:+UseG1GC',
    '-XX:-OmitStackTraceInFastThrow',
    '-XX:+ExitOnOutOfMemoryError',
    '-Djdk.nio.maxCachedBufferSize=1024',
    '-Dio.netty.tryReflectionSetAccessible=true',
    '-Dlog4j2.disable.jmx=true',
    '-Dfile.encoding=UTF-8',
    '--add-opens=java.base/java.nio=ALL-UNNAMED',
    '--add-opens=java.base/java.io=ALL-UNNAMED',
    '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
    '--add-opens=java.base/java.lang=ALL-UNNAMED',
    // APOC and GDS must be on the classpath as well as in the plugins directory, or their injectable
    // components (apoc.Pools, GDS's procedure facade) are unknown to the procedure loader.
    '-cp',
    [join(artifacts.libDir, '*'), join(home, 'plugins', '*')].join(delimiter),
    'org.neo4j.server.CommunityEntryPoint',
    `--home-dir=${home}`,
    `--config-dir=${join(home, 'conf')}`
  ]
}

async function spawnServer(opts: LocalNeo4jOptions, artifacts: Artifacts): Promise<ChildProcess> {
  const out = openSync(join(opts.home, 'logs', 'console.log'), 'a')
  let child: ChildProcess
  try {
    child = spawn(artifacts.java.bin, jvmArgs(opts, artifacts), {
      cwd: opts.home,
      env: instanceEnv(opts.home),
      detached: true,
      stdio: ['ignore', out, out]
    })
  } finally {
    closeSync(out)
  }
  if (child.pid === undefined) {
    const error = await new Promise<Error>((done) => child.once('error', done))
    throw new Error(`Could not launch ${artifacts.java.bin}: ${error.message}`)
  }
  child.unref()
  return child
}

async function waitForExit(pid: number, home: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (isServerOf(pid, home)) {
    if (Date.now() > deadline) return false
    await sleep(200)
  }
  return true
}

async function readPorts(home: string): Promise<{ boltPort: number; httpPort: number } | undefined> {
  return readFile(confPath(home), 'utf8').then(parseConfPorts, () => undefined)
}

/**
 * Stops the server of `home` if one is running: SIGTERM, then SIGKILL after a minute. Returns whether
 * there was one to stop. A pidfile naming some other (recycled) process is only removed.
 */
export async function stopLocalNeo4j(home: string): Promise<boolean> {
  const dir = resolve(home)
  const pid = await readPidFile(dir)
  if (pid === undefined) return false
  const running = isServerOf(pid, dir)
  if (running) {
    process.kill(pid, 'SIGTERM')
    if (!(await waitForExit(pid, dir, STOP_TIMEOUT_MS))) {
      process.kill(pid, 'SIGKILL')
      await waitForExit(pid, dir, 10_000)
    }
  }
  await removePidFile(dir)
  return running
}

export async function statusLocalNeo4j(home: string): Promise<LocalNeo4jStatus> {
  const dir = resolve(home)
  const pid = await readPidFile(dir)
  if (pid === undefined || !isServerOf(pid, dir)) return { running: false }
  const ports = await readPorts(dir)
  if (ports === undefined) return { running: true, pid }
  return { running: true, pid, boltUri: boltUri(ports.boltPort), httpUri: httpUri(ports.httpPort) }
}

function makeHandle(
  pid: number,
  ports: { boltPort: number; httpPort: number },
  stop: () => Promise<void>,
  exited?: Promise<string>
): LocalNeo4jHandle {
  const http = httpUri(ports.httpPort)
  return {
    boltUri: boltUri(ports.boltPort),
    httpUri: http,
    browserUri: `${http}/browser/`,
    pid,
    startedByUs: exited !== undefined,
    exited,
    stop
  }
}

/**
 * Starts Neo4j for `opts.home`, or reuses the server already running there, and resolves once Bolt
 * answers an authenticated query.
 */
export async function startLocalNeo4j(input: LocalNeo4jOptions): Promise<LocalNeo4jHandle> {
  const opts = validateOptions(input)
  const { home } = opts
  const log = opts.log ?? (() => undefined)
  const timeoutMs = opts.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS

  const existing = await readPidFile(home)
  if (existing !== undefined) {
    if (isServerOf(existing, home)) {
      // The running server keeps the ports it was started with, whatever this call asked for.
      const ports = (await readPorts(home)) ?? opts
      log(`Reusing the Neo4j already running for ${home} (pid ${existing})`)
      const exited = (): string | undefined => (isServerOf(existing, home) ? undefined : 'process gone')
      await waitForBolt({ uri: boltUri(ports.boltPort), password: opts.password, home, timeoutMs, exited })
      return makeHandle(existing, ports, async () => undefined)
    }
    log(`Removing stale pidfile of process ${existing}`)
    await removePidFile(home)
  }

  await ensurePortFree(opts.boltPort, 'Bolt')
  await ensurePortFree(opts.httpPort, 'HTTP')
  const artifacts = await ensureArtifacts({
    projectRoot: opts.projectRoot,
    cacheDir: opts.cacheDir,
    log: opts.log
  })
  await prepareHome(opts, artifacts)

  log(
    `Starting Neo4j ${NEO4J_VERSION} in ${home} (Java ${artifacts.java.major}, heap ${opts.heap}, page cache ${opts.pageCache})`
  )
  const started = Date.now()
  const child = await spawnServer(opts, artifacts)
  const pid = child.pid as number
  let exit: string | undefined
  const exited = new Promise<string>((done) => {
    child.once('exit', (code, signal) => {
      exit = signal === null ? `exit code ${code}` : `signal ${signal}`
      done(exit)
    })
  })
  await writePidFile(home, pid)

  try {
    await waitForBolt({
      uri: boltUri(opts.boltPort),
      password: opts.password,
      home,
      timeoutMs,
      exited: () => exit
    })
  } catch (error) {
    // Never leave a half-started server behind: the caller has no handle to stop it with.
    if (isAlive(pid)) await stopLocalNeo4j(home).catch(() => undefined)
    else await removePidFile(home)
    throw error
  }
  log(`Neo4j answered on Bolt after ${((Date.now() - started) / 1000).toFixed(1)} s`)
  return makeHandle(pid, opts, async () => void (await stopLocalNeo4j(home)), exited)
}

/** The checkout this module belongs to, found by walking up to the directory holding the Neo4j poms. */
export function findProjectRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'neo4j-local', 'server', 'pom.xml'))) return dir
    if (dirname(dir) === dir) throw new Error(`No neo4j-local/server/pom.xml above ${from}`)
  }
}

/**
 * A throwaway server for tests: free ports, a random password, a temporary home (deleted by stop(), or
 * when this process exits, unless `home` was passed in).
 */
export async function startEphemeralNeo4j(
  partial: Partial<LocalNeo4jOptions> = {}
): Promise<EphemeralNeo4jHandle> {
  const ownHome = partial.home === undefined
  const home = partial.home ?? (await mkdtemp(join(tmpdir(), 'cinegraph-neo4j-')))
  const [boltPort, httpPort] = await pickFreePorts(2)
  const projectRoot = partial.projectRoot ?? findProjectRoot()
  const opts: LocalNeo4jOptions = {
    boltPort: boltPort as number,
    httpPort: httpPort as number,
    password: randomBytes(18).toString('base64url'),
    heap: '1g',
    pageCache: '512m',
    cacheDir: join(projectRoot, '.neo4j', 'cache'),
    ...partial,
    projectRoot,
    home
  }
  const removeHome = (): void => {
    if (ownHome) rmSync(home, { recursive: true, force: true })
  }

  let handle: LocalNeo4jHandle
  try {
    handle = await startLocalNeo4j(opts)
  } catch (error) {
    removeHome()
    throw error
  }
  // A test run that crashes must not leave a JVM holding a gigabyte behind.
  const onExit = (): void => {
    if (handle.startedByUs && isAlive(handle.pid)) process.kill(handle.pid, 'SIGKILL')
    removeHome()
  }
  process.once('exit', onExit)
  return {
    ...handle,
    home,
    user: NEO4J_USER,
    password: opts.password,
    stop: async () => {
      process.removeListener('exit', onExit)
      await handle.stop()
      removeHome()
    }
  }
}
