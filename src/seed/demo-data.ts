/**
 * The demo dataset as it sits in data/demo/: one JSON file per kind of record. Reading checks the
 * shapes and the references between files, so a hand edit that breaks the data fails here with
 * the file and record named, before anything is written.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { PROJECT_ROOT } from '../project-root.js'
import { EDGE_SOURCES, isRelationshipType } from '../domain/relationship-types.js'
import type { RelationshipType } from '../domain/relationship-types.js'

export const DEFAULT_DEMO_DIR = join(PROJECT_ROOT, 'data', 'demo')

export interface DemoManifest {
  name: string
  /** Every timestamp in the dataset lies before this instant, so analyses over it are repeatable. */
  anchor: string
  relationship_source: string
}

export interface DemoGenre {
  name: string
  tmdb_genre_id: number
}

export interface DemoMovie {
  tmdb_id: number
  imdb_id: string
  title: string
  original_title: string
  original_language: string
  release_date: string
  runtime: number
  genres: string[]
  overview: string
}

export interface DemoRelationship {
  type: RelationshipType
  from_tmdb_id: number
  to_tmdb_id: number
  score?: number
}

export interface DemoUser {
  user_id: string
  created_at: string
}

/** Either a 0–10 `score` or a `value` on its own `scale`, as the ratings API accepts them. */
export interface DemoRating {
  user_id: string
  tmdb_id: number
  score?: number
  value?: number
  scale?: { min: number; max: number }
  rated_at: string
}

export interface DemoReview {
  review_id: string
  tmdb_id: number
  source: 'tweet' | 'tmdb' | 'user'
  tweet_id?: string
  author?: string
  author_id?: string
  language?: string
  content: string
  created_at: string
  url?: string
  retweet_count?: number
  sentiment_score?: number
  sentiment_label?: 'positive' | 'neutral' | 'negative'
}

export interface DemoSearch {
  search_id: string
  query: string
  searched_at: string
  user_id?: string
  filters?: { genre?: string; year_from?: number; year_to?: number }
  results: { tmdb_id: number; rank: number; score: number }[]
  selected: { tmdb_id: number; at: string }[]
}

export interface DemoData {
  manifest: DemoManifest
  genres: DemoGenre[]
  movies: DemoMovie[]
  relationships: DemoRelationship[]
  users: DemoUser[]
  ratings: DemoRating[]
  reviews: DemoReview[]
  searches: DemoSearch[]
}

export class DemoDataError extends Error {}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/
const TWEET_ID = /^[0-9]{19}$/
const IMDB_ID = /^tt\d{7,}$/
const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/

async function readJson(dir: string, file: string): Promise<unknown> {
  const path = join(dir, file)
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    throw new DemoDataError(`cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`)
  }
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new DemoDataError(`${path} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`)
  }
}

function list<T>(value: unknown, file: string): T[] {
  if (!Array.isArray(value)) throw new DemoDataError(`${file} must hold a JSON array`)
  return value as T[]
}

function check(ok: boolean, file: string, index: number, message: string): void {
  if (!ok) throw new DemoDataError(`${file}[${index}]: ${message}`)
}

const isInt = (v: unknown): v is number => Number.isSafeInteger(v)
const isText = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0
const isInstant = (v: unknown): v is string =>
  typeof v === 'string' && ISO_INSTANT.test(v) && !Number.isNaN(Date.parse(v))
const isId = (v: unknown): v is string => typeof v === 'string' && ID.test(v) && v.length <= 128

function unique<T>(rows: T[], key: (row: T) => string | number, file: string, what: string): void {
  const seen = new Set<string | number>()
  rows.forEach((row, i) => {
    const k = key(row)
    check(!seen.has(k), file, i, `duplicate ${what} ${String(k)}`)
    seen.add(k)
  })
}

