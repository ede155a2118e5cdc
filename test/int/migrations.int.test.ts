import { cp, mkdtemp, rm, writeFile, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../src/db/database.js'
import {
  DEFAULT_MIGRATIONS_DIR,
  listApplied,
  loadMigrations,
  migrate,
  MigrationError
} from '../../src/db/migrate.js'
import { testDatabase } from '../helpers/neo4j.js'

const CONSTRAINTS: Array<[string, string]> = [
  ['Movie', 'movie_id'],
  ['Movie', 'tmdb_id'],
  ['Movie', 'imdb_id'],
  ['Genre', 'name'],
  ['Genre', 'tmdb_genre_id'],
  ['Review', 'review_id'],
  ['Review', 'tweet_id'],
  ['Rating', 'rating_id'],
  ['Search', 'search_id'],
  ['User', 'user_id']
]

describe('schema migrations', () => {
  let db: Database
  let scratch: string
  beforeAll(async () => {
    db = testDatabase()
    scratch = await mkdtemp(join(tmpdir(), 'cinegraph-migrations-'))
  })
  afterAll(async () => {
    await db.close()
    await rm(scratch, { recursive: true, force: true })
  })

  it('creates every uniqueness constraint', async () => {
    const rows = await db.readRows<{ type: string; labels: string[]; properties: string[] }>(
      'SHOW CONSTRAINTS YIELD type, labelsOrTypes AS labels, properties RETURN type, labels, properties'
    )
    for (const [label, property] of CONSTRAINTS) {
      expect(rows).toContainEqual({ type: 'UNIQUENESS', labels: [label], properties: [property] })
    }
  })

  it('creates the title full-text index and the range indexes the API filters and sorts on', async () => {
    const rows = await db.readRows<{
      name: string
      type: string
      labels: string[]
      properties: string[]
      state: string
    }>(
      'SHOW INDEXES YIELD name, type, labelsOrTypes AS labels, properties, state RETURN name, type, labels, properties, state'
    )
    const fulltext = rows.find((r) => r.name === 'movie_title_fulltext')
    expect(fulltext).toMatchObject({
      type: 'FULLTEXT',
      labels: ['Movie'],
      properties: ['title', 'original_title', 'aka_titles']
    })
    for (const [label, property] of [
      ['Movie', 'year'],
      ['Movie', 'release_date'],
      ['Movie', 'rating_mean'],
      ['Movie', 'popularity'],
      ['Review', 'created_at'],
      ['Search', 'searched_at']
    ]) {
      expect(
        rows.some((r) => r.type === 'RANGE' && r.labels[0] === label && r.properties[0] === property)
      ).toBe(true)
    }
    expect(rows.filter((r) => r.state !== 'ONLINE')).toEqual([])
  })

  it('records each applied file with its checksum, and a second run changes nothing', async () => {
    const files = await loadMigrations()
    const applied = await listApplied(db)
    expect(applied.map((a) => [a.version, a.checksum])).toEqual(files.map((f) => [f.version, f.checksum]))
    const again = await migrate(db)
    expect(again).toEqual({ applied: [], alreadyApplied: files.length })
    expect(await listApplied(db)).toEqual(applied)
  })

  it('refuses to run when an applied migration was edited, naming the file', async () => {
    const dir = join(scratch, 'edited')
    await cp(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true })
    const file = join(dir, '0001-constraints.cypher')
    await writeFile(file, `${await readFile(file, 'utf8')}\n// an innocent-looking edit\n`)
    await expect(migrate(db, { dir })).rejects.toThrow(MigrationError)
    await expect(migrate(db, { dir })).rejects.toThrow(
      /0001-constraints\.cypher was edited after it was applied/
    )
  })

  it('reports a failing statement with its file, position and text, and records nothing for it', async () => {
    const dir = join(scratch, 'broken')
    await cp(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true })
    await writeFile(
      join(dir, '9990-broken.cypher'),
      '// fails on purpose\n\nCREATE INDEX oops FOR (m:Movie) ON (;\n'
    )
    const error = await migrate(db, { dir }).then(
      () => new Error('migrate should have failed'),
      (err: unknown) => err as Error
    )
    expect(error).toBeInstanceOf(MigrationError)
    expect(error.message).toMatch(/^Migration 9990-broken\.cypher failed at statement 1 \(line 3\): /)
    expect(error.message).toContain('CREATE INDEX oops FOR (m:Movie) ON (')
    expect((await listApplied(db)).some((a) => a.version === 9990)).toBe(false)
  })
})
