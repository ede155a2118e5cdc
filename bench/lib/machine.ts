/** What the numbers were measured on; BENCHMARKS.md opens with it. */
import { execFileSync } from 'node:child_process'
import { cpus, freemem, totalmem, release, platform } from 'node:os'
import { NEO4J_VERSION } from '../../src/neo4j-local/version.js'

/** `java -version` prints to stderr. */
function javaVersion(): string {
  try {
    return (
      execFileSync('sh', ['-c', 'java -version 2>&1'], { encoding: 'utf8' }).split('\n')[0]?.trim() ??
      'unknown'
    )
  } catch {
    return 'not found'
  }
}

export interface Machine {
  cpu: string
  cores: number
  memoryGiB: number
  freeMemoryGiB: number
  os: string
  node: string
  java: string
  neo4j: string
}

export function describeMachine(): Machine {
  const list = cpus()
  return {
    cpu: list[0]?.model ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    freeMemoryGiB: Math.round((freemem() / 2 ** 30) * 10) / 10,
    os: `${platform()} ${release()}`,
    node: process.version,
    java: javaVersion(),
    neo4j: `${NEO4J_VERSION} Community`
  }
}
