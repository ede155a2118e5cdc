/**
 * Id spaces for the import tests. The tests share one Neo4j with other test files and with each
 * other, and the fixtures use real ids (862 is also the demo's Toy Story), so every test loads its
 * data shifted into a range of ids of its own: MovieLens movie and user ids, TMDB ids, IMDb
 * numbers and collection ids move by the space's offset, tweet ids by offset × 10^9 (they stay
 * 19-digit strings above 2^53). Snapshots read back only the space's nodes, and cleanup deletes
 * only them.
 */
import { randomInt } from 'node:crypto'
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { int } from '../../src/db/convert.js'
import type { Database } from '../../src/db/database.js'
import { generateDataset } from '../../src/generate/dataset.js'
import type { GenerateOptions } from '../../src/generate/dataset.js'

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url))

/** Room for one space's ids: the largest fixture id is 1,375,666 (an IMDb number). */
const SPACE_WIDTH = 2_000_000

export interface IdSpace {
  offset: number
  /** A MovieLens, TMDB, IMDb or collection id moved into the space. */
  id(value: number): number
  movieLensMovie(value: number): string
  movieLensUser(value: number): string
  tmdbMovie(value: number): string
  imdb(value: string): string
  tweet(value: string): string
  /** Inverse of the above for a movie_id or user_id, for comparing two spaces. */
  normalize(id: string): string
}

/**
 * A space of its own for each call: `slot` (0–9) keeps the test files apart, the random part
 * keeps reruns apart from whatever an interrupted earlier run left behind.
 */
export function idSpace(slot: number): IdSpace {
  const start = (firstSpace[slot] ??= randomInt(SPACES_PER_SLOT))
  const taken = (usedSpaces[slot] = (usedSpaces[slot] ?? 0) + 1)
  if (taken > SPACES_PER_SLOT) throw new Error(`slot ${slot} has no id space left`)
  const index = (start + taken - 1) % SPACES_PER_SLOT
  return spaceAt(SPACES_FROM + (slot * SPACES_PER_SLOT + index) * SPACE_WIDTH)
}

const SPACES_PER_SLOT = 20
/**
 * 2×10^8 to 6×10^8: below the random TMDB ids other test files use (from 9×10^8 up), far above
 * real and demo ids, and low enough for 32-bit ids and 19-digit shifted tweet ids.
 */
const SPACES_FROM = 200_000_000
const firstSpace: number[] = []
const usedSpaces: number[] = []

/** Appends one line to a text file (after a newline if the file lacks a final one); returns its line number. */
export async function appendLine(path: string, line: string): Promise<number> {
  const text = await readFile(path, 'utf8')
  const joined = text === '' || text.endsWith('\n') ? `${text}${line}\n` : `${text}\n${line}\n`
  await writeFile(path, joined)
  return joined.split('\n').length - 1
}

export function spaceAt(offset: number): IdSpace {
  const tweetShift = BigInt(offset) * 1_000_000_000n
  return {
    offset,
    id: (value) => value + offset,
    movieLensMovie: (value) => `ml-${value + offset}`,
    movieLensUser: (value) => `ml-${value + offset}`,
    tmdbMovie: (value) => `tmdb-${value + offset}`,
    imdb: (value) => `tt${String(Number(value.replace(/^tt/, '')) + offset).padStart(7, '0')}`,
    tweet: (value) => (BigInt(value) + tweetShift).toString(),
    normalize: (id) =>
      id.replace(/^(ml|tmdb)-(\d+)$/, (_, prefix: string, n: string) => `${prefix}-${Number(n) - offset}`)
  }
}

const DIGITS = /^\d+$/

function shiftCsvFields(line: string, space: IdSpace, fields: Array<'id' | 'imdb'>): string {
  const parts = line.split(',')
  fields.forEach((kind, i) => {
    const value = parts[i]
    if (value === undefined) return
    if (kind === 'id' && DIGITS.test(value)) parts[i] = String(space.id(Number(value)))
    if (kind === 'imdb' && /^(tt)?\d+$/.test(value)) parts[i] = space.imdb(value).slice(2)
  })
  return parts.join(',')
}

function shiftCsv(text: string, space: IdSpace, fields: Array<'id' | 'imdb'>): string {
  const lines = text.split('\n')
  return lines.map((line, i) => (i === 0 ? line : shiftCsvFields(line, space, fields))).join('\n')
}

