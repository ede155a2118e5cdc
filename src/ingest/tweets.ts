/**
 * Tweets about movies, one Twitter API v2 tweet object per line (bare, or inside `{ "data": ... }`
 * as the streaming endpoints send it). Tweet ids stay strings from end to end: they exceed 2^53,
 * and a JSON number would already have lost digits. The movie comes from a `movie_id` or `tmdb_id`
 * beside the tweet, else from its hashtags and the hashtag map. A retweet is not a review: it
 * becomes a pointer to the original so the writer can count it.
 */
import {
  fail,
  isRecord,
  isoTimestamp,
  jsonObject,
  ok,
  optionalNumberField,
  optionalStringField,
  positiveIntegerField,
  show
} from './fields.js'
import type { ParseResult } from './fields.js'

export type MovieRef = { tmdb_id: number } | { movie_id: string }

/** Hashtag (normalised by normalizeHashtag) → the movie it stands for. */
export type HashtagIndex = ReadonlyMap<string, MovieRef>

export interface Tweet {
  tweet_id: string
  text: string
  author_id: string | null
  created_at: string
  lang: string | null
  retweet_count: number
  like_count: number
  reply_count: number
  quote_count: number
  /** Without the `#`, as written. */
  hashtags: string[]
  in_reply_to: string | null
  quotes: string | null
  /** A VADER-style score in -1..1 given beside the tweet; null when the importer must score it. */
  sentiment_score: number | null
}

export interface TweetReview {
  kind: 'review'
  tweet: Tweet
  movie: MovieRef
  matched_by: 'movie_id' | 'tmdb_id' | 'hashtag'
}

export interface Retweet {
  kind: 'retweet'
  tweet_id: string
  /** The retweeted tweet's id. */
  of: string
  author_id: string | null
  created_at: string | null
}

export type TweetRecord = TweetReview | Retweet

