import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { int } from '../../src/db/convert.js'
import type { Database } from '../../src/db/database.js'
import { importMovieLens } from '../../src/ingest/import-movielens.js'
import { cinegraph } from '../helpers/cli.js'
import { waitFor } from '../helpers/wait-for.js'
import { testDatabase } from '../helpers/neo4j.js'
import {
  aggregateDrift,
  deleteSpace,
  generateInSpace,
  idSpace,
  removeDir,
  snapshot
} from './import-helpers.js'
import type { IdSpace } from './import-helpers.js'

const SIZES = { movies: 400, users: 300, ratings: 20_000, tweets: 0 }

async function ratingsIn(db: Database, space: IdSpace): Promise<number> {
  const [row] = await db.readRows<{ n: number }>(
    `MATCH (m:Movie) WHERE m.movielens_id >= $lo AND m.movielens_id <= $hi
     RETURN sum(COUNT { (m)<-[:RATES]-(:Rating) }) AS n`,
    { lo: int(space.offset), hi: int(space.offset + 1_000_000) }
  )
  return row?.n ?? 0
}

function users(space: IdSpace): string[] {
  return Array.from({ length: SIZES.users }, (_, i) => space.movieLensUser(i + 1))
}

describe('cinegraph import (a child process)', () => {
  let db: Database
  const spaces: IdSpace[] = []
  const dirs: string[] = []

  beforeAll(() => {
    db = testDatabase()
  })

  afterAll(async () => {
    for (const space of spaces) await deleteSpace(db, space, users(space))
    for (const dir of dirs) await removeDir(dir)
    await db.close()
  })

  it('killed half-way and run again, ends exactly as one clean run', async () => {
    // The same data twice, in two id spaces: one loaded cleanly, one killed and resumed.
    const clean = idSpace(3)
    const killed = idSpace(3)
    spaces.push(clean, killed)
    const seed = 4000 + (clean.offset % 1000)
    const cleanDir = await generateInSpace(clean, { ...SIZES, seed })
    const killedDir = await generateInSpace(killed, { ...SIZES, seed })
    dirs.push(cleanDir, killedDir)
    for (const dir of [cleanDir, killedDir]) {
      await rm(join(dir, 'tweets.jsonl'))
      await rm(join(dir, 'tmdb.jsonl'))
    }
    await importMovieLens(db, cleanDir)

    const first = cinegraph(['import', 'movielens', killedDir, '--batch-size', '500'])
    let exited = false
    void first.done.then(() => (exited = true))
    await waitFor(
      'a fifth of the ratings to be written',
      async () => {
        if (exited)
          throw new Error(`the import finished before it could be killed:\n${(await first.done).stderr}`)
        return (await ratingsIn(db, killed)) >= SIZES.ratings * 0.2
      },
      { timeoutMs: 120_000, intervalMs: 50 }
    )
    first.kill()
    expect((await first.done).signal).toBe('SIGKILL')
    const partial = await ratingsIn(db, killed)
    expect(partial).toBeGreaterThan(0)
    expect(partial).toBeLessThan(SIZES.ratings)

    const second = await cinegraph(['import', 'movielens', killedDir, '--batch-size', '500']).done
    // The generated files hold bad rows on purpose, so the run ends with exit code 2.
    expect(second.code).toBe(2)
    expect(second.stdout).toMatch(
      /ratings\.csv: read [\d,]+, created [\d,]+, updated 0, unchanged [\d,]+, rejected/
    )
    expect(second.stdout).toContain(`rejected rows: ${join(killedDir, 'ratings.csv.rejects.jsonl')}`)

    expect(await ratingsIn(db, killed)).toBe(SIZES.ratings)
    const resumed = await snapshot(db, killed)
    expect(resumed.movies.filter((m) => m.ratings_stale)).toEqual([])
    expect(resumed).toEqual(await snapshot(db, clean))
    expect(await aggregateDrift(db, killed)).toEqual([])
  }, 180_000)

  it('exits 0 when every row was taken and 1 when it cannot run', async () => {
    const space = idSpace(3)
    spaces.push(space)
    const dir = await generateInSpace(space, { movies: 3, users: 1, ratings: 0, tweets: 0, malformedRate: 0 })
    dirs.push(dir)
    const file = join(dir, 'one.jsonl')
    await writeFile(file, `${JSON.stringify({ id: space.id(1), title: 'Clean' })}\n`)
    const ok = await cinegraph(['import', 'tmdb', file]).done
    expect(ok.code).toBe(0)
    expect(ok.stdout).toContain('read 1, created 1, updated 0, unchanged 0, rejected 0')

    const failed = await cinegraph(['import', 'tweets', join(dir, 'missing.jsonl')]).done
    expect(failed.code).toBe(1)
    expect(failed.stderr).toMatch(/^error: .*missing\.jsonl/m)
  }, 60_000)
})
