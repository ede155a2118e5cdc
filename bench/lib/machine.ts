/** What the numbers were measured on; BENCHMARKS.md opens with it. */
import { execFileSync } from 'node:child_process'
import { cpus, freemem, totalmem, release, platform } from 'node:os'
import type { Database } from '../../src/db/database.js'

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

/** The server's own name, version and edition (`CALL dbms.components()`), not what this repo would start. */
export async function serverNeo4j(db: Database): Promise<string> {
  try {
    const rows = await db.readRows<{ name: string; versions: string[]; edition: string }>(
      'CALL dbms.components() YIELD name, versions, edition RETURN name, versions, edition'
    )
    return rows.map((r) => `${r.name} ${r.versions.join(', ')} ${r.edition}`).join('; ') || 'unknown'
  } catch {
    return 'unknown (dbms.components() failed)'
  }
}

/** The machine; `neo4j` is filled in by the caller from serverNeo4j once it is connected. */
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
    neo4j: 'not asked'
  }
}
