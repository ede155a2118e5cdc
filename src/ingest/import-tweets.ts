/**
 * `importTweets`: Twitter API v2 tweets, one per line, as `Review {source: 'tweet'}` of the movie
 * each is about. Reviews are keyed by tweet_id; a new one gets review_id `tweet-<tweet_id>`, and
 * its sentiment is scored with the service's VADER scorer unless a score came with the tweet.
 *
 * A retweet is not a review: it is counted on the stored original, once per retweet id, so a
 * re-import counts nothing twice. Retweets whose original is not stored yet wait until the end of
 * the run (their original may come later in the file); those still without one are refused.
 */
import { readFile } from 'node:fs/promises'
import { int } from '../db/convert.js'
import { rows } from '../db/database.js'
import type { Database } from '../db/database.js'
import { scoreSentiment } from '../lib/sentiment.js'
import { batchSizeOf, concurrencyOf, importOneFile } from './file-run.js'
import type { FileRun, ImportOptions, ImportSummary } from './file-run.js'
import { readLines } from './input.js'
import type { Input } from './input.js'
import { planTweet } from './plan.js'
import type { StoredTweet } from './plan.js'
import {
  COUNTED_RETWEETS,
  COUNT_RETWEETS,
  RESOLVE_TWEET_MOVIES,
  STORED_TWEETS,
  WRITE_TWEET_REVIEWS
} from './queries.js'
import { lineRows } from './rows.js'
import type { Located } from './rows.js'
import { parseHashtagMap, parseTweetLine } from './tweets.js'
import type { HashtagIndex, MovieRef, Retweet, TweetRecord, TweetReview } from './tweets.js'
import { chunks, pipeline, refreshStaleAggregates, writeBatch, writeOrSplit } from './writer.js'

/** Retweets held back for their original; beyond this many they are refused at once. */
const MAX_WAITING_RETWEETS = 100_000

export async function loadHashtagMap(path: string): Promise<HashtagIndex> {
  let json: unknown
  try {
    json = JSON.parse(await readFile(path, 'utf8'))
  } catch (error) {
    throw new Error(`hashtag map ${path}: ${error instanceof Error ? error.message : String(error)}`)
  }
  const parsed = parseHashtagMap(json)
  if (!parsed.ok) throw new Error(`hashtag map ${path}: ${parsed.reason}`)
  return parsed.value
}

function refKey(ref: MovieRef): string {
  return 'tmdb_id' in ref ? `tmdb_id:${ref.tmdb_id}` : `movie_id:${ref.movie_id}`
}

function describeRef(ref: MovieRef): string {
  return 'tmdb_id' in ref ? `tmdb_id ${ref.tmdb_id}` : `movie_id '${ref.movie_id}'`
}

/** Movies named by tweets, resolved once per run (misses included, as null). */
class MovieRefs {
  private readonly known = new Map<string, string | null>()

  constructor(private readonly db: Database) {}

  async resolve(refs: MovieRef[]): Promise<void> {
    const movieIds = new Set<string>()
    const tmdbIds = new Set<number>()
    for (const ref of refs) {
      if (this.known.has(refKey(ref))) continue
      if ('tmdb_id' in ref) tmdbIds.add(ref.tmdb_id)
      else movieIds.add(ref.movie_id)
    }
    if (movieIds.size === 0 && tmdbIds.size === 0) return
    const found = await this.db.readRows<{ kind: string; ref: string; movie_id: string }>(
      RESOLVE_TWEET_MOVIES,
      {
        movie_ids: [...movieIds],
        tmdb_ids: [...tmdbIds].map((id) => int(id))
      }
    )
    for (const row of found) this.known.set(`${row.kind}:${row.ref}`, row.movie_id)
    for (const id of movieIds) if (!this.known.has(`movie_id:${id}`)) this.known.set(`movie_id:${id}`, null)
    for (const id of tmdbIds) if (!this.known.has(`tmdb_id:${id}`)) this.known.set(`tmdb_id:${id}`, null)
  }