export async function readDemoData(dir = DEFAULT_DEMO_DIR): Promise<DemoData> {
  const manifest = (await readJson(dir, 'manifest.json')) as DemoManifest
  if (!isInstant(manifest?.anchor)) throw new DemoDataError('manifest.json: anchor must be an ISO instant')
  if (!(EDGE_SOURCES as readonly string[]).includes(manifest.relationship_source)) {
    throw new DemoDataError(`manifest.json: relationship_source must be one of ${EDGE_SOURCES.join(', ')}`)
  }
  const anchor = Date.parse(manifest.anchor)
  const beforeAnchor = (v: unknown): boolean => isInstant(v) && Date.parse(v) <= anchor

  const genres = list<DemoGenre>(await readJson(dir, 'genres.json'), 'genres.json')
  genres.forEach((g, i) =>
    check(isText(g.name) && isInt(g.tmdb_genre_id), 'genres.json', i, 'needs name and tmdb_genre_id')
  )
  unique(genres, (g) => g.name, 'genres.json', 'genre')
  const genreNames = new Set(genres.map((g) => g.name))

  const movies = list<DemoMovie>(await readJson(dir, 'movies.json'), 'movies.json')
  movies.forEach((m, i) => {
    const f = 'movies.json'
    check(isInt(m.tmdb_id) && m.tmdb_id > 0, f, i, 'tmdb_id must be a positive integer')
    check(typeof m.imdb_id === 'string' && IMDB_ID.test(m.imdb_id), f, i, 'imdb_id must look like tt0068646')
    check(isText(m.title) && isText(m.original_title), f, i, 'needs title and original_title')
    check(
      typeof m.release_date === 'string' && ISO_DATE.test(m.release_date),
      f,
      i,
      'release_date must be YYYY-MM-DD'
    )
    check(isInt(m.runtime) && m.runtime > 0, f, i, 'runtime must be a positive integer')
    check(/^[a-z]{2,3}$/.test(m.original_language), f, i, 'original_language must be a language code')
    check(
      Array.isArray(m.genres) && m.genres.every((g) => genreNames.has(g)),
      f,
      i,
      'genres must be in genres.json'
    )
  })
  unique(movies, (m) => m.tmdb_id, 'movies.json', 'tmdb_id')
  unique(movies, (m) => m.imdb_id, 'movies.json', 'imdb_id')
  const tmdbIds = new Set(movies.map((m) => m.tmdb_id))
  const isMovie = (v: unknown): boolean => isInt(v) && tmdbIds.has(v)

  const relationships = list<DemoRelationship>(
    await readJson(dir, 'relationships.json'),
    'relationships.json'
  )
  relationships.forEach((r, i) => {
    const f = 'relationships.json'
    check(isRelationshipType(r.type), f, i, `unknown relationship type ${String(r.type)}`)
    check(isMovie(r.from_tmdb_id) && isMovie(r.to_tmdb_id), f, i, 'both ends must be movies of movies.json')
    check(r.from_tmdb_id !== r.to_tmdb_id, f, i, 'a movie cannot relate to itself')
    if (r.type === 'SIMILAR_TO')
      check(typeof r.score === 'number' && r.score >= 0 && r.score <= 1, f, i, 'needs a score in 0..1')
  })

  const users = list<DemoUser>(await readJson(dir, 'users.json'), 'users.json')
  users.forEach((u, i) =>
    check(isId(u.user_id) && beforeAnchor(u.created_at), 'users.json', i, 'needs user_id and created_at')
  )
  unique(users, (u) => u.user_id, 'users.json', 'user_id')
  const userIds = new Set(users.map((u) => u.user_id))

  const ratings = list<DemoRating>(await readJson(dir, 'ratings.json'), 'ratings.json')
  ratings.forEach((r, i) => {
    const f = 'ratings.json'
    check(
      userIds.has(r.user_id) && isMovie(r.tmdb_id),
      f,
      i,
      'user and movie must be in users.json and movies.json'
    )
    check(beforeAnchor(r.rated_at), f, i, 'rated_at must be an ISO instant before the anchor')
    const byScore = typeof r.score === 'number' && r.score >= 0 && r.score <= 10 && r.value === undefined
    const byValue =
      r.score === undefined &&
      typeof r.value === 'number' &&
      typeof r.scale?.min === 'number' &&
      typeof r.scale.max === 'number' &&
      r.scale.min < r.scale.max &&
      r.value >= r.scale.min &&
      r.value <= r.scale.max
    check(byScore || byValue, f, i, 'needs a 0–10 score, or a value within its scale')
  })
  // One rating per user and movie, as the ratings API keeps it.
  unique(ratings, (r) => `${r.user_id} ${r.tmdb_id}`, 'ratings.json', 'rating of user and movie')

  const reviews = list<DemoReview>(await readJson(dir, 'reviews.json'), 'reviews.json')
  reviews.forEach((r, i) => {
    const f = 'reviews.json'
    check(isId(r.review_id) && isMovie(r.tmdb_id), f, i, 'needs review_id and a movie of movies.json')
    check(['tweet', 'tmdb', 'user'].includes(r.source), f, i, 'source must be tweet, tmdb or user')
    check(
      r.source !== 'tweet' || (typeof r.tweet_id === 'string' && TWEET_ID.test(r.tweet_id)),
      f,
      i,
      'a tweet needs a 19-digit tweet_id string'
    )
    check(r.tweet_id === undefined || r.source === 'tweet', f, i, 'only tweets carry a tweet_id')
    check(
      isText(r.content) && beforeAnchor(r.created_at),
      f,
      i,
      'needs content and created_at before the anchor'
    )
    check(r.author_id === undefined || userIds.has(r.author_id), f, i, 'author_id must be in users.json')
    check(
      r.sentiment_score === undefined ||
        (typeof r.sentiment_score === 'number' && Math.abs(r.sentiment_score) <= 1),
      f,
      i,
      'sentiment_score must be in -1..1'
    )
  })
  unique(reviews, (r) => r.review_id, 'reviews.json', 'review_id')
  unique(
    reviews.filter((r) => r.tweet_id !== undefined),
    (r) => r.tweet_id as string,
    'reviews.json',
    'tweet_id'
  )

  const searches = list<DemoSearch>(await readJson(dir, 'searches.json'), 'searches.json')
  searches.forEach((s, i) => {
    const f = 'searches.json'
    check(
      isId(s.search_id) && isText(s.query) && beforeAnchor(s.searched_at),
      f,
      i,
      'needs search_id, query, searched_at'
    )
    check(s.user_id === undefined || userIds.has(s.user_id), f, i, 'user_id must be in users.json')
    check(
      Array.isArray(s.results) && s.results.every((h) => isMovie(h.tmdb_id) && isInt(h.rank)),
      f,
      i,
      'bad results'
    )
    const returned = new Set(s.results.map((h) => h.tmdb_id))
    check(
      Array.isArray(s.selected) && s.selected.every((x) => returned.has(x.tmdb_id) && beforeAnchor(x.at)),
      f,
      i,
      'a selected movie must be one of the results'
    )
  })
  unique(searches, (s) => s.search_id, 'searches.json', 'search_id')

  return { manifest, genres, movies, relationships, users, ratings, reviews, searches }
}
