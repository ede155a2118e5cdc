// Resolves the Neo4j server, APOC and GDS jars from Maven Central once per cache directory. Jars are named
// `<groupId>.<artifactId>.jar` (no version) so that "the server already ships this artifact" is a plain
// file-name comparison; the poms, not the file names, say which versions these are.
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { checkJava, checkMaven } from './java.js'
import type { JavaInfo } from './java.js'
import { NEO4J_VERSION } from './version.js'

export interface ArtifactsOptions {
  projectRoot: string
  cacheDir: string
  log?: (line: string) => void
}

export interface Artifacts {
  /** Server jars, for the JVM classpath. */
  libDir: string
  /** APOC jars neither the server nor GDS already ships, to install as plugins. */
  apocDir: string
  /** Graph Data Science jars the server does not already ship, to install as plugins. */
  gdsDir: string
  java: JavaInfo
}

// Bump when the cache layout changes so that old caches are re-resolved.
const LAYOUT = 'layout-2'
const MARKER = 'artifacts.sha256'
const LOCK = '.resolving'
const STALE_LOCK_MS = 30 * 60_000

export function serverPomPath(projectRoot: string): string {
  return join(projectRoot, 'neo4j-local', 'server', 'pom.xml')
}

export function apocPomPath(projectRoot: string): string {
  return join(projectRoot, 'neo4j-local', 'apoc', 'pom.xml')
}

export function gdsPomPath(projectRoot: string): string {
  return join(projectRoot, 'neo4j-local', 'gds', 'pom.xml')
}

export function artifactsHash(serverPom: string, apocPom: string, gdsPom: string): string {
  return createHash('sha256').update(`${LAYOUT}\0${serverPom}\0${apocPom}\0${gdsPom}`).digest('hex')
}

/** A plugin's dependency jars minus those already present: two copies of a library would clash on the classpath. */
export function pluginOnlyJars(pluginJars: readonly string[], presentJars: readonly string[]): string[] {
  const present = new Set(presentJars)
  return pluginJars.filter((jar) => jar.endsWith('.jar') && !present.has(jar)).sort()
}

export interface PluginJars {
  apoc: string[]
  gds: string[]
}

/**
 * Which resolved jars each plugin installs. A library both plugins depend on is installed once, from GDS:
 * GDS pins the newer release of what they share (HdrHistogram 2.2 against APOC's 2.1), and a library
 * keeps working for code built against its older minor release far more often than the other way round.
 */
export function pluginJars(
  serverJars: readonly string[],
  apocJars: readonly string[],
  gdsJars: readonly string[]
): PluginJars {
  const gds = pluginOnlyJars(gdsJars, serverJars)
  return { apoc: pluginOnlyJars(apocJars, [...serverJars, ...gds]), gds }
}

async function readPom(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch {
    throw new Error(`Cannot read ${path}: projectRoot must be the cinegraph checkout`)
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false
  )
}

async function readMarker(cacheDir: string): Promise<string | undefined> {
  return readFile(join(cacheDir, MARKER), 'utf8').then(
    (text) => text.trim(),
    () => undefined
  )
}

async function isResolved(cacheDir: string, hash: string): Promise<boolean> {
  return (
    (await readMarker(cacheDir)) === hash &&
    (await exists(join(cacheDir, 'lib'))) &&
    (await exists(join(cacheDir, 'apoc'))) &&
    (await exists(join(cacheDir, 'gds')))
  )
}

function copyDependencies(pom: string, outputDir: string): Promise<void> {
  const args = [
    '-q',
    '-B',
    '-Dstyle.color=never',
    '-f',
    pom,
    'dependency:copy-dependencies',
    `-DoutputDirectory=${outputDir}`,
    '-DincludeScope=runtime',
    '-Dmdep.stripVersion=true',
    '-Dmdep.prependGroupId=true'
  ]
  return new Promise((resolve, reject) => {
    const child = spawn('mvn', args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    const collect = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-20_000)
    }
    child.stdout.on('data', collect)
    child.stderr.on('data', collect)
    child.on('error', reject)
    child.on('close', (code) => {
      if (code === 0) return resolve()
      // Maven colours some lines even in batch mode; escape codes only garble an error message.
      // eslint-disable-next-line no-control-regex
      const plain = output.replace(/\u001b\[[0-9;]*m/g, '')
      const tail = plain.trim().split('\n').slice(-40).join('\n')
      reject(new Error(`Maven could not resolve the jars of ${pom} (exit ${code}):\n${tail}`))
    })
  })
}