function shiftJsonLines(text: string, shift: (value: Record<string, unknown>) => void): string {
  return text
    .split('\n')
    .map((line) => {
      let value: unknown
      try {
        value = JSON.parse(line)
      } catch {
        return line
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return line
      shift(value as Record<string, unknown>)
      return JSON.stringify(value)
    })
    .join('\n')
}

function shiftTmdb(details: Record<string, unknown>, space: IdSpace): void {
  if (typeof details.id === 'number') details.id = space.id(details.id)
  if (typeof details.imdb_id === 'string' && /^tt\d+$/.test(details.imdb_id))
    details.imdb_id = space.imdb(details.imdb_id)
  const collection = details.belongs_to_collection as Record<string, unknown> | null | undefined
  if (collection && typeof collection.id === 'number') collection.id = space.id(collection.id)
  for (const list of ['similar', 'recommendations']) {
    const results = (details[list] as { results?: Array<{ id: unknown }> } | null | undefined)?.results
    for (const entry of results ?? []) if (typeof entry.id === 'number') entry.id = space.id(entry.id)
  }
}

function shiftMovieRef(object: Record<string, unknown>, space: IdSpace): void {
  if (typeof object.tmdb_id === 'number') object.tmdb_id = space.id(object.tmdb_id)
  if (typeof object.movie_id === 'string') object.movie_id = shiftMovieId(object.movie_id, space)
}

function shiftMovieId(id: string, space: IdSpace): string {
  return id.replace(/^(ml|tmdb)-(\d+)$/, (_, prefix: string, n: string) => `${prefix}-${space.id(Number(n))}`)
}

function shiftTweet(object: Record<string, unknown>, space: IdSpace): void {
  shiftMovieRef(object, space)
  const data = (object.id === undefined ? object.data : object) as Record<string, unknown> | undefined
  if (!data) return
  if (data !== object) shiftMovieRef(data, space)
  if (typeof data.id === 'string' && DIGITS.test(data.id)) data.id = space.tweet(data.id)
  const references = data.referenced_tweets as Array<{ id: unknown }> | undefined
  if (Array.isArray(references)) {
    for (const reference of references) {
      if (typeof reference.id === 'string' && DIGITS.test(reference.id) && reference.id.length > 5) {
        reference.id = space.tweet(reference.id)
      }
    }
  }
}

export interface FixtureCopy {
  dir: string
  movielens: string
  tmdb: string
  tweets: string
  hashtags: string
}

/** The fixture files with their ids moved into `space`, line for line (bad lines stay as they are). */
export async function copyFixtures(space: IdSpace): Promise<FixtureCopy> {
  const dir = await mkdtemp(join(tmpdir(), 'cinegraph-import-'))
  const movielens = join(dir, 'movielens')
  await mkdir(movielens)
  const columns: Record<string, Array<'id' | 'imdb'>> = {
    'movies.csv': ['id'],
    'links.csv': ['id', 'imdb', 'id'],
    'ratings.csv': ['id', 'id'],
    'tags.csv': ['id', 'id']
  }
  for (const file of await readdir(join(FIXTURES, 'movielens'))) {
    const text = await readFile(join(FIXTURES, 'movielens', file), 'utf8')
    await writeFile(join(movielens, file), shiftCsv(text, space, columns[file] ?? []))
  }
  const tmdb = join(dir, 'tmdb.jsonl')
  await writeFile(
    tmdb,
    shiftJsonLines(await readFile(join(FIXTURES, 'tmdb.jsonl'), 'utf8'), (d) => shiftTmdb(d, space))
  )
  const tweets = join(dir, 'tweets.jsonl')
  await writeFile(
    tweets,
    shiftJsonLines(await readFile(join(FIXTURES, 'tweets.jsonl'), 'utf8'), (t) => shiftTweet(t, space))
  )
  const map = JSON.parse(await readFile(join(FIXTURES, 'hashtags.json'), 'utf8')) as Record<
    string,
    Record<string, unknown>
  >
  for (const target of Object.values(map)) shiftMovieRef(target, space)
  const hashtags = join(dir, 'hashtags.json')
  await writeFile(hashtags, JSON.stringify(map, null, 2))
  return { dir, movielens, tmdb, tweets, hashtags }
}

/**
 * The spaces and fixture copies one test file makes, each test a space of its own in the file's
 * `slot`, so that the file can take them all away at the end.
 */
export class FixtureSpaces {
  private readonly spaces: IdSpace[] = []
  private readonly copies: FixtureCopy[] = []

  constructor(private readonly slot: number) {}

  /** A new space with the fixture files moved into it. */
  async next(): Promise<{ space: IdSpace; copy: FixtureCopy }> {
    const space = idSpace(this.slot)
    this.spaces.push(space)
    const copy = await copyFixtures(space)
    this.copies.push(copy)
    return { space, copy }
  }

  /** Deletes what every space holds, with the MovieLens `users` of each, and the fixture copies. */
  async remove(db: Database, users: number[] = []): Promise<void> {
    for (const space of this.spaces) {
      await deleteSpace(
        db,
        space,
        users.map((u) => space.movieLensUser(u))
      )
    }
    for (const copy of this.copies) await removeDir(copy.dir)
  }
}

/** A generated dataset in `space` (its offset goes to the generator). */
export async function generateInSpace(
  space: IdSpace,
  options: Omit<GenerateOptions, 'out' | 'idOffset'>
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cinegraph-generated-'))
  await generateDataset({ ...options, out: dir, idOffset: space.offset })
  return dir
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true })
}