const TWEET_ID = /^[1-9]\d{0,19}$/
const REFERENCE_TYPES = ['retweeted', 'quoted', 'replied_to'] as const
// A hashtag in text: after a non-word character, at least one character that is not a digit.
const HASHTAG_IN_TEXT =
  /(?:^|[^\p{L}\p{M}\p{N}_&])[#＃]([\p{L}\p{M}\p{N}_]*[\p{L}\p{M}_][\p{L}\p{M}\p{N}_]*)/gu

/** Case- and form-insensitive key of a hashtag: `#Amélie`, `amélie` and `AMÉLIE` are one tag. */
export function normalizeHashtag(tag: string): string {
  return tag
    .replace(/^[#＃]/, '')
    .normalize('NFC')
    .toLowerCase()
}

/** Reads the hashtag map file (`{ "#Inception": { "tmdb_id": 27205 } }`). */
export function parseHashtagMap(json: unknown): ParseResult<HashtagIndex> {
  if (!isRecord(json)) return fail('hashtag map must be a JSON object')
  const index = new Map<string, MovieRef>()
  for (const [tag, target] of Object.entries(json)) {
    const key = normalizeHashtag(tag)
    if (key === '') return fail(`hashtag map has an empty hashtag`)
    const movie = isRecord(target) ? movieRef(target) : undefined
    if (!movie?.ok || movie.value === null) {
      return fail(`hashtag ${tag} must map to { tmdb_id } or { movie_id }, got ${show(target)}`)
    }
    const existing = index.get(key)
    if (existing && !sameMovie(existing, movie.value)) {
      return fail(`hashtag ${tag} is mapped twice, to different movies (case does not matter)`)
    }
    index.set(key, movie.value)
  }
  return ok(index)
}

function sameMovie(a: MovieRef, b: MovieRef): boolean {
  return 'tmdb_id' in a
    ? 'tmdb_id' in b && a.tmdb_id === b.tmdb_id
    : 'movie_id' in b && a.movie_id === b.movie_id
}

/** `movie_id` wins over `tmdb_id`: it is the service's own id. Null when neither is there. */
function movieRef(object: Record<string, unknown>): ParseResult<MovieRef | null> {
  if (object['movie_id'] !== undefined && object['movie_id'] !== null) {
    const movieId = object['movie_id']
    if (typeof movieId !== 'string' || movieId.trim() === '') {
      return fail(`movie_id must be a non-empty string, got ${show(movieId)}`)
    }
    return ok({ movie_id: movieId.trim() })
  }
  if (object['tmdb_id'] !== undefined && object['tmdb_id'] !== null) {
    const tmdbId = positiveIntegerField(object['tmdb_id'], 'tmdb_id')
    return tmdbId.ok ? ok({ tmdb_id: tmdbId.value }) : tmdbId
  }
  return ok(null)
}

function tweetId(value: unknown, name: string): ParseResult<string> {
  if (value === undefined || value === null || value === '') return fail(`missing field ${name}`)
  if (typeof value === 'number') return fail(`${name} must be a string of digits, got a number`)
  if (typeof value !== 'string' || !TWEET_ID.test(value))
    return fail(`${name} must be a string of digits, got ${show(value)}`)
  return ok(value)
}

function optionalTweetId(value: unknown, name: string): ParseResult<string | null> {
  return value === undefined || value === null ? ok(null) : tweetId(value, name)
}

export function parseTweetLine(line: string, hashtags: HashtagIndex = new Map()): ParseResult<TweetRecord> {
  const object = jsonObject(line)
  return object.ok ? parseTweet(object.value, hashtags) : object
}

export function parseTweet(object: unknown, hashtags: HashtagIndex = new Map()): ParseResult<TweetRecord> {
  if (!isRecord(object)) return fail('expected a JSON object')
  // The streaming endpoints wrap the tweet: { data: {...}, matching_rules: [...] }.
  const wrapped = object['id'] === undefined && isRecord(object['data'])
  const data = wrapped ? (object['data'] as Record<string, unknown>) : object

  const id = tweetId(data['id'], 'tweet id')
  if (!id.ok) return id
  const author = optionalTweetId(data['author_id'], 'author_id')
  if (!author.ok) return author

  const references = parseReferences(data['referenced_tweets'])
  if (!references.ok) return references
  const retweeted = references.value.retweeted
  if (retweeted !== null) {
    const createdAt =
      data['created_at'] === undefined || data['created_at'] === null
        ? ok<string | null>(null)
        : isoTimestamp(data['created_at'], 'created_at')
    if (!createdAt.ok) return createdAt
    return ok({
      kind: 'retweet',
      tweet_id: id.value,
      of: retweeted,
      author_id: author.value,
      created_at: createdAt.value
    })
  }

  if (typeof data['text'] !== 'string' && data['text'] !== undefined && data['text'] !== null) {
    return fail(`text must be a string, got ${show(data['text'])}`)
  }
  const text = typeof data['text'] === 'string' ? data['text'] : ''
  if (text.trim() === '') return fail('missing field text')
  const createdAt = isoTimestamp(data['created_at'], 'created_at')
  if (!createdAt.ok) return createdAt
  const lang = optionalStringField(data['lang'], 'lang')
  if (!lang.ok) return lang
  const metrics = parseMetrics(data['public_metrics'])
  if (!metrics.ok) return metrics
  const tags = parseHashtags(data['entities'], text)
  if (!tags.ok) return tags
  // Like the movie, a score computed upstream travels beside the tweet or inside it.
  const sentiment = optionalNumberField(
    object['sentiment_score'] ?? data['sentiment_score'],
    'sentiment_score',
    { min: -1, max: 1 }
  )
  if (!sentiment.ok) return sentiment

  const tweet: Tweet = {
    tweet_id: id.value,
    text,
    author_id: author.value,
    created_at: createdAt.value,
    lang: lang.value,
    ...metrics.value,
    hashtags: tags.value,
    in_reply_to: references.value.replied_to,
    quotes: references.value.quoted,
    sentiment_score: sentiment.value
  }

  // Beside the tweet: on the envelope first, then on the tweet itself.
  const outer = movieRef(object)
  if (!outer.ok) return outer
  const inner = wrapped && outer.value === null ? movieRef(data) : outer
  if (!inner.ok) return inner
  if (inner.value !== null) {
    return ok({
      kind: 'review',
      tweet,
      movie: inner.value,
      matched_by: 'movie_id' in inner.value ? 'movie_id' : 'tmdb_id'
    })
  }

  const matches = new Map<string, { movie: MovieRef; tags: string[] }>()
  for (const tag of tweet.hashtags) {
    const movie = hashtags.get(normalizeHashtag(tag))
    if (!movie) continue
    const key = 'tmdb_id' in movie ? `tmdb:${movie.tmdb_id}` : `id:${movie.movie_id}`
    const entry = matches.get(key) ?? { movie, tags: [] }
    entry.tags.push(`#${tag}`)
    matches.set(key, entry)
  }
  if (matches.size === 0) {
    return fail('no movie for this tweet: no movie_id or tmdb_id beside it and no hashtag in the hashtag map')
  }
  if (matches.size > 1) {
    const named = [...matches.values()].map((entry) => entry.tags[0]).join(', ')
    return fail(`hashtags name ${matches.size} different movies: ${named}`)
  }
  const [only] = [...matches.values()]
  return ok({ kind: 'review', tweet, movie: (only as { movie: MovieRef }).movie, matched_by: 'hashtag' })
}

function parseReferences(
  value: unknown
): ParseResult<{ retweeted: string | null; quoted: string | null; replied_to: string | null }> {
  const found = {
    retweeted: null as string | null,
    quoted: null as string | null,
    replied_to: null as string | null
  }
  if (value === undefined || value === null) return ok(found)
  if (!Array.isArray(value)) return fail(`referenced_tweets must be an array, got ${show(value)}`)
  for (const [index, reference] of value.entries()) {
    if (!isRecord(reference))
      return fail(`referenced_tweets[${index}] must be an object, got ${show(reference)}`)
    const type = reference['type']
    if (typeof type !== 'string' || !(REFERENCE_TYPES as readonly string[]).includes(type)) {
      return fail(`unknown referenced_tweets type ${show(type)}`)
    }
    const id = tweetId(reference['id'], `referenced_tweets[${index}].id`)
    if (!id.ok) return id
    found[type as (typeof REFERENCE_TYPES)[number]] ??= id.value
  }
  return ok(found)
}

type Metrics = Pick<Tweet, 'retweet_count' | 'like_count' | 'reply_count' | 'quote_count'>

function parseMetrics(value: unknown): ParseResult<Metrics> {
  const metrics: Metrics = { retweet_count: 0, like_count: 0, reply_count: 0, quote_count: 0 }
  if (value === undefined || value === null) return ok(metrics)
  if (!isRecord(value)) return fail(`public_metrics must be an object, got ${show(value)}`)
  for (const name of Object.keys(metrics) as Array<keyof Metrics>) {
    const count = optionalNumberField(value[name], `public_metrics.${name}`, { min: 0, integer: true })
    if (!count.ok) return count
    metrics[name] = count.value ?? 0
  }
  return ok(metrics)
}

/** `entities.hashtags[].tag` when the API sent entities, else the hashtags found in the text. */
function parseHashtags(entities: unknown, text: string): ParseResult<string[]> {
  const tags: string[] = []
  const add = (tag: string): void => {
    if (!tags.some((known) => normalizeHashtag(known) === normalizeHashtag(tag))) tags.push(tag)
  }
  if (isRecord(entities) && entities['hashtags'] !== undefined) {
    const list = entities['hashtags']
    if (!Array.isArray(list)) return fail(`entities.hashtags must be an array, got ${show(list)}`)
    for (const [index, entry] of list.entries()) {
      const tag = isRecord(entry) ? entry['tag'] : undefined
      if (typeof tag !== 'string' || tag.replace(/^[#＃]/, '') === '') {
        return fail(`entities.hashtags[${index}].tag must be a non-empty string, got ${show(tag)}`)
      }
      add(tag.replace(/^[#＃]/, ''))
    }
    return ok(tags)
  }
  for (const match of text.matchAll(HASHTAG_IN_TEXT)) add(match[1] as string)
  return ok(tags)
}
