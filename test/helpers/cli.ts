/** `cinegraph <args>` in a child process, from the TypeScript sources, against a test Neo4j. */
import { spawn } from 'node:child_process'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { testNeo4j } from './neo4j.js'

const MAIN = pathToFileURL(fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url))).href
const ENTRY = `import(${JSON.stringify(MAIN)}).then((cli) => cli.main(['node', 'cinegraph', ...process.argv.slice(1)]))`

export interface CliRun {
  pid: number
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>
  kill(): void
}

/** The run's shared Neo4j unless `env` names another (e.g. a throwaway server's settings). */
export function cinegraph(args: string[], env: Record<string, string> = {}): CliRun {
  const n = testNeo4j()
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', ENTRY, '--', ...args], {
    env: {
      ...process.env,
      NEO4J_URI: n.uri,
      NEO4J_USER: n.user,
      NEO4J_PASSWORD: n.password,
      NEO4J_DATABASE: n.database,
      NEO4J_TX_TIMEOUT_MS: '60000',
      ...env
    },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const done = new Promise<{
    code: number | null
    signal: NodeJS.Signals | null
    stdout: string
    stderr: string
  }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })))
  return { pid: child.pid ?? -1, done, kill: () => child.kill('SIGKILL') }
}