const RANGE = (space: IdSpace) => ({ lo: int(space.offset), hi: int(space.offset + SPACE_WIDTH - 1) })

/** The movies of a space: by MovieLens id or TMDB id in its range (both are range-indexed). */
const SPACE_MOVIES = `
CALL () {
  MATCH (m:Movie) WHERE m.movielens_id >= $lo AND m.movielens_id <= $hi RETURN m
  UNION
  MATCH (m:Movie) WHERE m.tmdb_id >= $lo AND m.tmdb_id <= $hi RETURN m
}`

/** Deletes everything a space wrote: its movies with their ratings and reviews, and its users. */
export async function deleteSpace(db: Database, space: IdSpace, userIds: string[] = []): Promise<void> {
  await db.writeRows(
    `${SPACE_MOVIES}
     OPTIONAL MATCH (m)<-[:RATES|REVIEWS]-(x)
     DETACH DELETE x
     WITH DISTINCT m
     DETACH DELETE m`,
    RANGE(space)
  )
  if (userIds.length > 0) {
    await db.writeRows(`UNWIND $ids AS id MATCH (u:User {user_id: id}) DETACH DELETE u`, { ids: userIds })
  }
}

export interface Snapshot {
  movies: Array<Record<string, unknown>>
  ratings: Array<Record<string, unknown>>
  reviews: Array<Record<string, unknown>>
  edges: Array<Record<string, unknown>>
  tags: Array<Record<string, unknown>>
  users: string[]
}

/**
 * Everything an import wrote into a space, with ids normalised out of the space (so two spaces
 * loaded from the same data compare equal) and the wall-clock timestamps left out.
 */
export async function snapshot(db: Database, space: IdSpace): Promise<Snapshot> {
  const n = space.normalize
  const movies = await db.readRows<Record<string, unknown>>(
    `${SPACE_MOVIES}
     RETURN m {.*, created_at: null, updated_at: null,
               genres: COLLECT { MATCH (m)-[:IN_GENRE]->(g:Genre) RETURN g.name ORDER BY g.name }} AS movie
     ORDER BY m.movie_id`,
    RANGE(space)
  )
  const ratings = await db.readRows<Record<string, unknown>>(
    `${SPACE_MOVIES}
     MATCH (m)<-[:RATES]-(r:Rating)<-[:GAVE]-(u:User)
     RETURN m.movie_id AS movie_id, u.user_id AS user_id, r.score AS score, r.original_score AS original_score,
            r.original_scale_min AS scale_min, r.original_scale_max AS scale_max, r.source AS source,
            r.rated_at AS rated_at, r.rating_id AS rating_id,
            COUNT { (r)-[]-() } AS degree`,
    RANGE(space)
  )
  const reviews = await db.readRows<Record<string, unknown>>(
    `${SPACE_MOVIES}
     MATCH (m)<-[:REVIEWS]-(r:Review)
     RETURN m.movie_id AS movie_id, r {.*, updated_at: null, review_id: null} AS review,
            COUNT { (r)-[]-() } AS degree`,
    RANGE(space)
  )
  const edges = await db.readRows<Record<string, unknown>>(
    `${SPACE_MOVIES}
     MATCH (m)-[e:SIMILAR_TO|SAME_FRANCHISE]->(o:Movie)
     RETURN type(e) AS type, m.movie_id AS from, o.movie_id AS to, e.source AS source, e.score AS score`,
    RANGE(space)
  )
  const tags = await db.readRows<Record<string, unknown>>(
    `${SPACE_MOVIES}
     MATCH (m)<-[t:TAGGED]-(u:User)
     RETURN m.movie_id AS movie_id, u.user_id AS user_id, t.tag AS tag, t.tagged_at AS tagged_at`,
    RANGE(space)
  )
  const users = await db.readRows<{ user_id: string }>(
    `${SPACE_MOVIES}
     MATCH (m)<-[:RATES]-(:Rating)<-[:GAVE]-(u:User)
     RETURN DISTINCT u.user_id AS user_id
     UNION
     ${SPACE_MOVIES}
     MATCH (m)<-[:TAGGED]-(u:User)
     RETURN DISTINCT u.user_id AS user_id`,
    RANGE(space)
  )
  const byKey = (a: Record<string, unknown>, b: Record<string, unknown>): number => {
    const x = JSON.stringify(a)
    const y = JSON.stringify(b)
    return x < y ? -1 : x > y ? 1 : 0
  }
  return {
    movies: movies.map((row) => normalizeMovie(row.movie as Record<string, unknown>, space)).sort(byKey),
    ratings: ratings
      .map(({ rating_id: _, ...r }) => ({
        ...r,
        movie_id: n(r.movie_id as string),
        user_id: n(r.user_id as string)
      }))
      .sort(byKey),
    reviews: reviews.map((r) => ({ ...r, movie_id: n(r.movie_id as string) })).sort(byKey),
    edges: edges.map((e) => ({ ...e, from: n(e.from as string), to: n(e.to as string) })).sort(byKey),
    tags: tags
      .map((t) => ({ ...t, movie_id: n(t.movie_id as string), user_id: n(t.user_id as string) }))
      .sort(byKey),
    users: users.map((u) => n(u.user_id)).sort()
  }
}

