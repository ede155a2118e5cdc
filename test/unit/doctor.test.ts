import { describe, expect, it } from 'vitest'
import { exitCodeOf, formatCheck, formatVerdict } from '../../src/cli/doctor-command.js'
import { splitCypher } from '../../src/db/cypher-script.js'
import type { MigrationFile } from '../../src/db/migrate.js'
import { loadMigrations } from '../../src/db/migrate.js'
import type { CheckResult, DoctorReport } from '../../src/doctor/doctor.js'
import { declaredSchema, schemaProblems } from '../../src/doctor/schema.js'
import type { IndexRow } from '../../src/doctor/schema.js'
import { repairList } from '../../src/doctor/similar-lists.js'

function migration(version: number, source: string): MigrationFile {
  const file = `${String(version).padStart(4, '0')}-m${version}.cypher`
  return { version, name: `m${version}`, file, checksum: 'x', statements: splitCypher(source) }
}

const online = (name: string, extra: Partial<IndexRow> = {}): IndexRow => ({
  name,
  type: 'RANGE',
  state: 'ONLINE',
  population_percent: 100,
  failure_message: null,
  owning_constraint: null,
  ...extra
})

describe('declaredSchema', () => {
  it('names every constraint and index the migrations create, less those a later one drops', () => {
    const declared = declaredSchema([
      migration(
        2,
        'CREATE FULLTEXT INDEX movie_title_fulltext IF NOT EXISTS FOR (m:Movie) ON EACH [m.title];\nDROP INDEX old_one;'
      ),
      migration(
        1,
        'CREATE CONSTRAINT movie_movie_id IF NOT EXISTS FOR (m:Movie) REQUIRE m.movie_id IS UNIQUE;\n' +
          'CREATE INDEX old_one IF NOT EXISTS FOR (m:Movie) ON (m.year);\n' +
          'MATCH (m:Movie) SET m.x = 1;'
      )
    ])
    expect(declared.map((d) => [d.name, d.kind, d.file])).toEqual([
      ['movie_movie_id', 'constraint', '0001-m1.cypher'],
      ['movie_title_fulltext', 'index', '0002-m2.cypher']
    ])
    expect(declared[0]?.statement.text).toMatch(/^CREATE CONSTRAINT movie_movie_id IF NOT EXISTS/)
  })

  it("finds the project's own migrations' schema, relationship indexes included", async () => {
    const names = declaredSchema(await loadMigrations()).map((d) => d.name)
    expect(names).toEqual(
      expect.arrayContaining(['movie_movie_id', 'movie_title_fulltext', 'similar_to_updated_at'])
    )
  })
})

describe('schemaProblems', () => {
  const declared = declaredSchema([
    migration(
      1,
      'CREATE CONSTRAINT movie_movie_id IF NOT EXISTS FOR (m:Movie) REQUIRE m.movie_id IS UNIQUE;\n' +
        'CREATE INDEX movie_year IF NOT EXISTS FOR (m:Movie) ON (m.year);'
    )
  ])

  it('is empty when every declared name exists and every index is ONLINE', () => {
    expect(
      schemaProblems(declared, [online('movie_movie_id'), online('movie_year')], ['movie_movie_id'])
    ).toEqual([])
  })

  it('reports missing ones with the migration that creates them, then indexes not ONLINE', () => {
    const problems = schemaProblems(
      declared,
      [
        online('movie_movie_id', {
          state: 'FAILED',
          failure_message: 'duplicate',
          owning_constraint: 'movie_movie_id'
        }),
        online('analyst_index', { state: 'POPULATING', population_percent: 40 })
      ],
      ['movie_movie_id']
    )
    expect(problems).toEqual([
      { name: 'movie_year', problem: 'missing', kind: 'index', file: '0001-m1.cypher' },
      {
        name: 'movie_movie_id',
        problem: 'not_online',
        kind: 'constraint',
        state: 'FAILED',
        population_percent: 100,
        failure_message: 'duplicate'
      },
      {
        name: 'analyst_index',
        problem: 'not_online',
        kind: 'index',
        state: 'POPULATING',
        population_percent: 40
      }
    ])
  })
})

