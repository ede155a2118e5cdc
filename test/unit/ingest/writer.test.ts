import { describe, expect, it } from 'vitest'
import { Neo4jError } from 'neo4j-driver'
import { mapNeo4jError } from '../../../src/db/database.js'
import { ConflictError } from '../../../src/errors.js'
import { chunks, pipeline, writeOrSplit } from '../../../src/ingest/writer.js'

async function* from<T>(items: T[]): AsyncGenerator<T> {
  for (const item of items) yield item
}

const neoError = (message: string, code: string) => new Neo4jError(message, code, 'N/A', 'N/A')

const tick = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms))

describe('pipeline', () => {
  it('keeps at most `concurrency` batches in flight and writes every batch', async () => {
    let inFlight = 0
    let most = 0
    const written: number[] = []
    await pipeline(
      from([[1], [2], [3], [4], [5]]),
      async ([n]) => {
        inFlight++
        most = Math.max(most, inFlight)
        await tick(5)
        written.push(n as number)
        inFlight--
      },
      { concurrency: 2 }
    )
    expect(most).toBe(2)
    expect(written.sort()).toEqual([1, 2, 3, 4, 5])
  })

  it('starts a batch that shares a key with one in flight only after that one is done', async () => {
    const events: string[] = []
    await pipeline(
      from([
        ['a', 'b'],
        ['c', 'd'],
        ['b', 'e']
      ]),
      async (batch) => {
        events.push(`start ${batch.join('')}`)
        await tick(batch[0] === 'a' ? 30 : 1)
        events.push(`end ${batch.join('')}`)
      },
      { concurrency: 3, keys: (batch) => batch }
    )
    expect(events.indexOf('start be')).toBeGreaterThan(events.indexOf('end ab'))
    expect(events.indexOf('start cd')).toBeLessThan(events.indexOf('end ab'))
  })

  it('stops reading after a failed batch and rethrows its error', async () => {
    let read = 0
    async function* source(): AsyncGenerator<number> {
      for (let n = 0; n < 100; n++) {
        read++
        yield n
      }
    }
    await expect(
      pipeline(source(), async (n) => {
        await tick(1)
        if (n === 1) throw new Error('boom')
      })
    ).rejects.toThrow('boom')
    expect(read).toBeLessThan(5)
  })
})

describe('writeOrSplit', () => {
  it('halves a refused batch until only the rows at fault are left, and writes the others', async () => {
    const written: number[] = []
    const refused: Array<[number, string]> = []
    await writeOrSplit(
      [1, 2, 3, 4, 5, 6, 7],
      async (rows) => {
        if (rows.includes(3) || rows.includes(6))
          throw new ConflictError('Node already exists', { fields: [] })
        written.push(...rows)
      },
      async (row, reason) => {
        refused.push([row, reason])
      }
    )
    expect(written.sort()).toEqual([1, 2, 4, 5, 7])
    expect(refused).toEqual([
      [3, 'conflicts with an existing record: Node already exists'],
      [6, 'conflicts with an existing record: Node already exists']
    ])
  })

  it('names the properties the database module says clashed, and lets a conflict naming none through', async () => {
    const refused: string[] = []
    const conflict = mapNeo4jError(
      neoError(
        'Node(7) already exists with label `Movie` and property `tmdb_id` = 27205',
        'Neo.ClientError.Schema.ConstraintValidationFailed'
      )
    )
    await writeOrSplit(
      [1],
      async () => {
        throw conflict
      },
      async (_row, reason) => {
        refused.push(reason)
      }
    )
    expect(refused).toEqual(['conflicts with an existing record: another record already has this tmdb_id'])
    const deleted = mapNeo4jError(
      neoError('Unable to load NODE 4:abc:1.', 'Neo.ClientError.Statement.EntityNotFound')
    )
    await expect(
      writeOrSplit(
        [1, 2],
        async () => {
          throw deleted
        },
        async () => undefined
      )
    ).rejects.toBe(deleted)
  })

  it('lets any other error through', async () => {
    await expect(
      writeOrSplit(
        [1, 2],
        async () => {
          throw new Error('database down')
        },
        async () => undefined
      )
    ).rejects.toThrow('database down')
  })
})

describe('chunks', () => {
  it('splits a list into chunks', () => {
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]])
  })
})
