/**
 * Movies for tests: through the API, or straight into the graph for tests of other routes that
 * need a movie and nothing the movie routes add. Movies stored directly carry the file's tag, so
 * `removeTagged` finds them and what hangs off them afterwards.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { expect } from 'vitest'
import { int } from '../../src/db/convert.js'
import type { Database } from '../../src/db/database.js'

/** POST /movies, which must answer 201; the whole response, for its body and its headers. */
export async function postMovie(
  app: FastifyInstance,
  payload: Record<string, unknown>
): Promise<LightMyRequestResponse> {
  const res = await app.inject({ method: 'POST', url: '/movies', payload })
  expect(res.statusCode, res.body).toBe(201)
  return res
}

export interface StoredMovie {
  movie_id: string
  title?: string
  year?: number | null
  popularity?: number | null
  tmdb_id?: number | null
  /** Genres by name, made when missing. */
  genres?: string[]
}

/**
 * A movie with zeroed aggregates, as POST /movies creates it, tagged with `tag`. Whole numbers go
 * in as Integers, as the service stores them.
 */
export async function insertMovie(db: Database, tag: string, movie: StoredMovie): Promise<void> {
  const { movie_id, title = movie_id, year = null, popularity = null, tmdb_id = null, genres = [] } = movie
  await db.writeRows(
    `CREATE (m:Movie {movie_id: $movie_id, title: $title, year: $year, popularity: $popularity,
                      tmdb_id: $tmdb_id, test_tag: $tag,
                      rating_count: 0, rating_sum: 0.0, review_count: 0, sentiment_sum: 0.0})
     WITH m
     UNWIND $genres AS name
     MERGE (g:Genre {name: name})
     MERGE (m)-[:IN_GENRE]->(g)`,
    {
      movie_id,
      title,
      year: year === null ? null : int(year),
      popularity,
      tmdb_id: tmdb_id === null ? null : int(tmdb_id),
      tag,
      genres
    }
  )
}

/**
 * Deletes the movies tagged `tag` with their reviews and ratings, and the users whose id starts
 * with `tag` (a file names its users after its tag for this).
 */
export async function removeTagged(db: Database, tag: string): Promise<void> {
  await db.writeRows(
    `MATCH (m:Movie {test_tag: $tag})
     OPTIONAL MATCH (m)<-[:REVIEWS|RATES]-(x)
     DETACH DELETE x, m`,
    { tag }
  )
  await db.writeRows('MATCH (u:User) WHERE u.user_id STARTS WITH $tag DETACH DELETE u', { tag })
}

/**
 * The end of a file that tags what it stores: its data removed, then the database handle and the
 * app closed. Either may be missing when the file's setup failed.
 */
export async function removeTaggedAndClose(
  tag: string,
  db: Database | undefined,
  app: FastifyInstance | undefined
): Promise<void> {
  if (db) await removeTagged(db, tag)
  await db?.close()
  await app?.close()
}

/** What the movie's own nodes hold, next to the aggregates stored on it. */
interface Actual {
  /** The write lock the aggregate writers take; left behind, it blocks every later write. */
  locked: boolean
  actual_count: number
  actual_sum: number
}

export interface RatingAggregates extends Actual {
  rating_count: number
  rating_sum: number
  rating_mean: number | null
}

export interface ReviewAggregates extends Actual {
  review_count: number
  sentiment_sum: number
  sentiment_mean: number | null
}

const AGGREGATES = {
  ratings: `MATCH (m:Movie {movie_id: $movie_id})
            OPTIONAL MATCH (m)<-[:RATES]-(r:Rating)
            RETURN m.rating_count AS rating_count, m.rating_sum AS rating_sum, m.rating_mean AS rating_mean,
                   m._lock IS NOT NULL AS locked, count(r) AS actual_count,
                   coalesce(sum(r.score), 0.0) AS actual_sum`,
  reviews: `MATCH (m:Movie {movie_id: $movie_id})
            OPTIONAL MATCH (r:Review)-[:REVIEWS]->(m)
            RETURN m.review_count AS review_count, m.sentiment_sum AS sentiment_sum,
                   m.sentiment_mean AS sentiment_mean, m._lock IS NOT NULL AS locked,
                   count(r) AS actual_count, coalesce(sum(r.sentiment_score), 0.0) AS actual_sum`
}

/** The rating or review aggregates stored on a movie, next to what its Rating or Review nodes hold. */
export async function storedAggregates(
  db: Database,
  movieId: string,
  of: 'ratings'
): Promise<RatingAggregates>
export async function storedAggregates(
  db: Database,
  movieId: string,
  of: 'reviews'
): Promise<ReviewAggregates>
export async function storedAggregates(
  db: Database,
  movieId: string,
  of: keyof typeof AGGREGATES
): Promise<RatingAggregates | ReviewAggregates> {
  const [row] = await db.readRows<RatingAggregates | ReviewAggregates>(AGGREGATES[of], { movie_id: movieId })
  if (!row) throw new Error(`movie ${movieId} vanished`)
  return row
}
