/**
 * Loads the demo dataset (data/demo/) into the graph: genres and users first, then the movies,
 * edges, ratings, reviews and searches that point at them, and finally the movie aggregates,
 * recomputed from the Rating and Review nodes. It all runs in one write transaction, so a failed
 * load leaves nothing half-written, and every write MERGEs on a unique key, so loading twice
 * leaves the same graph.
 */
import type { ManagedTransaction } from 'neo4j-driver'
import { int } from '../db/convert.js'
import type { Database } from '../db/database.js'
import { recomputeAggregates } from '../data/movies/aggregates.js'
import { canonicalEndpoints, RELATIONSHIP_TYPES } from '../domain/relationship-types.js'
import { tmdbMovieId } from '../ingest/tmdb.js'
import { normalizeQuery } from '../lib/lucene.js'
import { ratingId, scoreFields } from '../data/ratings/repository.js'
import { newReviewProps, resolveSentiment } from '../data/reviews/fields.js'
import { DEFAULT_DEMO_DIR, readDemoData } from './demo-data.js'
import type { DemoData, DemoSearch } from './demo-data.js'
import { ENSURE_GENRES, ENSURE_GENRE_TMDB_IDS } from '../ingest/queries.js'
import { chunks } from '../ingest/writer.js'
import {
  MERGE_MOVIES,
  MERGE_RATINGS,
  MERGE_REVIEWS,
  MERGE_SEARCHES,
  MERGE_USERS,
  mergeRelationships
} from './queries.js'

export interface SeedOptions {
  dir?: string
  /** Rows per UNWIND statement. */
  batchSize?: number
}

export interface SeedSummary {
  dir: string
  anchor: string
  genres: number
  movies: number
  users: number
  relationships: number
  ratings: number
  reviews: number
  searches: number
}

const DEFAULT_BATCH = 500
const RATING_SOURCE = 'user'

async function runBatched(tx: ManagedTransaction, query: string, rows: unknown[], size: number, extra = {}) {
  for (const batch of chunks(rows, size)) await tx.run(query, { ...extra, rows: batch })
}

/** Filters in the key order the searches API stores them in, so equal filters are equal strings. */
function filtersJson(filters: DemoSearch['filters']): string {
  const out: Record<string, unknown> = {}
  if (filters?.genre !== undefined) out.genre = filters.genre
  if (filters?.year_from !== undefined) out.year_from = filters.year_from
  if (filters?.year_to !== undefined) out.year_to = filters.year_to
  return JSON.stringify(out)
}

async function writeMovies(
  tx: ManagedTransaction,
  data: DemoData,
  size: number
): Promise<Map<number, string>> {
  const rows = data.movies.map((m) => ({
    tmdb_id: int(m.tmdb_id),
    movie_id: tmdbMovieId(m.tmdb_id),
    genres: [...new Set(m.genres)].sort(),
    props: {
      tmdb_id: int(m.tmdb_id),
      imdb_id: m.imdb_id,
      title: m.title,
      original_title: m.original_title,
      overview: m.overview,
      release_date: m.release_date,
      year: int(Number(m.release_date.slice(0, 4))),
      runtime: int(m.runtime),
      original_language: m.original_language
    }
  }))
  const ids = new Map<number, string>()
  for (const batch of chunks(rows, size)) {
    const result = await tx.run(MERGE_MOVIES, { rows: batch })
    for (const record of result.records) {
      ids.set(Number(record.get('tmdb_id')), record.get('movie_id') as string)
    }
  }
  return ids
}

export async function seedDemo(db: Database, options: SeedOptions = {}): Promise<SeedSummary> {
  const dir = options.dir ?? DEFAULT_DEMO_DIR
  const size = options.batchSize ?? DEFAULT_BATCH
  const data = await readDemoData(dir)

  // Sentiment is computed once, outside the transaction, which the driver may retry.
  const reviewRows = data.reviews.map((r) => ({
    review_id: r.review_id,
    tmdb_id: r.tmdb_id,
    created_at: r.created_at,
    author_id: r.author_id ?? null,
    props: newReviewProps(r.review_id, r, resolveSentiment(r.content, r))
  }))

  await db.write(async (tx) => {
    // The importers' rule: a genre is its name, and keeps an id it has; an id another genre
    // holds stays there, so an operator's genres never stop the demo from loading.
    await tx.run(ENSURE_GENRES, { names: data.genres.map((g) => g.name) })
    await tx.run(ENSURE_GENRE_TMDB_IDS, {
      genres: data.genres.map((g) => ({ name: g.name, tmdb_genre_id: int(g.tmdb_genre_id) }))
    })
    await runBatched(tx, MERGE_USERS, data.users, size)
    const movieIds = await writeMovies(tx, data, size)
    const movieId = (tmdb: number): string => {
      const id = movieIds.get(tmdb)
      if (id === undefined) throw new Error(`movie with tmdb_id ${tmdb} was not written`)
      return id
    }

    for (const type of RELATIONSHIP_TYPES) {
      const rows = data.relationships
        .filter((r) => r.type === type)
        .map((r) => {
          const { from, to } = canonicalEndpoints(type, movieId(r.from_tmdb_id), movieId(r.to_tmdb_id))
          return { from, to, score: r.score ?? null }
        })
      if (rows.length > 0)
        await runBatched(tx, mergeRelationships(type), rows, size, {
          source: data.manifest.relationship_source
        })
    }

    const ratingRows = data.ratings.map((r) => {
      const id = movieId(r.tmdb_id)
      const fields =
        r.score !== undefined
          ? scoreFields({ score: r.score })
          : scoreFields({ value: r.value as number, scale: r.scale as { min: number; max: number } })
      return {
        rating_id: ratingId(r.user_id, id),
        user_id: r.user_id,
        movie_id: id,
        rated_at: r.rated_at,
        source: RATING_SOURCE,
        ...fields
      }
    })
    await runBatched(tx, MERGE_RATINGS, ratingRows, size)

    await runBatched(
      tx,
      MERGE_REVIEWS,
      reviewRows.map(({ tmdb_id, ...row }) => ({ ...row, movie_id: movieId(tmdb_id) })),
      size
    )

    const searchRows = data.searches.map((s) => ({
      search_id: s.search_id,
      query: s.query,
      normalized_query: normalizeQuery(s.query),
      filters: filtersJson(s.filters),
      searched_at: s.searched_at,
      result_count: int(s.results.length),
      user_id: s.user_id ?? null,
      results: [...s.results]
        .sort((a, b) => a.rank - b.rank)
        .map((h) => ({ movie_id: movieId(h.tmdb_id), rank: int(h.rank), score: h.score })),
      selected: s.selected.map((x) => ({ movie_id: movieId(x.tmdb_id), at: x.at }))
    }))
    await runBatched(tx, MERGE_SEARCHES, searchRows, size)

    const recompute = recomputeAggregates()
    for (const batch of chunks([...movieIds.values()].sort(), size)) {
      await tx.run(recompute, { movie_ids: batch })
    }
  })

  return {
    dir,
    anchor: data.manifest.anchor,
    genres: data.genres.length,
    movies: data.movies.length,
    users: data.users.length,
    relationships: data.relationships.length,
    ratings: data.ratings.length,
    reviews: data.reviews.length,
    searches: data.searches.length
  }
}
