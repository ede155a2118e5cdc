/**
 * Graph Data Science on the shared test server: the release every Neo4j path installs, and node
 * similarity over a planted graph small enough to work out by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../src/db/database.js'
import { GDS_VERSION } from '../../src/neo4j-local/version.js'
import { testDatabase, uid } from '../helpers/neo4j.js'

const prefix = uid('gds')
const graphName = `${prefix}-likes`

// a likes {x, y}, b likes {x, y, z}, c likes {z, w}: Jaccard(a, b) = 2/3, Jaccard(b, c) = 1/4, and a
// and c share nothing, so node similarity reports no pair for them.
const likes: [string, string[]][] = [
  ['a', ['x', 'y']],
  ['b', ['x', 'y', 'z']],
  ['c', ['z', 'w']]
]

let db: Database

beforeAll(async () => {
  db = testDatabase()
  await db.writeRows(
    `UNWIND $likes AS row
     CREATE (u:GdsTestUser {id: $prefix + '-' + row.user})
     WITH u, row
     UNWIND row.movies AS movie
     MERGE (m:GdsTestMovie {id: $prefix + '-' + movie})
     CREATE (u)-[:GDS_TEST_LIKES]->(m)`,
    { prefix, likes: likes.map(([user, movies]) => ({ user, movies })) }
  )
})

afterAll(async () => {
  await db.writeRows(
    'MATCH (n) WHERE (n:GdsTestUser OR n:GdsTestMovie) AND n.id STARTS WITH $prefix DETACH DELETE n',
    { prefix }
  )
  await db.close()
})

describe('Graph Data Science', () => {
  it('is the release the local runner pins', async () => {
    const [row] = await db.readRows<{ version: string }>('RETURN gds.version() AS version')
    expect(row?.version).toBe(GDS_VERSION)
    expect(GDS_VERSION).toBe('2.13.9')
  })

  it('scores node similarity over a projected graph as Jaccard does by hand', async () => {
    const [projected] = await db.readRows<{ nodes: number; relationships: number }>(
      `MATCH (u:GdsTestUser)-[:GDS_TEST_LIKES]->(m:GdsTestMovie)
       WHERE u.id STARTS WITH $prefix
       WITH gds.graph.project($graphName, u, m) AS g
       RETURN g.nodeCount AS nodes, g.relationshipCount AS relationships`,
      { prefix, graphName }
    )
    try {
      expect(projected).toEqual({ nodes: 7, relationships: 7 })
      const rows = await db.readRows<{ from: string; to: string; similarity: number }>(
        `CALL gds.nodeSimilarity.stream($graphName, {topK: 5, concurrency: 2})
         YIELD node1, node2, similarity
         RETURN gds.util.asNode(node1).id AS from, gds.util.asNode(node2).id AS to, similarity`,
        { graphName }
      )
      const scores = rows
        .map(({ from, to, similarity }) => [
          from.slice(prefix.length + 1),
          to.slice(prefix.length + 1),
          similarity
        ])
        .sort((p, q) => String(p).localeCompare(String(q)))
      expect(scores).toEqual([
        ['a', 'b', expect.closeTo(2 / 3, 12)],
        ['b', 'a', expect.closeTo(2 / 3, 12)],
        ['b', 'c', expect.closeTo(1 / 4, 12)],
        ['c', 'b', expect.closeTo(1 / 4, 12)]
      ])
    } finally {
      await db.readRows('CALL gds.graph.drop($graphName, false) YIELD graphName RETURN graphName', {
        graphName
      })
    }
  })
})