  get(ref: MovieRef): string | null {
    return this.known.get(refKey(ref)) ?? null
  }
}

export async function importTweets(
  db: Database,
  input: string,
  options: ImportOptions = {}
): Promise<ImportSummary> {
  // A bad map fails the import before the input is opened or an earlier rejects file removed.
  const hashtags = options.hashtags === undefined ? new Map() : await loadHashtagMap(options.hashtags)
  return importOneFile(input, 'tweets', options, async (source, fileRun) => {
    await loadTweets(db, source, fileRun, hashtags, options)
    return {}
  })
}

async function loadTweets(
  db: Database,
  source: Input,
  fileRun: FileRun,
  hashtags: HashtagIndex,
  options: ImportOptions
): Promise<void> {
  const size = batchSizeOf(options)
  const movies = new MovieRefs(db)
  const waiting: Located<Retweet>[] = []
  const grouped = fileRun.batches(lineRows(readLines(source)), (line) => parseTweetLine(line, hashtags), {
    size,
    key: tweetKey
  })
  const wait = async (row: Located<Retweet>): Promise<void> => {
    if (waiting.length < MAX_WAITING_RETWEETS) waiting.push(row)
    else await fileRun.reject(row, notStored(row.value))
  }
  await pipeline(
    grouped,
    async (batch) => {
      const reviews = batch.filter((row): row is Located<TweetReview> => row.value.kind === 'review')
      const retweets = batch.filter((row): row is Located<Retweet> => row.value.kind === 'retweet')
      const known = await withMovies(fileRun, reviews, movies)
      const state = await storedState(db, fileRun, known, retweets)
      const written = await writeReviews(db, fileRun, known, state.tweets)
      // A retweet is written only when it is new; one whose original is neither stored nor in this
      // batch waits for the end of the file, where its original may have turned up.
      const toCount: Located<Retweet>[] = []
      for (const row of retweets) {
        const counted = state.retweets.get(row.value.of)
        if (counted?.has(row.value.tweet_id)) fileRun.count({ unchanged: 1 })
        else if (counted || written.has(row.value.of)) toCount.push(row)
        else await wait(row)
      }
      for (const row of await countRetweets(db, fileRun, toCount)) await wait(row)
    },
    { concurrency: concurrencyOf(options), keys: (batch) => batch.map(tweetKey) }
  )
  for (const part of chunks(waiting, size)) {
    for (const row of await countRetweets(db, fileRun, part)) await fileRun.reject(row, notStored(row.value))
  }
  await refreshStaleAggregates(db, 'reviews', fileRun)
}

function tweetKey(row: Located<TweetRecord>): string {
  return row.value.kind === 'review' ? row.value.tweet.tweet_id : row.value.tweet_id
}

function notStored(retweet: Retweet): string {
  return `retweet of tweet ${retweet.of}, which is not stored`
}

/** The reviews whose movie is stored, with its movie_id; the others are refused. */
async function withMovies(
  fileRun: FileRun,
  reviews: Located<TweetReview>[],
  movies: MovieRefs
): Promise<Array<{ row: Located<TweetReview>; movie_id: string }>> {
  if (reviews.length === 0) return []
  await movies.resolve(reviews.map((row) => row.value.movie))
  const known: Array<{ row: Located<TweetReview>; movie_id: string }> = []
  for (const row of reviews) {
    const movieId = movies.get(row.value.movie)
    if (movieId === null)
      await fileRun.reject(row, `unknown movie: no movie with ${describeRef(row.value.movie)}`)
    else known.push({ row, movie_id: movieId })
  }
  return known
}

interface StoredState {
  tweets: Map<string, { review: StoredTweet; movie_id: string | null }>
  /** Original tweet_id → the retweet ids already counted on it (absent: original not stored). */
  retweets: Map<string, Set<string>>
}