function normalizeMovie(movie: Record<string, unknown>, space: IdSpace): Record<string, unknown> {
  const out: Record<string, unknown> = { ...movie, movie_id: space.normalize(movie.movie_id as string) }
  for (const key of ['tmdb_id', 'movielens_id', 'collection_id']) {
    if (typeof out[key] === 'number') out[key] = (out[key] as number) - space.offset
  }
  if (typeof out.imdb_id === 'string') {
    out.imdb_id = `tt${String(Number(out.imdb_id.slice(2)) - space.offset).padStart(7, '0')}`
  }
  for (const key of ['tmdb_similar_ids', 'tmdb_recommended_ids']) {
    if (Array.isArray(out[key])) out[key] = (out[key] as number[]).map((id) => id - space.offset)
  }
  return out
}

/** The movie aggregates next to what the movie's ratings and reviews say they should be. */
export async function aggregateDrift(db: Database, space: IdSpace): Promise<Array<Record<string, unknown>>> {
  return db.readRows(
    `${SPACE_MOVIES}
     WITH m,
          COLLECT { MATCH (m)<-[:RATES]-(r:Rating) RETURN r.score } AS scores,
          COLLECT { MATCH (m)<-[:REVIEWS]-(v:Review) RETURN v.sentiment_score } AS sentiments
     WITH m, scores, sentiments,
          reduce(s = 0.0, x IN scores | s + x) AS rating_sum,
          reduce(s = 0.0, x IN sentiments | s + x) AS sentiment_sum
     WHERE m.rating_count <> size(scores) OR m.review_count <> size(sentiments)
        OR abs(m.rating_sum - rating_sum) > 1e-6 OR abs(m.sentiment_sum - sentiment_sum) > 1e-6
        OR CASE WHEN size(scores) = 0 THEN m.rating_mean IS NOT NULL
                ELSE coalesce(abs(m.rating_mean - rating_sum / size(scores)) > 1e-9, true) END
        OR CASE WHEN size(sentiments) = 0 THEN m.sentiment_mean IS NOT NULL
                ELSE coalesce(abs(m.sentiment_mean - sentiment_sum / size(sentiments)) > 1e-9, true) END
     RETURN m.movie_id AS movie_id, m.rating_count AS rating_count, size(scores) AS ratings,
            m.rating_sum AS rating_sum, rating_sum AS actual_rating_sum,
            m.review_count AS review_count, size(sentiments) AS reviews,
            m.sentiment_sum AS sentiment_sum, sentiment_sum AS actual_sentiment_sum`,
    RANGE(space)
  )
}

/** Lines of a rejects file as objects. */
export async function readRejects(
  path: string
): Promise<Array<{ line: number; row: unknown; reason: string }>> {
  const text = await readFile(path, 'utf8')
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { line: number; row: unknown; reason: string })
}
