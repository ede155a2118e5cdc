import { describe, it, expect } from 'vitest'
import { readFile } from 'node:fs/promises'
import { openInput, readLines } from '../../../src/ingest/input.js'
import { lineRows, parseRows } from '../../../src/ingest/rows.js'
import { normalizeHashtag, parseHashtagMap, parseTweet, parseTweetLine } from '../../../src/ingest/tweets.js'
import type { HashtagIndex } from '../../../src/ingest/tweets.js'
import { collect, fixture, memoryRejects } from './helpers.js'

function map(json: unknown): HashtagIndex {
  const result = parseHashtagMap(json)
  if (!result.ok) throw new Error(result.reason)
  return result.value
}

const hashtags = map({
  '#Inception': { tmdb_id: 27205 },
  '#Amélie': { tmdb_id: 194 },
  '#ToyStory': { movie_id: 'ml-1' }
})
const base = { id: '1234567890123456789', text: 'Loved #Inception', created_at: '2020-07-16T18:04:12.000Z' }

function reason(tweet: Record<string, unknown>): string | undefined {
  const result = parseTweet(tweet, hashtags)
  return result.ok ? undefined : result.reason
}

describe('parseTweet', () => {
  it('keeps ids above 2^53 exactly, as strings', () => {
    const line =
      '{"id":"1234567890123456789","text":"#Inception","created_at":"2020-07-16T18:04:12Z","author_id":"9007199254740993"}'
    const result = parseTweetLine(line, hashtags)
    expect(
      result.ok &&
        result.value.kind === 'review' && [result.value.tweet.tweet_id, result.value.tweet.author_id]
    ).toEqual(['1234567890123456789', '9007199254740993'])
  })

  it('refuses an id written as a JSON number: its digits are already lost', () => {
    expect(
      parseTweetLine(
        '{"id":1234567890123456789,"text":"#Inception","created_at":"2020-07-16T18:04:12Z"}',
        hashtags
      )
    ).toEqual({
      ok: false,
      reason: 'tweet id must be a string of digits, got a number'
    })
  })

  it('normalises a review', () => {
    expect(
      parseTweet(
        {
          ...base,
          author_id: '2244994945',
          lang: 'en',
          created_at: '2020-07-16T20:04:12+02:00',
          public_metrics: {
            retweet_count: 12,
            reply_count: 3,
            like_count: 148,
            quote_count: 1,
            impression_count: 9000
          },
          entities: { hashtags: [{ start: 6, end: 16, tag: 'Inception' }] },
          referenced_tweets: [{ type: 'replied_to', id: '1' }]
        },
        hashtags
      )
    ).toEqual({
      ok: true,
      value: {
        kind: 'review',
        movie: { tmdb_id: 27205 },
        matched_by: 'hashtag',
        tweet: {
          tweet_id: '1234567890123456789',
          text: 'Loved #Inception',
          author_id: '2244994945',
          created_at: '2020-07-16T18:04:12.000Z',
          lang: 'en',
          retweet_count: 12,
          like_count: 148,
          reply_count: 3,
          quote_count: 1,
          hashtags: ['Inception'],
          in_reply_to: '1',
          quotes: null,
          sentiment_score: null
        }
      }
    })
  })

  it('keeps a sentiment score given beside the tweet or inside it, and refuses one out of range', () => {
    const score = (tweet: Record<string, unknown>) => {
      const result = parseTweet(tweet, hashtags)
      return result.ok && result.value.kind === 'review' ? result.value.tweet.sentiment_score : result
    }
    expect(score(base)).toBeNull()
    expect(score({ data: base, sentiment_score: -0.25 })).toBe(-0.25)
    expect(score({ ...base, sentiment_score: 0.5 })).toBe(0.5)
    expect(score({ ...base, sentiment_score: 1.5 })).toEqual({
      ok: false,
      reason: 'sentiment_score 1.5 is outside -1..1'
    })
  })

  it('turns a retweet into a pointer to the original, needing no movie', () => {
    expect(
      parseTweet({
        id: '20',
        text: 'RT @a: whatever',
        referenced_tweets: [{ type: 'retweeted', id: '1234567890123456789' }]
      })
    ).toEqual({
      ok: true,
      value: { kind: 'retweet', tweet_id: '20', of: '1234567890123456789', author_id: null, created_at: null }
    })
  })

  it('finds the movie beside the tweet first: movie_id, then tmdb_id, then hashtags', () => {
    const pick = (tweet: Record<string, unknown>) => {
      const result = parseTweet(tweet, hashtags)
      return result.ok && result.value.kind === 'review'
        ? [result.value.movie, result.value.matched_by]
        : result
    }
    expect(pick({ ...base, movie_id: 'ml-47', tmdb_id: 807 })).toEqual([{ movie_id: 'ml-47' }, 'movie_id'])
    expect(pick({ ...base, tmdb_id: 807 })).toEqual([{ tmdb_id: 807 }, 'tmdb_id'])
    expect(pick(base)).toEqual([{ tmdb_id: 27205 }, 'hashtag'])
    expect(pick({ data: base, tmdb_id: 807 })).toEqual([{ tmdb_id: 807 }, 'tmdb_id'])
    expect(pick({ data: { ...base, movie_id: 'ml-1' } })).toEqual([{ movie_id: 'ml-1' }, 'movie_id'])
  })

  it('matches hashtags without regard to case or Unicode form, from entities or else from the text', () => {
    const about = (tweet: Record<string, unknown>) => {
      const result = parseTweet({ ...base, ...tweet }, hashtags)
      return result.ok && result.value.kind === 'review' ? result.value.movie : result
    }
    expect(about({ text: 'x', entities: { hashtags: [{ tag: 'INCEPTION' }] } })).toEqual({ tmdb_id: 27205 })
    expect(about({ text: 'Revoir #AMÉLIE ce soir' })).toEqual({ tmdb_id: 194 })
    expect(about({ text: 'Revoir #Ame\u0301lie ce soir' })).toEqual({ tmdb_id: 194 })
    expect(about({ text: 'Again #toystory, #movies' })).toEqual({ movie_id: 'ml-1' })
    expect(about({ text: 'email a#Inception or #2020' })).toMatchObject({ ok: false })
  })

  it.each([
    [{ id: undefined }, 'missing field tweet id'],
    [{ id: '12a' }, 'tweet id must be a string of digits, got "12a"'],
    [{ id: '0123' }, 'tweet id must be a string of digits, got "0123"'],
    [{ text: '' }, 'missing field text'],
    [{ text: 7 }, 'text must be a string, got 7'],
    [{ created_at: undefined }, 'missing field created_at'],
    [{ created_at: '16/07/2020' }, 'created_at must be an ISO 8601 timestamp with a zone, got "16/07/2020"'],
    [
      { created_at: '2020-07-16T18:04:12' },
      'created_at must be an ISO 8601 timestamp with a zone, got "2020-07-16T18:04:12"'
    ],
    [{ created_at: '2021-02-30T00:00:00Z' }, 'created_at 2021-02-30T00:00:00Z is not a calendar date'],
    [{ author_id: 12 }, 'author_id must be a string of digits, got a number'],
    [{ public_metrics: { like_count: -4 } }, 'public_metrics.like_count -4 is outside 0..∞'],
    [{ public_metrics: { like_count: 'many' } }, 'public_metrics.like_count must be a number, got "many"'],
    [{ referenced_tweets: [{ type: 'liked', id: '1' }] }, 'unknown referenced_tweets type "liked"'],
    [
      { referenced_tweets: [{ type: 'quoted', id: 5 }] },
      'referenced_tweets[0].id must be a string of digits, got a number'
    ],
    [{ referenced_tweets: { type: 'quoted' } }, 'referenced_tweets must be an array, got {"type":"quoted"}'],
    [
      { entities: { hashtags: [{ tag: '' }] } },
      'entities.hashtags[0].tag must be a non-empty string, got ""'
    ],
    [{ tmdb_id: 'twenty' }, 'tmdb_id must be a positive integer, got "twenty"'],
    [{ movie_id: '' }, 'movie_id must be a non-empty string, got ""'],
    [
      { text: 'Great night for #movies' },
      'no movie for this tweet: no movie_id or tmdb_id beside it and no hashtag in the hashtag map'
    ],
    [{ text: '#Inception or #Amélie?' }, 'hashtags name 2 different movies: #Inception, #Amélie']
  ])('refuses %j', (change, expected) => {
    expect(reason({ ...base, ...change })).toBe(expected)
  })

  it('reports broken JSON', () => {
    expect(parseTweetLine('{"id":"1","text":"#Inception')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^invalid JSON: /)
    })
  })
})

