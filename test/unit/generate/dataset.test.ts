import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { batches } from '../../../src/ingest/batch.js'
import type { ParseResult } from '../../../src/ingest/fields.js'
import { INJECTED_KINDS, MANIFEST_FILE, generateDataset } from '../../../src/generate/dataset.js'
import type { GenerateOptions } from '../../../src/generate/dataset.js'
import { openInput, readLines } from '../../../src/ingest/input.js'
import * as movielens from '../../../src/ingest/movielens.js'
import type { MovieLensFile } from '../../../src/ingest/movielens.js'
import { lineRows, parseRows } from '../../../src/ingest/rows.js'
import type { SourceRow } from '../../../src/ingest/rows.js'
import { parseTmdbLine } from '../../../src/ingest/tmdb.js'
import type { TmdbRecord } from '../../../src/ingest/tmdb.js'
import { parseHashtagMap, parseTweetLine } from '../../../src/ingest/tweets.js'
import type { TweetRecord } from '../../../src/ingest/tweets.js'
import { memoryRejects } from '../ingest/helpers.js'

const dirs: string[] = []
async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cinegraph-generate-'))
  dirs.push(dir)
  return dir
}
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
})

// Users rate a movie once, so popular movies can only stand out when there are many users.
const small: Omit<GenerateOptions, 'out'> = {
  movies: 2000,
  users: 4000,
  ratings: 30_000,
  tweets: 4000,
  seed: 7
}

async function generate(options: Partial<GenerateOptions> = {}): Promise<string> {
  const out = await freshDir()
  await generateDataset({ ...small, ...options, out })
  return out
}

async function files(dir: string): Promise<Map<string, Buffer>> {
  const names = (await readdir(dir)).sort()
  return new Map(
    await Promise.all(names.map(async (name) => [name, await readFile(join(dir, name))] as const))
  )
}

interface Manifest {
  files: Record<string, { rows: number; injected: Record<string, number> }>
}

/** Everything an importer would see in one file: good values, refused rows, in-batch duplicates. */
async function importFile<R, T>(
  rows: AsyncIterable<SourceRow<R>>,
  parse: (raw: R) => ParseResult<T>,
  key: (value: T) => string | number
): Promise<{ values: T[]; rejected: number; duplicates: number }> {
  const rejects = memoryRejects()
  let duplicates = 0
  const values: T[] = []
  const located = parseRows(rows, parse, rejects)
  // One batch for the whole file, so every duplicate is found.
  for await (const batch of batches(located, {
    size: 1e9,
    key: (row) => key(row.value),
    onDuplicate: () => void duplicates++
  })) {
    values.push(...batch.map((row) => row.value))
  }
  return { values, rejected: rejects.rejected.length, duplicates }
}

async function importAll(dir: string) {
  const csv = async <T>(
    file: MovieLensFile,
    parse: (raw: Record<string, string>) => ParseResult<T>,
    key: (v: T) => string | number
  ) => importFile(movielens.readMovieLens(await openInput(join(dir, `${file}.csv`)), file), parse, key)
  const jsonl = async <T>(
    file: string,
    parse: (line: string) => ParseResult<T>,
    key: (v: T) => string | number
  ) => importFile(lineRows(readLines(await openInput(join(dir, file)))), parse, key)
  const hashtags = parseHashtagMap(JSON.parse(await readFile(join(dir, 'hashtags.json'), 'utf8')))
  if (!hashtags.ok) throw new Error(hashtags.reason)
  return {
    'movies.csv': await csv('movies', movielens.parseMovieLensMovie, (v) => v.movielens_id),
    'links.csv': await csv('links', movielens.parseMovieLensLink, (v) => v.movielens_id),
    'ratings.csv': await csv('ratings', movielens.parseMovieLensRating, (v) => v.rating_id),
    'tags.csv': await csv(
      'tags',
      movielens.parseMovieLensTag,
      (v) => `${v.user_id}|${v.movielens_id}|${v.tag}`
    ),
    'tmdb.jsonl': await jsonl<TmdbRecord>('tmdb.jsonl', parseTmdbLine, (v) => v.movie.tmdb_id),
    'tweets.jsonl': await jsonl<TweetRecord>(
      'tweets.jsonl',
      (line) => parseTweetLine(line, hashtags.value),
      (v) => (v.kind === 'retweet' ? v.tweet_id : v.tweet.tweet_id)
    )
  }
}

