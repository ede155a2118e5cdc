import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../src/db/database.js'
import { importMovieLens } from '../../src/ingest/import-movielens.js'
import { importTmdb } from '../../src/ingest/import-tmdb.js'
import { importTweets } from '../../src/ingest/import-tweets.js'
import { scoreSentiment } from '../../src/lib/sentiment.js'
import { testDatabase } from '../helpers/neo4j.js'
import { FixtureSpaces, aggregateDrift, readRejects, snapshot } from './import-helpers.js'
import type { FixtureCopy, IdSpace } from './import-helpers.js'

const USERS = [1, 2, 3, 10, 18, 62, 474]

describe('importTweets', () => {
  let db: Database
  const made = new FixtureSpaces(2)

  /** The fixture movies in a space of their own, ready for tweets: MovieLens's first unless TMDB's are asked for. */
  async function withMovies(
    first: 'movielens' | 'tmdb' = 'movielens'
  ): Promise<{ space: IdSpace; copy: FixtureCopy }> {
    const { space, copy } = await made.next()
    if (first === 'tmdb') await importTmdb(db, copy.tmdb)
    await importMovieLens(db, copy.movielens)
    if (first === 'movielens') await importTmdb(db, copy.tmdb)
    return { space, copy }
  }

  /** Writes `tweets`, one JSON line each, into the copy's directory as `name`; returns the path. */
  async function tweetFile(copy: FixtureCopy, name: string, ...tweets: object[]): Promise<string> {
    const file = join(copy.dir, name)
    await writeFile(file, tweets.map((tweet) => JSON.stringify(tweet)).join('\n'))
    return file
  }

  beforeAll(() => {
    db = testDatabase()
  })

  afterAll(async () => {
    await made.remove(db, USERS)
    await db.close()
  })

  it('loads the fixture with exact counts, values and rejects, and a second import changes nothing', async () => {
    const { space, copy } = await withMovies()
    const first = await importTweets(db, copy.tweets, { batchSize: 100, hashtags: copy.hashtags })
    expect([first.read, first.created, first.updated, first.unchanged, first.rejected]).toEqual([
      14, 5, 1, 0, 8
    ])
    const rejects = await readRejects(`${copy.tweets}.rejects.jsonl`)
    const original = space.tweet('1234567890123456789')
    expect(rejects.map((r) => [r.line, r.reason.replace(/ at position \d+.*/, '')])).toEqual([
      [7, 'tweet id must be a string of digits, got a number'],
      [8, 'invalid JSON: Unterminated string in JSON'],
      [9, 'missing field text'],
      [10, 'unknown referenced_tweets type "liked"'],
      [11, 'no movie for this tweet: no movie_id or tmdb_id beside it and no hashtag in the hashtag map'],
      [12, 'hashtags name 2 different movies: #Inception, #SpiritedAway'],
      [13, 'created_at must be an ISO 8601 timestamp with a zone, got "yesterday"'],
      [1, `duplicate key ${original} inside one batch (line 15 kept)`]
    ])

    const graph = await snapshot(db, space)
    const review = (tweetId: string) =>
      graph.reviews.find((r) => (r.review as { tweet_id: string }).tweet_id === tweetId) as {
        movie_id: string
        review: Record<string, unknown>
        degree: number
      }
    expect(graph.reviews).toHaveLength(5)
    const text = 'Just rewatched #Inception and the hallway fight still holds up.'
    const inception = review(original)
    expect(inception.movie_id).toBe('ml-79132')
    expect(inception.review).toMatchObject({
      tweet_id: original,
      source: 'tweet',
      content: text,
      language: 'en',
      created_at: '2020-07-16T18:04:12.000Z',
      twitter_author_id: '2244994945',
      reported_retweet_count: 13,
      retweet_count: 13,
      retweet_ids: [space.tweet('1285300000000000001')],
      like_count: 150,
      reply_count: 3,
      quote_count: 1,
      hashtags: ['Inception'],
      sentiment_score: scoreSentiment(text).score,
      sentiment_label: scoreSentiment(text).label
    })
    expect(BigInt(original) > 2n ** 53n).toBe(true)
    const [stored] = await db.readRows<{ review_id: string; tweet_id: string }>(
      'MATCH (r:Review {tweet_id: $id}) RETURN r.review_id AS review_id, r.tweet_id AS tweet_id',
      { id: original }
    )
    expect(stored).toEqual({ review_id: `tweet-${original}`, tweet_id: original })

    const spirited = review(space.tweet('1285291475123456000'))
    expect(spirited.movie_id).toBe('ml-5618')
    expect(spirited.review).toMatchObject({
      content: '千と千尋の神隠し、何度観ても泣ける。',
      language: 'ja',
      retweet_count: 40
    })
    // Wrapped in { data }, with movie_id beside it.
    expect(review(space.tweet('1285299999999999999')).movie_id).toBe('ml-4973')
    // A reply: kept as a review, its time put in UTC.
    expect(review(space.tweet('1285300000000000002')).review).toMatchObject({
      created_at: '2020-07-20T10:00:00.000Z',
      in_reply_to_tweet_id: original,
      hashtags: ['INCEPTION']
    })
    expect(review(space.tweet('1285300000000000003')).movie_id).toBe('ml-5618')
    expect(graph.reviews.every((r) => r.degree === 1)).toBe(true)

    const inceptionMovie = graph.movies.find((m) => m.movie_id === 'ml-79132')
    const scores = [
      scoreSentiment(text).score,
      scoreSentiment('#INCEPTION is overrated, sorry. The ending made no sense.').score
    ]
    expect(inceptionMovie).toMatchObject({ review_count: 2 })
    expect(inceptionMovie?.sentiment_mean).toBeCloseTo((scores[0]! + scores[1]!) / 2, 12)
    expect(inceptionMovie?.reviews_stale).toBeUndefined()
    expect(await aggregateDrift(db, space)).toEqual([])

    const second = await importTweets(db, copy.tweets, { batchSize: 100, hashtags: copy.hashtags })
    expect([second.read, second.created, second.updated, second.unchanged, second.rejected]).toEqual([
      14, 0, 0, 6, 8
    ])
    expect(await snapshot(db, space)).toEqual(graph)
  })

  it('converges from hand edits: reviews deleted, unlinked or doubly linked come back, with true counts', async () => {
    const { space, copy } = await withMovies()
    const options = { batchSize: 100, hashtags: copy.hashtags }
    await importTweets(db, copy.tweets, options)
    const clean = await snapshot(db, space)
    const params = {
      original: space.tweet('1234567890123456789'),
      reply: space.tweet('1285300000000000002'),
      amelie: space.tweet('1285299999999999999'),
      spirited: space.movieLensMovie(5618),
      toy: space.movieLensMovie(1)
    }
    for (const edit of [
      // Spirited Away goes; its two reviews stay behind without their edge.
      'MATCH (m:Movie {movie_id: $spirited}) DETACH DELETE m',
      // The Inception tweet is deleted (and with it the retweet counted on it).
      'MATCH (r:Review {tweet_id: $original}) DETACH DELETE r',
      "MATCH (r:Review {tweet_id: $reply}) SET r.content = 'edited'",
      // The Amélie review is also linked to Toy Story.
      'MATCH (r:Review {tweet_id: $amelie}), (m:Movie {movie_id: $toy}) CREATE (r)-[:REVIEWS]->(m)'
    ]) {
      await db.writeRows(edit, params)
    }
    // The movies come back first, as they would in a full re-import.
    await importMovieLens(db, copy.movielens)
    await importTmdb(db, copy.tmdb)

    const again = await importTweets(db, copy.tweets, options)
    // Created: the deleted tweet; updated: the two unlinked, the edited, the doubly linked one,
    // and the retweet counted again on the recreated original.
    expect([again.read, again.created, again.updated, again.unchanged, again.rejected]).toEqual([
      14, 1, 5, 0, 8
    ])
    expect(await snapshot(db, space)).toEqual(clean)
    expect(await aggregateDrift(db, space)).toEqual([])
    const last = await importTweets(db, copy.tweets, options)
    expect([last.created, last.updated, last.unchanged]).toEqual([0, 0, 6])
  })

  it('counts a retweet that comes before its original, and refuses one whose original never comes', async () => {
    const { space, copy } = await withMovies()
    const id = (n: number) => space.tweet(String(1_300_000_000_000_000_000n + BigInt(n)))
    const lines = [
      { id: id(1), text: 'RT', referenced_tweets: [{ type: 'retweeted', id: id(2) }] },
      { id: id(2), text: 'Loved it', created_at: '2021-01-01T00:00:00Z', tmdb_id: space.id(27205) },
      { id: id(3), text: 'RT', referenced_tweets: [{ type: 'retweeted', id: id(9) }] },
      { id: id(4), text: 'Hmm', created_at: '2021-01-01T00:00:00Z', tmdb_id: space.id(777_777) },
      {
        id: id(5),
        text: 'Calibrated',
        created_at: '2021-01-01T00:00:00Z',
        tmdb_id: space.id(129),
        sentiment_score: -0.5
      }
    ]
    const file = await tweetFile(copy, 'more.jsonl', ...lines)
    const summary = await importTweets(db, file, { batchSize: 1 })
    expect([summary.created, summary.updated, summary.rejected]).toEqual([2, 1, 2])
    expect((await readRejects(`${file}.rejects.jsonl`)).map((r) => [r.line, r.reason])).toEqual([
      [4, `unknown movie: no movie with tmdb_id ${space.id(777_777)}`],
      [3, `retweet of tweet ${id(9)}, which is not stored`]
    ])
    const graph = await snapshot(db, space)
    const find = (tweetId: string) =>
      graph.reviews.find((r) => (r.review as { tweet_id: string }).tweet_id === tweetId)
    expect(find(id(2))?.review).toMatchObject({ retweet_count: 1, retweet_ids: [id(1)] })
    expect(find(id(5))?.review).toMatchObject({ sentiment_score: -0.5, sentiment_label: 'negative' })
    expect(find(id(1))).toBeUndefined()
    expect(await aggregateDrift(db, space)).toEqual([])
  })

  it('finds a movie named ml-<movieId> by its MovieLens id when TMDB named it first', async () => {
    const { space, copy } = await withMovies('tmdb')
    const tweet = {
      id: space.tweet('1400000000000000009'),
      text: 'Dreams within dreams',
      created_at: '2021-03-03T00:00:00Z'
    }
    const file = await tweetFile(copy, 'by-movielens.jsonl', {
      ...tweet,
      movie_id: space.movieLensMovie(79132)
    })
    expect(await importTweets(db, file)).toMatchObject({ created: 1, rejected: 0 })
    const graph = await snapshot(db, space)
    expect(graph.reviews.map((r) => r.movie_id)).toEqual(['tmdb-27205'])
  })

  it('moves a review whose movie changed, taking its aggregates along', async () => {
    const { space, copy } = await withMovies()
    const tweet = {
      id: space.tweet('1400000000000000001'),
      text: 'What a film',
      created_at: '2021-02-02T00:00:00Z'
    }
    await importTweets(db, await tweetFile(copy, 'moved.jsonl', { ...tweet, tmdb_id: space.id(27205) }))
    const moved = await importTweets(
      db,
      await tweetFile(copy, 'moved.jsonl', { ...tweet, tmdb_id: space.id(129) })
    )
    expect([moved.created, moved.updated]).toEqual([0, 1])
    const graph = await snapshot(db, space)
    expect(graph.reviews.map((r) => [r.movie_id, r.degree])).toEqual([['ml-5618', 1]])
    expect(graph.movies.find((m) => m.movie_id === 'ml-79132')).toMatchObject({
      review_count: 0,
      sentiment_sum: 0
    })
    expect(await aggregateDrift(db, space)).toEqual([])
  })
})
