// Finds the Java and Maven the local runner needs, and turns a missing or unsuitable tool into a one-line
// error that says what to install, because that is the first thing a new contributor will hit.
import { execFile } from 'node:child_process'
import { join } from 'node:path'

// Neo4j 5.26 is built for and supported on these Java releases only.
export const SUPPORTED_JAVA_MAJORS: readonly number[] = [17, 21]

const INSTALL_JDK = 'install a JDK (Debian: apt-get install openjdk-17-jdk-headless)'
const USE_EXISTING = 'or set NEO4J_URI to use an existing server'

export interface JavaInfo {
  bin: string
  major: number
}

interface RunResult {
  code: number | null
  output: string
  missing: boolean
}

function run(bin: string, args: string[], env?: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(bin, args, { env: env ?? process.env, timeout: 60_000 }, (error, stdout, stderr) => {
      const output = `${stdout}${stderr}`
      if (!error) return resolve({ code: 0, output, missing: false })
      const code = (error as NodeJS.ErrnoException).code
      // EACCES covers a non-executable file at the path, which is as good as missing for our purpose.
      const missing = code === 'ENOENT' || code === 'EACCES'
      resolve({ code: typeof code === 'number' ? code : null, output, missing })
    })
  })
}

/** The java binary to use: `$JAVA_HOME/bin/java` when JAVA_HOME is set, otherwise `java` from PATH. */
export function javaBinary(env: NodeJS.ProcessEnv = process.env): string {
  const javaHome = env.JAVA_HOME?.trim()
  return javaHome ? join(javaHome, 'bin', 'java') : 'java'
}

/**
 * Reads the major release from `java -version` output, which names it either the modern way ("17.0.15",
 * "21", "22-ea") or the legacy way ("1.8.0_392").
 */
export function parseJavaMajor(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?[^"]*"/.exec(versionOutput)
  if (!match) return undefined
  const first = Number(match[1])
  if (first === 1 && match[2] !== undefined) return Number(match[2])
  return first
}

export async function checkJava(env: NodeJS.ProcessEnv = process.env): Promise<JavaInfo> {
  const bin = javaBinary(env)
  const result = await run(bin, ['-version'], env)
  const where = env.JAVA_HOME?.trim() ? `JAVA_HOME (${bin})` : 'PATH'
  if (result.missing || result.code !== 0) {
    const found = result.missing ? `no working java on ${where}` : `\`${bin} -version\` failed`
    throw new Error(
      `Java 17 or 21 is needed for the embedded Neo4j (${found}): ${INSTALL_JDK}, set JAVA_HOME, ${USE_EXISTING}`
    )
  }
  const major = parseJavaMajor(result.output)
  if (major === undefined) {
    throw new Error(`Could not tell which Java ${bin} is from \`java -version\`; Neo4j needs Java 17 or 21`)
  }
  if (!SUPPORTED_JAVA_MAJORS.includes(major)) {
    throw new Error(
      `Java ${major} found on ${where}, but Neo4j 5.26 runs only on Java 17 or 21: ${INSTALL_JDK} and set JAVA_HOME to it, ${USE_EXISTING}`
    )
  }
  return { bin, major }
}

export async function checkMaven(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const bin = 'mvn'
  const result = await run(bin, ['-B', '-version'], env)
  if (result.missing || result.code !== 0) {
    const found = result.missing ? 'no mvn on PATH' : '`mvn -version` failed'
    throw new Error(
      `Maven is needed to download the embedded Neo4j (${found}): install it (Debian: apt-get install maven) ${USE_EXISTING}`
    )
  }
  return bin
}
