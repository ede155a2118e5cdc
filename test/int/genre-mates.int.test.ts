/**
 * The most popular movies of a genre come from one of two plans: reading every member, or walking
 * the popularity index and keeping members. Both must give the same movies, including ties,
 * movies without popularity and a big genre whose members mostly have none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../src/db/database.js'
import { int } from '../../src/db/convert.js'
import { popularGenreMates } from '../../src/data/genres/genre-mates.js'
import { testDatabase, uid } from '../helpers/neo4j.js'

const K = 3
const prefix = uid('gm')
const genre = (name: string) => `${prefix}-${name}`
const id = (name: string) => `${prefix}-${name}`

const QUERY = `
MATCH (g:Genre {name: $genre})
CALL (g) {${popularGenreMates('g', 'NOT c.movie_id IN $exclude', '$walk')}
}
RETURN c.movie_id AS movie_id
`

interface ProfileNode {
  operatorType: string
  rows: number
  children: ProfileNode[]
}

/** Rows read from the popularity index, by a seek or a scan: 0 when the walk was switched off. */
function walkedRows(node: ProfileNode): number {
  const own = /^NodeIndex(SeekByRange|Scan)/.test(node.operatorType) ? Number(node.rows) : 0
  return node.children.reduce((sum, child) => sum + walkedRows(child), own)
}

let db: Database
let bigSize = 0

async function mates(name: string, exclude: string[] = [], walk = true) {
  const result = await db.read((tx) =>
    tx.run(`PROFILE ${QUERY}`, { genre: genre(name), exclude, walk, max_per_genre: int(K) })
  )
  const ids = result.records.map((r) => r.get('movie_id') as string).sort()
  return { ids, walked: walkedRows(result.summary.profile as unknown as ProfileNode) }
}

/** Members of a genre: the named ones, then `filler` more named `<name>-NNNNN` with the given popularity. */
function members(
  named: [string, number | null][],
  filler: number,
  popularity: (i: number) => number | null,
  name: string
) {
  const rows = named.map(([movie, pop]) => ({ movie_id: id(movie), popularity: pop }))
  for (let i = 0; i < filler; i++) {
    rows.push({ movie_id: id(`${name}-${String(i).padStart(5, '0')}`), popularity: popularity(i) })
  }
  return rows
}

beforeAll(async () => {
  db = testDatabase()
  const [count] = await db.readRows<{ movies: number }>('RETURN COUNT { (:Movie) } AS movies')
  // Big enough that the walk is chosen even if other test files add movies meanwhile.
  bigSize = Math.ceil(Math.sqrt(4 * K * ((count?.movies ?? 0) + 50_000))) + 50
  const genres: Record<string, { movie_id: string; popularity: number | null }[]> = {
    // Ties on the top value and on the last kept value; fillers well below, some without popularity.
    a: members(
      [
        ['a-top1', 50],
        ['a-top0', 50],
        ['a-mid1', 40],
        ['a-mid0', 40]
      ],
      bigSize,
      (i) => (i % 5 === 0 ? null : i % 5 === 1 ? 0 : 1 + (i % 7) / 10),
      'a'
    ),
    // One movie with popularity; the rest have none or 0, which rank alike, by movie_id.
    b: members([['b-pos', 2]], bigSize, (i) => (i % 2 === 0 ? null : 0), 'b'),
    c: [
      { movie_id: id('c-3'), popularity: 3 },
      { movie_id: id('c-none'), popularity: null },
      { movie_id: id('c-5b'), popularity: 5 },
      { movie_id: id('c-5a'), popularity: 5 },
      { movie_id: id('c-1'), popularity: 1 }
    ]
  }
  await db.write(async (tx) => {
    for (const [name, rows] of Object.entries(genres)) {
      await tx.run(
        `MERGE (g:Genre {name: $genre})
         WITH g
         UNWIND $rows AS row
         CREATE (m:Movie {movie_id: row.movie_id, title: row.movie_id})
         SET m.popularity = row.popularity
         CREATE (m)-[:IN_GENRE]->(g)`,
        { genre: genre(name), rows }
      )
    }
  })
})

afterAll(async () => {
  await db.write(async (tx) => {
    await tx.run('MATCH (m:Movie) WHERE m.movie_id STARTS WITH $prefix DETACH DELETE m', { prefix })
    await tx.run('MATCH (g:Genre) WHERE g.name STARTS WITH $prefix DETACH DELETE g', { prefix })
  })
  await db.close()
})

describe('the most popular movies of a genre', () => {
  it('walks the popularity index for a big genre, ties broken by movie_id', async () => {
    const top = await mates('a')
    expect(top.walked).toBeGreaterThan(0)
    expect(top.ids).toEqual([id('a-mid0'), id('a-top0'), id('a-top1')])
    const without = await mates('a', [id('a-top0')])
    expect(without.ids).toEqual([id('a-mid0'), id('a-mid1'), id('a-top1')])
  })

  it('reads the members when the walk comes up short, counting no popularity as 0', async () => {
    const top = await mates('b')
    expect(top.walked).toBeGreaterThan(0)
    expect(top.ids).toEqual([id('b-00000'), id('b-00001'), id('b-pos')])
  })

  it('reads the members of a big genre when the caller rules the walk out', async () => {
    const top = await mates('a', [], false)
    expect(top.walked).toBe(0)
    expect(top.ids).toEqual([id('a-mid0'), id('a-top0'), id('a-top1')])
  })

  it('never walks the index for a small genre', async () => {
    const top = await mates('c')
    expect(top.walked).toBe(0)
    expect(top.ids).toEqual([id('c-3'), id('c-5a'), id('c-5b')])
    expect((await mates('c', [id('c-5a')])).ids).toEqual([id('c-1'), id('c-3'), id('c-5b')])
  })
})