describe('generateDataset', () => {
  let dir: string
  let manifest: Manifest
  let imported: Awaited<ReturnType<typeof importAll>>

  beforeAll(async () => {
    dir = await generate({ malformedRate: 0.02 })
    manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as Manifest
    imported = await importAll(dir)
  })

  it('writes the same bytes for the same seed, and other bytes for another', async () => {
    const again = await files(await generate({ malformedRate: 0.02 }))
    const first = await files(dir)
    expect([...again.keys()]).toEqual([
      'hashtags.json',
      'links.csv',
      'manifest.json',
      'movies.csv',
      'ratings.csv',
      'tags.csv',
      'tmdb.jsonl',
      'tweets.jsonl'
    ])
    for (const [name, bytes] of first) expect(again.get(name)?.equals(bytes), name).toBe(true)
    const other = await files(await generate({ malformedRate: 0.02, seed: 8 }))
    for (const [name, bytes] of first) expect(other.get(name)?.equals(bytes), name).toBe(false)
  })

  it('injects exactly the bad rows the manifest lists, and the parsers and batches find each one', () => {
    for (const [file, result] of Object.entries(imported)) {
      const { rows, injected } = manifest.files[file] as Manifest['files'][string]
      expect(Object.keys(injected), file).toEqual(INJECTED_KINDS[file as keyof typeof INJECTED_KINDS])
      const unknown = injected['unknown movie id'] ?? 0
      const duplicates = injected['duplicate key'] ?? 0
      const refused = Object.values(injected).reduce((sum, n) => sum + n, 0) - unknown - duplicates
      // Rows naming movies that do not exist parse fine: only the writer can tell.
      expect({
        file,
        rejected: result.rejected,
        duplicates: result.duplicates,
        good: result.values.length
      }).toEqual({
        file,
        rejected: refused,
        duplicates,
        good: rows + unknown
      })
    }
  })

  it('injects bad rows at about the rate asked for', () => {
    const { rows, injected } = manifest.files['ratings.csv'] as Manifest['files'][string]
    const total = Object.values(injected).reduce((sum, n) => sum + n, 0)
    // 600 expected; the binomial spread is about 25.
    expect(Math.abs(total - rows * 0.02)).toBeLessThan(100)
    for (const count of Object.values(injected)) expect(count).toBeGreaterThan(0)
  })

  it('gives the top 1% of movies a large share of the ratings and tweets', () => {
    const share = (movieOf: Array<number | string>) => {
      const counts = new Map<number | string, number>()
      for (const movie of movieOf) counts.set(movie, (counts.get(movie) ?? 0) + 1)
      const sorted = [...counts.values()].sort((a, b) => b - a)
      return sorted.slice(0, small.movies / 100).reduce((sum, n) => sum + n, 0) / movieOf.length
    }
    const ratings = imported['ratings.csv'].values.map((rating) => rating.movielens_id)
    // A bit below the tweets: a user who favours a taste group rates its few hits once, and the
    // rest of their draws in the group spread over its other movies.
    expect(share(ratings)).toBeGreaterThan(0.22)
    const reviews = imported['tweets.jsonl'].values.flatMap((tweet) =>
      tweet.kind === 'review' ? ['tmdb_id' in tweet.movie ? tweet.movie.tmdb_id : tweet.movie.movie_id] : []
    )
    expect(share(reviews)).toBeGreaterThan(0.25)
  })

  it('makes a few genres very large and others small', () => {
    const movies = imported['movies.csv'].values
    const perGenre = new Map<string, number>()
    for (const movie of movies)
      for (const genre of movie.genres) perGenre.set(genre, (perGenre.get(genre) ?? 0) + 1)
    expect((perGenre.get('Drama') ?? 0) / movies.length).toBeGreaterThan(0.35)
    expect((perGenre.get('Comedy') ?? 0) / movies.length).toBeGreaterThan(0.2)
    expect(Math.min(...perGenre.values()) / movies.length).toBeLessThan(0.02)
    expect(movies.some((movie) => movie.genres.length === 0)).toBe(true)
  })

  it('writes titles with commas, quotes, alternative titles, no year and non-ASCII letters', async () => {
    const text = await readFile(join(dir, 'movies.csv'), 'utf8')
    expect(text).toMatch(/^\d+,"[^"\n]*, The \(\d{4}\)",/m)
    expect(text).toContain('""')
    expect(text).toMatch(/[éñüöçãá]/)
    expect(text).toMatch(/\p{Script=Han}/u)
    const titles = imported['movies.csv'].values
    expect(titles.some((movie) => movie.year === null)).toBe(true)
    expect(titles.every((movie) => movielens.splitTitleYear(movie.title).year === null)).toBe(true)
  })

  it('chains franchises of 2 to 6 movies in TMDB collections, listed as similar to each other', () => {
    const records = imported['tmdb.jsonl'].values
    const byCollection = new Map<number, TmdbRecord[]>()
    for (const record of records) {
      if (record.collection)
        byCollection.set(record.collection.tmdb_id, [
          ...(byCollection.get(record.collection.tmdb_id) ?? []),
          record
        ])
    }
    expect(byCollection.size).toBeGreaterThan(5)
    for (const members of byCollection.values()) {
      expect(members.length).toBeGreaterThanOrEqual(1)
      expect(members.length).toBeLessThanOrEqual(6)
      const [first, second] = members
      if (first && second) {
        expect(first.similar).toContain(second.movie.tmdb_id)
        if (first.movie.year !== null && second.movie.year !== null)
          expect(second.movie.year).toBeGreaterThanOrEqual(first.movie.year)
      }
    }
    expect([...byCollection.values()].some((members) => members.length >= 3)).toBe(true)
  })

  it('writes tweet ids as strings of 18–19 digits above 2^53, with retweets and hashtags', async () => {
    const tweets = imported['tweets.jsonl'].values
    const ids = tweets.map((tweet) => (tweet.kind === 'retweet' ? tweet.tweet_id : tweet.tweet.tweet_id))
    for (const id of ids) {
      expect(id).toMatch(/^\d{18,19}$/)
      expect(BigInt(id) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true)
    }
    expect(ids.some((id) => id.length === 19)).toBe(true)
    const retweets = tweets.filter((tweet) => tweet.kind === 'retweet')
    expect(retweets.length / tweets.length).toBeGreaterThan(0.08)
    const known = new Set(ids)
    for (const retweet of retweets) expect(known.has(retweet.of)).toBe(true)
    const byHashtag = tweets.filter((tweet) => tweet.kind === 'review' && tweet.matched_by === 'hashtag')
    expect(byHashtag.length / tweets.length).toBeGreaterThan(0.2)
    // The raw file really holds strings: no id survives as a bare number in a good line.
    const text = await readFile(join(dir, 'tweets.jsonl'), 'utf8')
    expect(text).toMatch(/^\{"id":"\d{18,19}"/m)
  })

  it('writes a clean dataset when the rate is 0', async () => {
    const clean = await importAll(
      await generate({ movies: 200, users: 40, ratings: 2000, tweets: 500, malformedRate: 0 })
    )
    for (const [file, result] of Object.entries(clean))
      expect([file, result.rejected, result.duplicates]).toEqual([file, 0, 0])
  })

  it('uses about 0.5% by default', async () => {
    const out = await generate({ malformedRate: undefined })
    const defaults = JSON.parse(await readFile(join(out, MANIFEST_FILE), 'utf8')) as Manifest & {
      malformed_rate: number
    }
    expect(defaults.malformed_rate).toBe(0.005)
    const injected = Object.values(defaults.files['ratings.csv']?.injected ?? {}).reduce(
      (sum, n) => sum + n,
      0
    )
    expect(injected).toBeGreaterThan(100)
    expect(injected).toBeLessThan(200)
  })

  it('shifts every id but the tweet ids by idOffset', async () => {
    const plain = await freshDir()
    const shifted = await freshDir()
    const options = { movies: 20, users: 5, ratings: 40, tweets: 10, seed: 3, malformedRate: 0 }
    await generateDataset({ ...options, out: plain })
    await generateDataset({ ...options, out: shifted, idOffset: 1_000_000 })
    const shift = (line: string, columns: number): string =>
      line
        .split(',')
        .map((field, i) => (i < columns && /^\d+$/.test(field) ? String(Number(field) + 1_000_000) : field))
        .join(',')
    const lines = async (dir: string, file: string) => (await readFile(join(dir, file), 'utf8')).split('\n')
    const [header, ...ratings] = await lines(plain, 'ratings.csv')
    expect(await lines(shifted, 'ratings.csv')).toEqual([header, ...ratings.map((line) => shift(line, 2))])
    const links = (await lines(plain, 'links.csv')).slice(1, 3)
    expect((await lines(shifted, 'links.csv')).slice(1, 3)).toEqual(
      links.map((line) => {
        const [movie, imdb, tmdb] = line.split(',') as [string, string, string]
        return [
          Number(movie) + 1_000_000,
          String(Number(imdb) + 1_000_000).padStart(7, '0'),
          Number(tmdb) + 1_000_000
        ].join(',')
      })
    )
    const tweetIds = (text: string[]) =>
      text.filter(Boolean).map((line) => (JSON.parse(line) as { id: string }).id)
    expect(tweetIds(await lines(shifted, 'tweets.jsonl'))).toEqual(
      tweetIds(await lines(plain, 'tweets.jsonl'))
    )
    await expect(generateDataset({ ...options, out: shifted, idOffset: 2_147_480_000 })).rejects.toThrow(
      /no room/
    )
  })

  it('refuses impossible options', async () => {
    const out = await freshDir()
    await expect(generateDataset({ ...small, out, users: 2, movies: 10, ratings: 11 })).rejects.toThrow(
      '11 ratings do not fit: at most 10'
    )
    await expect(generateDataset({ ...small, out, malformedRate: 0.9 })).rejects.toThrow(
      'malformed rate must be between 0 and 0.5'
    )
    await expect(generateDataset({ ...small, out, movies: 0 })).rejects.toThrow(
      'movies must be an integer of at least 1, got 0'
    )
  })
})