describe('repairList', () => {
  const entry = (score: number) => [score, 0, 0.5, null, 0, null, 3, null, 'tmdb']
  const stored = {
    movie_id: 'm',
    ids: ['a', 'gone', 'b', 'gone-too'],
    scores: [0.9, 0.8, 0.7, 0.6],
    list: JSON.stringify([entry(0.9), entry(0.8), entry(0.7), entry(0.6)]),
    dead: ['gone', 'gone-too']
  }

  it('takes the deleted movies out of all three arrays, keeping them entry for entry', () => {
    expect(repairList(stored)).toEqual({
      movie_id: 'm',
      ids: ['a', 'b'],
      scores: [0.9, 0.7],
      list: JSON.stringify([entry(0.9), entry(0.7)])
    })
  })

  it('keeps a list without its JSON part as two arrays', () => {
    expect(repairList({ ...stored, list: null })).toMatchObject({
      ids: ['a', 'b'],
      scores: [0.9, 0.7],
      list: null
    })
  })

  it('removes a list left empty, out of step, or unreadable', () => {
    const removed = { movie_id: 'm', ids: null, scores: null, list: null }
    expect(repairList({ ...stored, dead: ['a', 'gone', 'b', 'gone-too'] })).toEqual(removed)
    expect(repairList({ ...stored, scores: [0.9] })).toEqual(removed)
    expect(repairList({ ...stored, scores: null })).toEqual(removed)
    expect(repairList({ ...stored, list: '[[0.9]]' })).toEqual(removed)
    expect(repairList({ ...stored, list: '{not json' })).toEqual(removed)
  })
})

describe('doctor output', () => {
  const result = (over: Partial<CheckResult>): CheckResult => ({
    name: 'orphan-ratings',
    description: 'ratings without their movie or user',
    count: 0,
    examples: [],
    duration_ms: 1200,
    ...over
  })
  const report = (checks: CheckResult[], repair = false): DoctorReport => ({
    ok: checks.every((c) => (c.repair ? c.repair.left.count : c.count) === 0),
    repair,
    checks
  })

  it('prints a check that holds on one line', () => {
    expect(formatCheck(result({}))).toEqual([
      'ok    orphan-ratings 0 ratings without their movie or user (1.2 s)'
    ])
  })

  it('names the examples of what it found, and what a repair did and left', () => {
    const found = result({ count: 2, examples: [{ rating_id: 'r1', movie_id: null }] })
    expect(formatCheck(found)).toEqual([
      'FOUND orphan-ratings 2 ratings without their movie or user (1.2 s)',
      '        rating_id: r1, movie_id: null'
    ])
    const repaired = {
      ...found,
      repair: { summary: 'deleted 2 ratings', changed: 2, duration_ms: 300, left: { count: 0, examples: [] } }
    }
    expect(formatCheck(repaired)).toEqual([
      'fixed orphan-ratings 2 ratings without their movie or user (1.2 s)',
      '        rating_id: r1, movie_id: null',
      '      repaired: deleted 2 ratings (0.3 s); left: 0'
    ])
  })

  it('says why what is left could not be repaired', () => {
    const left = result({
      name: 'indexes',
      description: 'constraints or indexes missing or not ONLINE',
      count: 1,
      examples: [{ name: 'x', problem: 'not_online', state: 'FAILED' }],
      unrepairable: 'not here',
      repair: {
        summary: 'created none',
        changed: 0,
        duration_ms: 0,
        left: {
          count: 1,
          examples: [{ name: 'x', problem: 'not_online', state: 'FAILED' }],
          unrepairable: 'not here'
        }
      }
    })
    const lines = formatCheck(left)
    expect(lines[0]).toMatch(/^FOUND indexes/)
    expect(lines.at(-1)).toBe('      note: not here')
    expect(formatVerdict(report([left], true))).toBe('left after repairing: indexes (1)')
    expect(exitCodeOf(report([left], true))).toBe(1)
  })

  it('exits 0 only when everything holds, or was repaired', () => {
    const clean = report([result({})])
    expect(formatVerdict(clean)).toBe('all 1 checks hold')
    expect(exitCodeOf(clean)).toBe(0)
    const found = report([result({ count: 3 })])
    expect(formatVerdict(found)).toMatch(/^found: orphan-ratings \(3\); `cinegraph doctor --repair`/)
    expect(exitCodeOf(found)).toBe(1)
    const fixed = report(
      [
        result({
          count: 3,
          repair: { summary: 's', changed: 3, duration_ms: 0, left: { count: 0, examples: [] } }
        })
      ],
      true
    )
    expect(formatVerdict(fixed)).toBe('all 1 checks hold (1 repaired)')
    expect(exitCodeOf(fixed)).toBe(0)
  })
})
