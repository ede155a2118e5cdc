/**
 * The tweets of a generated dataset, Twitter API v2 tweets as JSON lines (reviews, replies, quotes
 * and retweets, with snowflake ids beyond 2^53), and the hashtag map that names their movies.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { drawMovie } from './catalogue.js'
import type { Catalogue } from './catalogue.js'
import { OutputFile, brokenJson, unknownKind } from './output.js'
import type { GeneratedFile, Generation } from './output.js'
import { ZipfSampler, deriveRandom } from './random.js'
import type { Random } from './random.js'
import { GENERIC_HASHTAGS, TWEET_LANGUAGES, TWEET_LANGUAGE_WEIGHTS, tweetText } from './text.js'
import type { TweetLanguage } from './text.js'

/** Kinds of injected rows, as counted in the manifest. */
export const TWEETS_INJECTED_KINDS = {
  'tweets.jsonl': [
    'broken JSON',
    'missing field',
    'bad number',
    'unknown movie id',
    'no movie',
    'duplicate key'
  ]
} as const

const TWITTER_EPOCH_MS = 1_288_834_974_657
const TWEETS_FROM_MS = Date.UTC(2015, 0, 1)
const TWEETS_TO_MS = Date.UTC(2023, 1, 1)
const TWEET_POPULARITY_EXPONENT = 1.1
const RETWEET_SHARE = 0.15
const REPLY_SHARE = 0.05
const QUOTE_SHARE = 0.03

export async function writeHashtags(generation: Generation): Promise<GeneratedFile> {
  const c = generation.catalogue
  const file = 'hashtags.json'
  const map: Record<string, { tmdb_id: number } | { movie_id: string }> = {}
  let rows = 0
  for (let rank = 0; rank < c.size; rank++) {
    const i = c.rankToIndex[rank] as number
    const tag = c.hashtag[i]
    if (tag === undefined) continue
    map[`#${tag}`] = c.tmdbId[i] ? { tmdb_id: c.tmdbId[i] as number } : { movie_id: `ml-${c.movieId[i]}` }
    rows++
  }
  const text = `${JSON.stringify(map, null, 2)}\n`
  await writeFile(join(generation.out, file), text)
  return { file, rows, injected: {}, bytes: Buffer.byteLength(text) }
}

interface Original {
  id: string
  author: number
  text: string
  tags: string[]
}

/** Tweet ids the way Twitter makes them: milliseconds since its epoch, shifted, plus a sequence. */
class Snowflakes {
  private lastMs = 0
  private sequence = 0

  constructor(private readonly random: Random) {}

  next(ms: number): string {
    if (ms <= this.lastMs) {
      this.sequence++
    } else {
      this.lastMs = ms
      this.sequence = this.random.int(1 << 20)
    }
    return ((BigInt(this.lastMs - TWITTER_EPOCH_MS) << 22n) | BigInt(this.sequence)).toString()
  }
}

function authorId(author: number): string {
  // A bijection on 0..899,999,999 (the multiplier is a prime that does not divide the modulus).
  return String(100_000_000 + ((author * 2_654_435_761) % 900_000_000))
}

function codePoints(text: string): number {
  let count = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code < 0xd800 || code > 0xdbff) count++
  }
  return count
}

/** `entities.hashtags` for the tags that appear whole in the text, with code-point offsets. */
function hashtagEntities(
  text: string,
  tags: readonly string[]
): Array<{ start: number; end: number; tag: string }> {
  const entities: Array<{ start: number; end: number; tag: string }> = []
  for (const tag of tags) {
    const at = text.indexOf(`#${tag}`)
    if (at === -1) continue
    const after = text.charAt(at + tag.length + 1)
    if (after !== '' && /[\p{L}\p{M}\p{N}_]/u.test(after)) continue
    const start = codePoints(text.slice(0, at))
    entities.push({ start, end: start + 1 + codePoints(tag), tag })
  }
  return entities
}

function truncate(text: string, limit: number): string {
  const characters = Array.from(text)
  return characters.length <= limit ? text : `${characters.slice(0, limit - 1).join('')}…`
}

