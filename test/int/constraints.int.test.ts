import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../src/db/database.js'
import { int } from '../../src/db/convert.js'
import { ConflictError } from '../../src/errors.js'
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
    const tmdbId = 900_000_000 + Math.floor(Math.random() * 99_000_000)
    const create = 'CREATE (:Movie {movie_id: $id, tmdb_id: $tmdb, test_tag: $tag})'
    await db.writeRows(create, { id: uid('m'), tmdb: int(tmdbId), tag })
    await expect(db.writeRows(create, { id: uid('m'), tmdb: int(tmdbId), tag })).rejects.toBeInstanceOf(
      ConflictError
    )
    const [row] = await db.readRows<{ n: number; type: string }>(
      'MATCH (m:Movie {tmdb_id: $tmdb}) RETURN count(m) AS n, valueType(m.tmdb_id) AS type',
      { tmdb: int(tmdbId) }
    )
    expect(row).toEqual({ n: 1, type: 'INTEGER NOT NULL' })
  })

  it('refuses a second genre with the same tmdb_genre_id, naming the property', async () => {
    const tmdb = int(1_000_000_000 + Math.floor(Math.random() * 1_000_000_000))
    const create = 'CREATE (:Genre {name: $name, tmdb_genre_id: $tmdb, test_tag: $tag})'
    await db.writeRows(create, { name: uid('genre'), tmdb, tag })
    const refusal = await db.writeRows(create, { name: uid('genre'), tmdb, tag }).catch((err: unknown) => err)
    expect(refusal).toBeInstanceOf(ConflictError)
    expect((refusal as ConflictError).details).toMatchObject({ fields: ['tmdb_genre_id'] })
  })

  it('refuses a second review with the same tweet_id as a conflict', async () => {
    const tweetId = `${Date.now()}${Math.floor(Math.random() * 1e6)}`
    const create = 'CREATE (:Review {review_id: $id, tweet_id: $tweet, test_tag: $tag})'
    await db.writeRows(create, { id: uid('r'), tweet: tweetId, tag })
    await expect(db.writeRows(create, { id: uid('r'), tweet: tweetId, tag })).rejects.toBeInstanceOf(
      ConflictError
    )
  })

  it('round-trips the largest 64-bit tweet id exactly, as a string', async () => {
    // The reviews API tests use the same id; share it rather than delete a review they own.
    const tweetId = '9223372036854775807'
    const reviewId = uid('r')
    let created = true
    try {
      await db.writeRows('CREATE (:Review {review_id: $id, tweet_id: $tweet, test_tag: $tag})', {
        id: reviewId,
        tweet: tweetId,
        tag
      })
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err
      created = false
    }
    const [row] = await db.readRows<{ tweet_id: string; type: string }>(
      'MATCH (r:Review {tweet_id: $tweet}) RETURN r.tweet_id AS tweet_id, valueType(r.tweet_id) AS type',
      { tweet: tweetId }
    )
    expect(row).toEqual({ tweet_id: '9223372036854775807', type: 'STRING NOT NULL' })
    if (created) await db.writeRows('MATCH (r:Review {review_id: $id}) DETACH DELETE r', { id: reviewId })
  })
})
