/**
 * What the schema should be and what it is. The constraints and indexes that count are those the
 * applied migrations create (less any a later migration drops); each is found by name, as a
 * constraint (whose backing index shares its name) or as an index. Any index that is not ONLINE is
 * reported, the migrations' and an analyst's own alike: queries planned on it do not use it.
 */
import type { CypherStatement } from '../db/cypher-script.js'
import type { MigrationFile } from '../db/migrate.js'

export interface DeclaredSchema {
  name: string
  kind: 'constraint' | 'index'
  /** The migration file and its statement that create it (`IF NOT EXISTS`, so safe to run again). */
  file: string
  statement: CypherStatement
}

export interface IndexRow {
  name: string
  type: string
  state: string
  population_percent: number | null
  failure_message: string | null
  owning_constraint: string | null
}

export interface SchemaProblem {
  name: string
  problem: 'missing' | 'not_online'
  kind?: 'constraint' | 'index'
  state?: string
  population_percent?: number | null
  failure_message?: string
  /** For a missing one: the migration that creates it. */
  file?: string
}

const CREATE =
  /^CREATE\s+(CONSTRAINT|(?:(?:RANGE|TEXT|POINT|LOOKUP|FULLTEXT|VECTOR)\s+)?INDEX)\s+`?([A-Za-z_][A-Za-z0-9_]*)`?\s+IF\s+NOT\s+EXISTS\b/i
const DROP = /^DROP\s+(CONSTRAINT|INDEX)\s+`?([A-Za-z_][A-Za-z0-9_]*)`?/i

/** The named constraints and indexes `files` leave behind, in the order they are created. */
export function declaredSchema(files: readonly MigrationFile[]): DeclaredSchema[] {
  const declared = new Map<string, DeclaredSchema>()
  for (const file of [...files].sort((a, b) => a.version - b.version)) {
    for (const statement of file.statements) {
      const text = statement.text.trim()
      const created = CREATE.exec(text)
      if (created) {
        const kind = (created[1] as string).toUpperCase() === 'CONSTRAINT' ? 'constraint' : 'index'
        declared.set(created[2] as string, { name: created[2] as string, kind, file: file.file, statement })
        continue
      }
      const dropped = DROP.exec(text)
      if (dropped) declared.delete(dropped[2] as string)
    }
  }
  return [...declared.values()]
}

/** Declared names that exist neither as a constraint nor as an index, then indexes not ONLINE. */
export function schemaProblems(
  declared: readonly DeclaredSchema[],
  indexes: readonly IndexRow[],
  constraints: readonly string[]
): SchemaProblem[] {
  const present = new Set([...constraints, ...indexes.map((i) => i.name)])
  const missing: SchemaProblem[] = declared
    .filter((d) => !present.has(d.name))
    .map((d) => ({ name: d.name, problem: 'missing', kind: d.kind, file: d.file }))
  const offline: SchemaProblem[] = indexes
    .filter((i) => i.state !== 'ONLINE')
    .map((i) => ({
      name: i.name,
      problem: 'not_online',
      kind: i.owning_constraint ? 'constraint' : 'index',
      state: i.state,
      population_percent: i.population_percent,
      ...(i.failure_message ? { failure_message: i.failure_message } : {})
    }))
  return [...missing, ...offline]
}

/** Why an index that is not ONLINE is left as it is. */
export const NOT_ONLINE_ADVICE =
  'an index that is not ONLINE is not repaired here: a POPULATING one comes online by itself; a FAILED one ' +
  'needs the cause in its failure message fixed, then DROP INDEX (or DROP CONSTRAINT) and ' +
  '`cinegraph doctor --repair`, which creates the ones the migrations declare again'
