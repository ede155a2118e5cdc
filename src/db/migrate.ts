/**
 * Versioned schema migrations from cypher/migrations/NNNN-name.cypher.
 *
 * Each applied file is recorded as (:SchemaMigration {version, name, checksum, applied_at}).
 * Re-running is a no-op; a file edited after it was applied stops the run, because the graph
 * would no longer match what the repository says it is.
 */
import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { PROJECT_ROOT } from '../project-root.js'
import { splitCypher } from './cypher-script.js'
import type { CypherStatement } from './cypher-script.js'
import type { Database } from './database.js'

export const DEFAULT_MIGRATIONS_DIR = join(PROJECT_ROOT, 'cypher', 'migrations')

const FILE_PATTERN = /^(\d{4})-([a-z0-9-]+)\.cypher$/

export interface MigrationFile {
  version: number
  name: string
  file: string
  checksum: string
  statements: CypherStatement[]
}

export interface AppliedMigration {
  version: number
  name: string
  checksum: string
  applied_at: string
}

export class MigrationError extends Error {}

export async function loadMigrations(dir = DEFAULT_MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const names = (await readdir(dir)).filter((f) => f.endsWith('.cypher')).sort()
  const files: MigrationFile[] = []
  for (const file of names) {
    const match = FILE_PATTERN.exec(file)
    if (!match) {
      throw new MigrationError(
        `Migration file ${file} is not named NNNN-name.cypher (lower-case, digits, dashes)`
      )
    }
    const source = (await readFile(join(dir, file), 'utf8')).replace(/\r\n/g, '\n')
    const version = Number(match[1])
    if (files.some((f) => f.version === version)) {
      throw new MigrationError(`Two migration files share version ${match[1]}`)
    }
    files.push({
      version,
      name: match[2] as string,
      file,
      checksum: createHash('sha256').update(source).digest('hex'),
      statements: splitCypher(source)
    })
  }
  return files
}

const BOOTSTRAP =
  'CREATE CONSTRAINT schema_migration_version IF NOT EXISTS FOR (m:SchemaMigration) REQUIRE m.version IS UNIQUE'

const LIST_APPLIED = `
MATCH (m:SchemaMigration)
RETURN m.version AS version, m.name AS name, m.checksum AS checksum, m.applied_at AS applied_at
ORDER BY m.version`

const RECORD_APPLIED = `
MERGE (m:SchemaMigration {version: $version})
ON CREATE SET m.applied_at = datetime()
SET m.name = $name, m.checksum = $checksum`

export async function listApplied(db: Database): Promise<AppliedMigration[]> {
  return db.readRows<AppliedMigration>(LIST_APPLIED)
}

/** Files that differ from what was applied, or that were applied but are gone. */
function checkApplied(files: MigrationFile[], applied: AppliedMigration[]): void {
  for (const a of applied) {
    const file = files.find((f) => f.version === a.version)
    const label = `${String(a.version).padStart(4, '0')}-${a.name}.cypher`
    if (!file) {
      throw new MigrationError(`Migration ${label} is recorded as applied but its file is missing`)
    }
    if (file.checksum !== a.checksum) {
      throw new MigrationError(
        `Migration ${file.file} was edited after it was applied (checksum ${a.checksum.slice(0, 12)} in the graph, ` +
          `${file.checksum.slice(0, 12)} on disk). Restore the file and put the change in a new migration.`
      )
    }
  }
}

export interface MigrateResult {
  applied: string[]
  alreadyApplied: number
}

export async function migrate(
  db: Database,
  options: { dir?: string; log?: (line: string) => void } = {}
): Promise<MigrateResult> {
  const files = await loadMigrations(options.dir)
  await db.runAutoCommit(BOOTSTRAP)
  const applied = await listApplied(db)
  checkApplied(files, applied)
  const done = new Set(applied.map((a) => a.version))
  const result: MigrateResult = { applied: [], alreadyApplied: done.size }
  for (const file of files) {
    if (done.has(file.version)) continue
    for (const statement of file.statements) {
      try {
        await db.runAutoCommit(statement.text)
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err)
        throw new MigrationError(
          `Migration ${file.file} failed at statement ${statement.index} (line ${statement.line}): ${reason}\n` +
            `  ${statement.text.split('\n').join('\n  ')}`
        )
      }
    }
    await db.writeRows(RECORD_APPLIED, { version: file.version, name: file.name, checksum: file.checksum })
    options.log?.(`applied ${file.file} (${file.statements.length} statements)`)
    result.applied.push(file.file)
  }
  return result
}

export interface MigrationStatus {
  applied: number
  pending: string[]
}

/** What /ready checks: every known migration is recorded with its checksum. */
export async function migrationStatus(db: Database, files: MigrationFile[]): Promise<MigrationStatus> {
  const applied = await listApplied(db)
  const byVersion = new Map(applied.map((a) => [a.version, a.checksum]))
  const pending = files.filter((f) => byVersion.get(f.version) !== f.checksum).map((f) => f.file)
  return { applied: applied.length, pending }
}