async function jarsIn(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith('.jar'))
}

// A lock directory keeps parallel test workers or two terminals from resolving into the same place at once.
async function withLock<T>(
  cacheDir: string,
  isDone: () => Promise<boolean>,
  work: () => Promise<T>
): Promise<T | undefined> {
  const lock = join(cacheDir, LOCK)
  for (;;) {
    try {
      await mkdir(lock)
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const since = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0
      )
      if (since > STALE_LOCK_MS) await rm(lock, { recursive: true, force: true })
      else await new Promise((resolve) => setTimeout(resolve, 1000))
      if (await isDone()) return undefined
    }
  }
  try {
    return await work()
  } finally {
    await rm(lock, { recursive: true, force: true })
  }
}

/**
 * Makes sure the server, APOC and GDS jars for the poms under `<projectRoot>/neo4j-local` are in `cacheDir`,
 * resolving them with Maven when missing or when a pom changed. Java is checked every time, because the
 * jars are useless without it; Maven only when something has to be downloaded.
 */
export async function ensureArtifacts(opts: ArtifactsOptions): Promise<Artifacts> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`))
  const java = await checkJava()
  const serverPom = serverPomPath(opts.projectRoot)
  const apocPom = apocPomPath(opts.projectRoot)
  const gdsPom = gdsPomPath(opts.projectRoot)
  const hash = artifactsHash(await readPom(serverPom), await readPom(apocPom), await readPom(gdsPom))
  const { cacheDir } = opts
  const result: Artifacts = {
    libDir: join(cacheDir, 'lib'),
    apocDir: join(cacheDir, 'apoc'),
    gdsDir: join(cacheDir, 'gds'),
    java
  }
  if (await isResolved(cacheDir, hash)) return result

  await checkMaven()
  await mkdir(cacheDir, { recursive: true })
  await withLock(
    cacheDir,
    () => isResolved(cacheDir, hash),
    async () => {
      if (await isResolved(cacheDir, hash)) return
      log(
        `Downloading Neo4j ${NEO4J_VERSION}, APOC and GDS with Maven into ${cacheDir} (about 150 MB, first run only)`
      )
      const libPartial = join(cacheDir, 'lib.partial')
      const apocAll = join(cacheDir, 'apoc-all.partial')
      const apocPartial = join(cacheDir, 'apoc.partial')
      const gdsAll = join(cacheDir, 'gds-all.partial')
      const gdsPartial = join(cacheDir, 'gds.partial')
      const scratch = [libPartial, apocAll, apocPartial, gdsAll, gdsPartial]
      for (const dir of scratch) await rm(dir, { recursive: true, force: true })
      await rm(join(cacheDir, MARKER), { force: true })

      await copyDependencies(serverPom, libPartial)
      await copyDependencies(apocPom, apocAll)
      await copyDependencies(gdsPom, gdsAll)
      const plugins = pluginJars(await jarsIn(libPartial), await jarsIn(apocAll), await jarsIn(gdsAll))
      // A missing module does not stop the server: its procedures are just absent, or fail to inject.
      const required: [string[], string, string][] = [
        [plugins.apoc, 'org.neo4j.procedure.apoc-core.jar', apocPom],
        [plugins.gds, 'org.neo4j.gds.proc.jar', gdsPom],
        [plugins.gds, 'org.neo4j.gds.opengds-extension.jar', gdsPom]
      ]
      for (const [jars, jar, pom] of required) {
        if (!jars.includes(jar)) throw new Error(`Maven resolved no ${jar} from ${pom}`)
      }
      for (const [jars, from, to] of [
        [plugins.apoc, apocAll, apocPartial],
        [plugins.gds, gdsAll, gdsPartial]
      ] as const) {
        await mkdir(to)
        for (const jar of jars) await rename(join(from, jar), join(to, jar))
        await rm(from, { recursive: true, force: true })
      }

      for (const dir of [result.libDir, result.apocDir, result.gdsDir]) {
        await rm(dir, { recursive: true, force: true })
      }
      await rename(libPartial, result.libDir)
      await rename(apocPartial, result.apocDir)
      await rename(gdsPartial, result.gdsDir)
      await writeFile(join(cacheDir, MARKER), `${hash}\n`)
    }
  )
  return result
}