export async function writeTweets(generation: Generation, total: number): Promise<GeneratedFile> {
  const c = generation.catalogue
  const output = new OutputFile(generation, 'tweets.jsonl', TWEETS_INJECTED_KINDS['tweets.jsonl'])
  const random = deriveRandom(generation.seed, 'tweets.jsonl')
  const ids = new Snowflakes(random)
  const movies = new ZipfSampler(c.size, TWEET_POPULARITY_EXPONENT)
  const authorCount = Math.max(50, Math.ceil(total / 4))
  const authors = new ZipfSampler(authorCount, 0.9)
  const recent: Original[] = []
  const RECENT = 2048
  const averageStep = (TWEETS_TO_MS - TWEETS_FROM_MS) / Math.max(1, total * 1.05)
  let ms = TWEETS_FROM_MS

  const metrics = (): Record<string, number> => {
    const likes = Math.floor(Math.exp(random.next() * random.next() * 9)) - 1
    return {
      retweet_count: Math.floor(likes * random.next() * 0.3),
      reply_count: Math.floor(likes * random.next() * 0.1),
      like_count: likes,
      quote_count: Math.floor(likes * random.next() * 0.05)
    }
  }

  /** A review of a movie, with the movie named by hashtag or beside the tweet. */
  const review = (
    id: string,
    author: number,
    prefix: string
  ): { object: Record<string, unknown>; original: Original } => {
    const i = drawMovie(c, movies, random)
    const language = TWEET_LANGUAGES[random.weighted(TWEET_LANGUAGE_WEIGHTS)] as TweetLanguage
    const mapped = c.hashtag[i]
    let mention: string
    const tags: string[] = []
    if (mapped !== undefined) {
      // People do not keep to the map's capitalisation.
      const variant = random.next()
      const tag = variant < 0.02 ? mapped.toUpperCase() : variant < 0.04 ? mapped.toLowerCase() : mapped
      mention = `#${tag}`
      tags.push(tag)
    } else {
      mention = `“${c.title[i]}”`
    }
    let text = prefix + tweetText(language, mention, random)
    if (random.chance(0.3)) {
      const generic = random.pick(GENERIC_HASHTAGS)
      text += ` #${generic}`
      tags.push(generic)
    }
    const object: Record<string, unknown> = {
      id,
      text,
      author_id: authorId(author),
      created_at: new Date(ms).toISOString(),
      lang: language,
      public_metrics: metrics()
    }
    const entities = hashtagEntities(text, tags)
    if (entities.length > 0) object['entities'] = { hashtags: entities }
    if (mapped === undefined || random.chance(0.25)) {
      if (c.tmdbId[i]) object['tmdb_id'] = c.tmdbId[i]
      else object['movie_id'] = `ml-${c.movieId[i]}`
    }
    return { object, original: { id, author, text, tags } }
  }

  for (let n = 0; n < total; n++) {
    ms += Math.floor(-Math.log(1 - random.next()) * averageStep)
    const id = ids.next(ms)
    const author = authors.sample(random)
    const kindDraw = random.next()
    let object: Record<string, unknown>
    if (recent.length > 0 && kindDraw < RETWEET_SHARE) {
      const original = recent[random.int(recent.length)] as Original
      const text = truncate(`RT @cinefan${original.author}: ${original.text}`, 140)
      object = {
        id,
        text,
        author_id: authorId(author),
        created_at: new Date(ms).toISOString(),
        lang: 'en',
        public_metrics: { retweet_count: 0, reply_count: 0, like_count: 0, quote_count: 0 },
        referenced_tweets: [{ type: 'retweeted', id: original.id }]
      }
      const entities = hashtagEntities(text, original.tags)
      if (entities.length > 0) object['entities'] = { hashtags: entities }
    } else {
      let prefix = ''
      let reference: { type: string; id: string } | undefined
      if (recent.length > 0 && kindDraw < RETWEET_SHARE + REPLY_SHARE) {
        const original = recent[random.int(recent.length)] as Original
        prefix = `@cinefan${original.author} `
        reference = { type: 'replied_to', id: original.id }
      } else if (recent.length > 0 && kindDraw < RETWEET_SHARE + REPLY_SHARE + QUOTE_SHARE) {
        reference = { type: 'quoted', id: (recent[random.int(recent.length)] as Original).id }
      }
      const made = review(id, author, prefix)
      object = made.object
      if (reference) object['referenced_tweets'] = [reference]
      if (recent.length < RECENT) recent.push(made.original)
      else recent[random.int(RECENT)] = made.original
    }
    const line = JSON.stringify(object)
    await output.add(`${line}\n`, (kind, bad) => {
      if (kind === 'broken JSON') return brokenJson(line, bad)
      if (kind === 'duplicate key') return `${line}\n`
      return `${badTweet(kind, ids.next(ms), author, ms, c, bad)}\n`
    })
  }
  return output.close(total)
}

function badTweet(
  kind: string,
  id: string,
  author: number,
  ms: number,
  c: Catalogue,
  random: Random
): string {
  const object: Record<string, unknown> = {
    id,
    text: tweetText('en', `#${random.pick(GENERIC_HASHTAGS)}`, random),
    author_id: authorId(author),
    created_at: new Date(ms).toISOString(),
    lang: 'en',
    tmdb_id: c.maxTmdbId + 1 + random.int(100_000)
  }
  if (kind === 'missing field') {
    delete object[random.pick(['text', 'created_at'])]
  } else if (kind === 'bad number') {
    const variant = random.int(3)
    if (variant === 1) object['public_metrics'] = { like_count: -4 }
    else if (variant === 2) object['tmdb_id'] = 'twenty'
    // Variant 0: the id as a bare JSON number, which cannot hold its digits.
    else return JSON.stringify(object).replace(`"id":"${id}"`, `"id":${id}`)
  } else if (kind === 'no movie') {
    delete object['tmdb_id']
  } else if (kind !== 'unknown movie id') throw unknownKind('tweets.jsonl', kind)
  return JSON.stringify(object)
}
