import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { int } from '../../src/db/convert.js'
import type { Database } from '../../src/db/database.js'
import { MANIFEST_FILE } from '../../src/generate/dataset.js'
import { importMovieLens } from '../../src/ingest/import-movielens.js'
import { importTmdb } from '../../src/ingest/import-tmdb.js'
import { importTweets, loadHashtagMap } from '../../src/ingest/import-tweets.js'
import { parseTweetLine } from '../../src/ingest/tweets.js'
import { testDatabase } from '../helpers/neo4j.js'
import { aggregateDrift, deleteSpace, generateInSpace, idSpace, removeDir } from './import-helpers.js'
import type { IdSpace } from './import-helpers.js'

const SIZES = { movies: 300, users: 200, ratings: 12_000, tweets: 3_000 }

/** Lines [from, to) of a file's body (shares of its line count), with the header when it has one. */
async function slice(path: string, out: string, from: number, to: number, header: boolean): Promise<void> {
  const lines = (await readFile(path, 'utf8')).split('\n').filter((line) => line !== '')
  const head = header ? [lines.shift() as string] : []
  const part = lines.slice(Math.floor(lines.length * from), Math.floor(lines.length * to))
  await writeFile(out, [...head, ...part, ''].join('\n'))
}

describe('two importers at once on overlapping files', () => {
  let db: Database
  let space: IdSpace
  let dir: string
  const halves = ['a', 'b'] as const
  const ranges = { a: [0, 0.6], b: [0.4, 1] } as const

  beforeAll(async () => {
    db = testDatabase()
    space = idSpace(4)
    dir = await generateInSpace(space, { ...SIZES, seed: 4400 + (space.offset % 100) })
    for (const half of halves) {
      const [from, to] = ranges[half]
      const out = join(dir, half)
      await mkdir(out)
      for (const file of ['movies.csv', 'links.csv']) await copyFile(join(dir, file), join(out, file))
      for (const file of ['ratings.csv', 'tags.csv'])
        await slice(join(dir, file), join(out, file), from, to, true)
      for (const file of ['tmdb.jsonl', 'tweets.jsonl'])
        await slice(join(dir, file), join(out, file), from, to, false)
    }
  })

  afterAll(async () => {
    await deleteSpace(
      db,
      space,
      Array.from({ length: SIZES.users }, (_, i) => space.movieLensUser(i + 1))
    )
    await removeDir(dir)
    await db.close()
  })

  const range = () => ({ lo: int(space.offset), hi: int(space.offset + 1_999_999) })
  const inSpace = `MATCH (m:Movie) WHERE m.movielens_id >= $lo AND m.movielens_id <= $hi`

  it('leave no duplicate movies, users, ratings, tags, edges or reviews, and exact aggregates', async () => {
    const options = { batchSize: 250 }
    await Promise.all(halves.map((half) => importMovieLens(db, join(dir, half), options)))
    await Promise.all(halves.map((half) => importTmdb(db, join(dir, half, 'tmdb.jsonl'), options)))
    const hashtags = join(dir, 'hashtags.json')
    await Promise.all(
      halves.map((half) => importTweets(db, join(dir, half, 'tweets.jsonl'), { ...options, hashtags }))
    )

    const manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as {
      counts: { movies: number; ratings: number; tags: number }
    }
    const [counts] = await db.readRows<Record<string, number>>(
      `${inSpace}
       RETURN count(m) AS movies,
              sum(COUNT { (m)<-[:RATES]-(:Rating) }) AS ratings,
              sum(COUNT { (m)<-[:TAGGED]-(:User) }) AS tags,
              sum(COUNT { (m)<-[:REVIEWS]-(:Review) }) AS reviews`,
      range()
    )
    expect(counts).toMatchObject({
      movies: manifest.counts.movies,
      ratings: manifest.counts.ratings,
      tags: manifest.counts.tags
    })

    // What the whole tweets file holds: reviews of movies that exist, one per tweet id.
    const index = await loadHashtagMap(hashtags)
    const stored = await db.readRows<{ movie_id: string; tmdb_id: number | null }>(
      `${inSpace} RETURN m.movie_id AS movie_id, m.tmdb_id AS tmdb_id`,
      range()
    )
    const movieIds = new Set(stored.map((m) => m.movie_id))
    const tmdbIds = new Set(stored.map((m) => m.tmdb_id))
    const tweetIds = new Set<string>()
    for (const line of (await readFile(join(dir, 'tweets.jsonl'), 'utf8')).split('\n')) {
      const parsed = line === '' ? undefined : parseTweetLine(line, index)
      if (!parsed?.ok || parsed.value.kind !== 'review') continue
      const ref = parsed.value.movie
      if ('tmdb_id' in ref ? tmdbIds.has(ref.tmdb_id) : movieIds.has(ref.movie_id))
        tweetIds.add(parsed.value.tweet.tweet_id)
    }
    expect(counts?.reviews).toBe(tweetIds.size)

    const duplicates = await db.readRows<Record<string, number>>(
      `${inSpace}
       CALL (m) {
         MATCH (m)<-[:RATES]-(r:Rating)<-[:GAVE]-(u:User)
         WITH u, count(r) AS c WHERE c > 1 RETURN count(u) AS users_rating_twice
       }
       CALL (m) {
         MATCH (m)<-[:RATES]-(r:Rating) WHERE COUNT { (r)--() } <> 2 RETURN count(r) AS ratings_with_extra_edges
       }
       CALL (m) {
         MATCH (m)<-[t:TAGGED]-(u:User) WITH u, t.tag AS tag, count(t) AS c WHERE c > 1 RETURN count(u) AS repeated_tags
       }
       CALL (m) {
         MATCH (m)-[e:SIMILAR_TO|SAME_FRANCHISE]-(o:Movie)
         WITH o, type(e) AS type, count(e) AS c WHERE c > 1 RETURN count(o) AS repeated_edges
       }
       CALL (m) {
         MATCH (m)<-[:REVIEWS]-(r:Review)
         WHERE COUNT { (r)-[:REVIEWS]->() } <> 1
            OR size(coalesce(r.retweet_ids, [])) <>
               size(reduce(seen = [], x IN coalesce(r.retweet_ids, []) | CASE WHEN x IN seen THEN seen ELSE seen + x END))
            OR r.retweet_count <> CASE WHEN size(coalesce(r.retweet_ids, [])) > r.reported_retweet_count
                                       THEN size(r.retweet_ids) ELSE r.reported_retweet_count END
         RETURN count(r) AS bad_reviews
       }
       RETURN sum(users_rating_twice) AS users_rating_twice, sum(ratings_with_extra_edges) AS ratings_with_extra_edges,
              sum(repeated_tags) AS repeated_tags, sum(repeated_edges) AS repeated_edges,
              sum(bad_reviews) AS bad_reviews, sum(CASE WHEN m.ratings_stale OR m.reviews_stale THEN 1 ELSE 0 END) AS stale`,
      range()
    )
    expect(duplicates).toEqual([
      {
        users_rating_twice: 0,
        ratings_with_extra_edges: 0,
        repeated_tags: 0,
        repeated_edges: 0,
        bad_reviews: 0,
        stale: 0
      }
    ])
    const [userCount] = await db.readRows<{ n: number; distinct: number }>(
      `UNWIND $ids AS id MATCH (u:User {user_id: id}) RETURN count(u) AS n, count(DISTINCT id) AS distinct`,
      { ids: Array.from({ length: SIZES.users }, (_, i) => space.movieLensUser(i + 1)) }
    )
    expect(userCount?.n).toBe(userCount?.distinct)
    expect(await aggregateDrift(db, space)).toEqual([])
  }, 120_000)
})