/** What is stored for a batch, read in one transaction, so that unchanged rows cost no write. */
async function storedState(
  db: Database,
  fileRun: FileRun,
  known: Array<{ row: Located<TweetReview> }>,
  retweets: Located<Retweet>[]
): Promise<StoredState> {
  const state: StoredState = { tweets: new Map(), retweets: new Map() }
  if (known.length === 0 && retweets.length === 0) return state
  const started = performance.now()
  await db.read(async (tx) => {
    if (known.length > 0) {
      const found = rows<{ review: StoredTweet; movie_id: string | null }>(
        await tx.run(STORED_TWEETS, { tweet_ids: known.map((k) => k.row.value.tweet.tweet_id) })
      )
      for (const row of found) state.tweets.set(row.review.tweet_id, row)
    }
    if (retweets.length > 0) {
      const originals = [...new Set(retweets.map((row) => row.value.of))]
      const found = rows<{ tweet_id: string; retweet_ids: string[] }>(
        await tx.run(COUNTED_RETWEETS, { tweet_ids: originals })
      )
      for (const row of found) state.retweets.set(row.tweet_id, new Set(row.retweet_ids))
    }
  })
  fileRun.databaseMs += performance.now() - started
  return state
}

/** Writes the new and changed reviews; returns the tweet ids now stored by this batch. */
async function writeReviews(
  db: Database,
  fileRun: FileRun,
  known: Array<{ row: Located<TweetReview>; movie_id: string }>,
  stored: StoredState['tweets']
): Promise<Set<string>> {
  const writes: Array<{ row: Located<TweetReview>; create: boolean; params: Record<string, unknown> }> = []
  let unchanged = 0
  for (const { row, movie_id } of known) {
    const plan = planTweet(row.value, movie_id, stored.get(row.value.tweet.tweet_id), scoreSentiment)
    if (plan.kind === 'unchanged') {
      unchanged++
      continue
    }
    const props = { ...plan.props }
    for (const key of ['reported_retweet_count', 'like_count', 'reply_count', 'quote_count']) {
      props[key] = int(props[key] as number)
    }
    writes.push({
      row,
      create: plan.create,
      params: { movie_id: plan.movie_id, review_id: plan.review_id, created_at: plan.created_at, props }
    })
  }
  fileRun.count({ unchanged })
  const written = new Set<string>()
  await writeOrSplit(
    writes,
    async (part) => {
      await writeBatch(db, fileRun, async (tx) => {
        await tx.run(WRITE_TWEET_REVIEWS, { rows: part.map((w) => w.params) })
      })
      for (const w of part) {
        fileRun.count(w.create ? { created: 1 } : { updated: 1 })
        written.add(w.row.value.tweet.tweet_id)
      }
    },
    (w, reason) => fileRun.reject(w.row, reason)
  )
  return written
}

/** Counts retweets on their stored originals; returns those whose original is not stored. */
async function countRetweets(
  db: Database,
  fileRun: FileRun,
  retweets: Located<Retweet>[]
): Promise<Located<Retweet>[]> {
  if (retweets.length === 0) return []
  const byOriginal = new Map<string, string[]>()
  for (const row of retweets) {
    const ids = byOriginal.get(row.value.of) ?? []
    ids.push(row.value.tweet_id)
    byOriginal.set(row.value.of, ids)
  }
  const groups = [...byOriginal.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([of, ids]) => ({ of, ids }))
  const counted = await writeBatch(db, fileRun, async (tx) =>
    rows<{ of: string; fresh: string[] }>(await tx.run(COUNT_RETWEETS, { retweets: groups }))
  )
  const found = new Map(counted.map((row) => [row.of, new Set(row.fresh)]))
  const unresolved: Located<Retweet>[] = []
  for (const row of retweets) {
    const fresh = found.get(row.value.of)
    if (!fresh) unresolved.push(row)
    else fileRun.count(fresh.has(row.value.tweet_id) ? { updated: 1 } : { unchanged: 1 })
  }
  return unresolved
}