describe('parseHashtagMap', () => {
  it('folds case and the leading #', () => {
    expect(normalizeHashtag('#AMÉLIE')).toBe('amélie')
    expect(map({ Inception: { tmdb_id: 27205 }, '#inception': { tmdb_id: 27205 } }).get('inception')).toEqual(
      { tmdb_id: 27205 }
    )
  })

  it.each([
    [[], 'hashtag map must be a JSON object'],
    [{ '#': { tmdb_id: 1 } }, 'hashtag map has an empty hashtag'],
    [{ '#X': 27205 }, 'hashtag #X must map to { tmdb_id } or { movie_id }, got 27205'],
    [{ '#X': {} }, 'hashtag #X must map to { tmdb_id } or { movie_id }, got {}'],
    [
      { '#X': { tmdb_id: 1 }, '#x': { tmdb_id: 2 } },
      'hashtag #x is mapped twice, to different movies (case does not matter)'
    ]
  ])('refuses %j', (json, reason) => {
    expect(parseHashtagMap(json)).toEqual({ ok: false, reason })
  })
})

describe('tweets.jsonl fixture', () => {
  it('parses good lines, keeps 1234567890123456789 exactly and refuses each bad line on its line', async () => {
    const index = map(JSON.parse(await readFile(fixture('hashtags.json'), 'utf8')))
    const rejects = memoryRejects()
    const input = await openInput(fixture('tweets.jsonl'))
    const good = await collect(
      parseRows(lineRows(readLines(input)), (line) => parseTweetLine(line, index), rejects)
    )
    expect(
      rejects.rejected.map(({ line, reason }) => [line, reason.replace(/^(invalid JSON): .*/, '$1')])
    ).toEqual([
      [7, 'tweet id must be a string of digits, got a number'],
      [8, 'invalid JSON'],
      [9, 'missing field text'],
      [10, 'unknown referenced_tweets type "liked"'],
      [11, 'no movie for this tweet: no movie_id or tmdb_id beside it and no hashtag in the hashtag map'],
      [12, 'hashtags name 2 different movies: #Inception, #SpiritedAway'],
      [13, 'created_at must be an ISO 8601 timestamp with a zone, got "yesterday"']
    ])
    expect(rejects.rejected[0]?.row).toContain('1234567890123456790')
    const summary = good.map(({ lineNumber, value }) =>
      value.kind === 'retweet'
        ? [lineNumber, value.tweet_id, 'retweet of', value.of]
        : [lineNumber, value.tweet.tweet_id, value.matched_by, value.movie]
    )
    expect(summary).toEqual([
      [1, '1234567890123456789', 'hashtag', { tmdb_id: 27205 }],
      [2, '1285291475123456000', 'tmdb_id', { tmdb_id: 129 }],
      [3, '1285299999999999999', 'movie_id', { movie_id: 'ml-4973' }],
      [4, '1285300000000000001', 'retweet of', '1234567890123456789'],
      [5, '1285300000000000002', 'hashtag', { tmdb_id: 27205 }],
      [6, '1285300000000000003', 'hashtag', { tmdb_id: 129 }],
      [15, '1234567890123456789', 'hashtag', { tmdb_id: 27205 }]
    ])
    const japanese = good[1]?.value
    expect(japanese?.kind === 'review' && japanese.tweet.text).toBe('千と千尋の神隠し、何度観ても泣ける。')
    const reply = good[4]?.value
    expect(reply?.kind === 'review' && [reply.tweet.created_at, reply.tweet.in_reply_to]).toEqual([
      '2020-07-20T10:00:00.000Z',
      '1234567890123456789'
    ])
  })
})
