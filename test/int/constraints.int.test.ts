import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../src/db/database.js'
import { int } from '../../src/db/convert.js'
import { ConflictError } from '../../src/errors.js'
import { digitsBetween, INT64_MAX, MAX_SAFE, tmdbId, tweetId } from '../helpers/ids.js'
import { testDatabase, uid } from '../helpers/neo4j.js'

describe('uniqueness constraints and value types against real Neo4j', () => {
  let db: Database
  const tag = uid('constraints')
  beforeAll(() => {
    db = testDatabase()
  })
  afterAll(async () => {
    await db.writeRows('MATCH (n {test_tag: $tag}) DETACH DELETE n', { tag })
    await db.close()
  })

  it('refuses a second movie with the same tmdb_id as a conflict', async () => {
    const tmdb = int(tmdbId())
    const create = 'CREATE (:Movie {movie_id: $id, tmdb_id: $tmdb, test_tag: $tag})'
    await db.writeRows(create, { id: uid('m'), tmdb, tag })
    await expect(db.writeRows(create, { id: uid('m'), tmdb, tag })).rejects.toBeInstanceOf(ConflictError)
    const [row] = await db.readRows<{ n: number; type: string }>(
      'MATCH (m:Movie {tmdb_id: $tmdb}) RETURN count(m) AS n, valueType(m.tmdb_id) AS type',
      { tmdb }
    )
    expect(row).toEqual({ n: 1, type: 'INTEGER NOT NULL' })
  })

  it('refuses a second genre with the same tmdb_genre_id, naming the property', async () => {
    const tmdb = int(tmdbId())
    const create = 'CREATE (:Genre {name: $name, tmdb_genre_id: $tmdb, test_tag: $tag})'
    await db.writeRows(create, { name: uid('genre'), tmdb, tag })
    const refusal = await db.writeRows(create, { name: uid('genre'), tmdb, tag }).catch((err: unknown) => err)
    expect(refusal).toBeInstanceOf(ConflictError)
    expect((refusal as ConflictError).details).toMatchObject({ fields: ['tmdb_genre_id'] })
  })

  it('refuses a second review with the same tweet_id as a conflict', async () => {
    const tweet = tweetId()
    const create = 'CREATE (:Review {review_id: $id, tweet_id: $tweet, test_tag: $tag})'
    await db.writeRows(create, { id: uid('r'), tweet, tag })
    await expect(db.writeRows(create, { id: uid('r'), tweet, tag })).rejects.toBeInstanceOf(ConflictError)
  })

  it('round-trips a tweet id at the top of the 64-bit range exactly, as a string', async () => {
    // 19 digits at most 2^63 - 1, far beyond 2^53: a number on the way would lose its last digits.
    const tweet = digitsBetween(INT64_MAX - MAX_SAFE, INT64_MAX)
    expect(BigInt(tweet) > MAX_SAFE && tweet.length === 19).toBe(true)
    await db.writeRows('CREATE (:Review {review_id: $id, tweet_id: $tweet, test_tag: $tag})', {
      id: uid('r'),
      tweet,
      tag
    })
    const [row] = await db.readRows<{ tweet_id: string; type: string }>(
      'MATCH (r:Review {tweet_id: $tweet}) RETURN r.tweet_id AS tweet_id, valueType(r.tweet_id) AS type',
      { tweet }
    )
    expect(row).toEqual({ tweet_id: tweet, type: 'STRING NOT NULL' })
  })
})
