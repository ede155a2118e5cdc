/**
 * A small graph planted for one test file: movies, genres, typed edges and ratings whose names
 * carry the file's unique prefix, so answers can only come from what the file created. The app
 * and database are opened in beforeAll and everything with the prefix is removed in afterAll.
 */
import { afterAll, beforeAll } from 'vitest'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import type { Database } from '../../src/db/database.js'
import { int } from '../../src/db/convert.js'
import { relationshipTypeToken } from '../../src/domain/relationship-types.js'
import { buildTestApp } from './app.js'
import { testDatabase, uid } from './neo4j.js'

export function json<T = Record<string, unknown>>(res: LightMyRequestResponse): T {
  return res.json() as T
}

export interface MovieSeed {
  name: string
  title?: string
  year?: number
  release_date?: string
  popularity?: number
  rating_count?: number
  rating_mean?: number
  review_count?: number
  sentiment_mean?: number
  genres?: string[]
}

export interface PlantedGraph {
  /** The id of a planted movie or user. */
  id(name: string): string
  /** The name of a planted genre. */
  genre(name: string): string
  app(): FastifyInstance
  db(): Database
  get(url: string): Promise<LightMyRequestResponse>
  seedMovies(movies: MovieSeed[]): Promise<void>
  /** Edges as [from, type, to, source, score]; symmetric ones are given in stored order. */
  seedEdges(edges: [string, string, string, string, number | null][]): Promise<void>
  /** Ratings as [user, movie, score]; rated_at increases in the order given. */
  seedRatings(ratings: [string, string, number][]): Promise<void>
}

/** Registers the file's beforeAll/afterAll; `env` configures the app (e.g. other weights). */
export function plantedGraph(prefix: string, env: Record<string, string> = {}): PlantedGraph {
  const P = uid(prefix)
  const id = (name: string): string => `${P}-${name}`
  let app: FastifyInstance | undefined
  let db: Database | undefined
  const opened = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the planted graph is used before beforeAll opened it')
    return value
  }

  beforeAll(async () => {
    app = await buildTestApp(env)
    db = testDatabase()
  })

  afterAll(async () => {
    await db?.writeRows(
      `MATCH (n) WHERE n:Movie AND n.movie_id STARTS WITH $p
          OR n:User AND n.user_id STARTS WITH $p
          OR n:Rating AND n.rating_id STARTS WITH $p
          OR n:Genre AND n.name STARTS WITH $p
          OR n:Search AND n.search_id STARTS WITH $p
       DETACH DELETE n`,
      { p: P }
    )
    await db?.close()
    await app?.close()
  })

  return {
    id,
    genre: id,
    app: () => opened(app),
    db: () => opened(db),
    get: (url) => opened(app).inject({ method: 'GET', url }),

    async seedMovies(movies) {
      await opened(db).writeRows(
        `UNWIND $movies AS s
         CREATE (m:Movie {movie_id: s.movie_id, title: s.title})
         SET m.year = s.year, m.release_date = date(s.release_date), m.popularity = s.popularity,
             m.rating_count = s.rating_count, m.rating_mean = s.rating_mean,
             m.review_count = s.review_count, m.sentiment_mean = s.sentiment_mean
         WITH m, s
         UNWIND s.genres AS name
         MERGE (g:Genre {name: name})
         CREATE (m)-[:IN_GENRE]->(g)`,
        {
          movies: movies.map((m) => ({
            movie_id: id(m.name),
            title: m.title ?? m.name.toUpperCase(),
            year: m.year === undefined ? null : int(m.year),
            release_date: m.release_date ?? null,
            popularity: m.popularity ?? null,
            rating_count: m.rating_count === undefined ? null : int(m.rating_count),
            rating_mean: m.rating_mean ?? null,
            review_count: m.review_count === undefined ? null : int(m.review_count),
            sentiment_mean: m.sentiment_mean ?? null,
            genres: (m.genres ?? []).map(id)
          }))
        }
      )
    },

    async seedEdges(edges) {
      for (const [from, type, to, source, score] of edges) {
        await opened(db).writeRows(
          `MATCH (a:Movie {movie_id: $from}), (b:Movie {movie_id: $to})
           CREATE (a)-[r:${relationshipTypeToken(type)}]->(b)
           SET r.source = $source, r.score = $score, r.created_at = datetime(), r.updated_at = datetime()`,
          { from: id(from), to: id(to), source, score }
        )
      }
    },

    async seedRatings(ratings) {
      await opened(db).writeRows(
        `UNWIND range(0, size($ratings) - 1) AS i
         WITH i, $ratings[i] AS x
         MATCH (m:Movie {movie_id: x.movie_id})
         MERGE (u:User {user_id: x.user_id})
         CREATE (u)-[:GAVE]->(:Rating {rating_id: x.user_id + '/' + x.movie_id, score: x.score,
                                       rated_at: datetime('2024-01-01T00:00:00Z') + duration({minutes: i})})
                -[:RATES]->(m)`,
        { ratings: ratings.map(([u, m, score]) => ({ user_id: id(u), movie_id: id(m), score })) }
      )
    }
  }
}

/*
 * f1 (1977) ← f2 (1980) ← f3 (1983) ← f4 (1999-12) by SEQUEL_OF; a-prequel (1999-05) SAME_FRANCHISE f1
 * (stored from the smaller id, a-prequel); sp SPINOFF_OF f4; rm REMAKE_OF f1; f1 SIMILAR_TO x (tmdb);
 * solo has no edge; rm2 is a stand-alone remake of solo.
 */
export function plantFranchise(graph: PlantedGraph): void {
  beforeAll(async () => {
    await graph.seedMovies([
      { name: 'f1', title: 'Episode IV', year: 1977, release_date: '1977-05-25' },
      { name: 'f2', title: 'Episode V', year: 1980, release_date: '1980-05-21' },
      { name: 'f3', title: 'Episode VI', year: 1983, release_date: '1983-05-25' },
      { name: 'f4', title: 'Episode I', year: 1999, release_date: '1999-12-01' },
      { name: 'a-prequel', title: 'Origins', year: 1999, release_date: '1999-05-19' },
      { name: 'sp', title: 'Rogue', year: 2016 },
      { name: 'rm', title: 'Episode IV Again', year: 2020 },
      { name: 'x', title: 'Lookalike', year: 1978 },
      { name: 'solo', title: 'Solo', year: 1950 },
      { name: 'rm2', title: 'Solo Again', year: 2010 }
    ])
    await graph.seedEdges([
      ['f2', 'SEQUEL_OF', 'f1', 'editorial', null],
      ['f3', 'SEQUEL_OF', 'f2', 'editorial', null],
      ['f4', 'SEQUEL_OF', 'f3', 'tmdb', null],
      ['a-prequel', 'SAME_FRANCHISE', 'f1', 'editorial', null],
      ['sp', 'SPINOFF_OF', 'f4', 'editorial', null],
      ['rm', 'REMAKE_OF', 'f1', 'editorial', null],
      ['f1', 'SIMILAR_TO', 'x', 'tmdb', 0.6],
      ['rm2', 'REMAKE_OF', 'solo', 'editorial', null]
    ])
  })
}
