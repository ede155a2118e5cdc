import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { int } from '../../src/db/convert.js'
import type { Database } from '../../src/db/database.js'
import { ratingId, upsertRating } from '../../src/data/ratings/repository.js'
import { importMovieLens } from '../../src/ingest/import-movielens.js'
import { importTmdb } from '../../src/ingest/import-tmdb.js'
import type { ImportSummary } from '../../src/ingest/file-run.js'
import { testDatabase } from '../helpers/neo4j.js'
import { FixtureSpaces, aggregateDrift, appendLine, readRejects, snapshot } from './import-helpers.js'

const FIXTURE_USERS = [1, 2, 3, 10, 11, 18, 62, 474]

function counts(summary: ImportSummary): Record<string, number[]> {
  return Object.fromEntries(
    summary.files.map((f) => [
      f.file.split('/').pop(),
      [f.read, f.created, f.updated, f.unchanged, f.rejected]
    ])
  )
}

async function rejectLines(path: string | null): Promise<Array<[number, string]>> {
  if (path === null) return []
  return (await readRejects(path)).map((r) => [r.line, r.reason])
}

describe('importMovieLens', () => {
  let db: Database
  const made = new FixtureSpaces(0)
  /** Movies a test creates outside the id ranges deleteSpace covers. */
  const extraMovies: string[] = []

  beforeAll(() => {
    db = testDatabase()
  })

  afterAll(async () => {
    await made.remove(db, FIXTURE_USERS)
    await db.writeRows('UNWIND $ids AS id MATCH (m:Movie {movie_id: id}) DETACH DELETE m', {
      ids: extraMovies
    })
    await db.close()
  })

  it('loads the fixture with exact counts, values and rejects, and a second import changes nothing', async () => {
    const { space, copy } = await made.next()
    const first = await importMovieLens(db, copy.movielens, { batchSize: 100 })
    expect(counts(first)).toEqual({
      'links.csv': [15, 11, 0, 0, 4],
      'movies.csv': [16, 12, 0, 0, 4],
      'ratings.csv': [13, 6, 0, 0, 7],
      'tags.csv': [8, 5, 0, 0, 3]
    })
    expect([first.read, first.created, first.rejected]).toEqual([52, 34, 18])

    const byFile = Object.fromEntries(first.files.map((f) => [f.file.split('/').pop(), f.rejectsPath]))
    expect(byFile['movies.csv']).toBe(join(copy.movielens, 'movies.csv.rejects.jsonl'))
    expect(await rejectLines(byFile['movies.csv'] ?? null)).toEqual([
      [7, 'movieId must be an integer, got "abc"'],
      [13, 'missing field title'],
      [14, 'expected 3 fields (movieId,title,genres), got 2'],
      [2, `duplicate key ${space.id(1)} inside one batch (line 17 kept)`]
    ])
    expect(await rejectLines(byFile['links.csv'] ?? null)).toEqual([
      [13, 'expected 3 fields (movieId,imdbId,tmdbId), got 2'],
      [14, 'missing field imdbId'],
      [15, 'imdbId must be digits, got "tt0112715x"'],
      [16, 'tmdbId must be an integer, got "abc"']
    ])
    expect(await rejectLines(byFile['ratings.csv'] ?? null)).toEqual([
      [7, 'rating 7 is outside 0.5..5'],
      [8, 'rating 3.7 is not a multiple of 0.5'],
      [9, 'missing field rating'],
      [10, 'rating must be a number, got "four"'],
      [11, 'expected 4 fields (userId,movieId,rating,timestamp), got 3'],
      [12, 'timestamp must be an integer, got "yesterday"'],
      [2, `duplicate key ml-${space.id(1)}-${space.id(1)} inside one batch (line 13 kept)`]
    ])
    expect((await rejectLines(byFile['tags.csv'] ?? null)).map(([line]) => line)).toEqual([7, 8, 9])

    const graph = await snapshot(db, space)
    const movie = (id: string) => graph.movies.find((m) => m.movie_id === id) as Record<string, unknown>
    expect(graph.movies.map((m) => m.movie_id).sort()).toEqual(
      [1, 2, 11, 29, 47, 2959, 4973, 5618, 40697, 79132, 91529, 114335].map((id) => `ml-${id}`).sort()
    )
    expect(movie('ml-29')).toMatchObject({
      title: 'The City of Lost Children',
      title_lower: 'the city of lost children',
      original_title: 'La Cité des enfants perdus',
      ml_title: 'City of Lost Children, The (Cité des enfants perdus, La) (1995)',
      year: 1995,
      movielens_id: 29,
      tmdb_id: 902,
      imdb_id: 'tt0112682',
      catalog_source: 'movielens',
      genres: ['Adventure', 'Drama', 'Fantasy', 'Mystery', 'Sci-Fi']
    })
    expect(movie('ml-47')).toMatchObject({ title: 'Seven', aka_titles: ['Se7en'] })
    expect(movie('ml-47').original_title).toBeUndefined()
    expect(movie('ml-91529')).toMatchObject({ title: 'The Dark Knight Rises' })
    expect(movie('ml-5618')).toMatchObject({
      title: 'Spirited Away',
      original_title: '千と千尋の神隠し',
      year: 2001,
      tmdb_id: 129
    })
    expect(movie('ml-114335')).toMatchObject({
      title: 'La cravate',
      year: 1957,
      genres: [],
      imdb_id: 'tt0050261'
    })
    expect(movie('ml-114335').tmdb_id).toBeUndefined()
    // Its link row was refused, so the movie has no external ids; its title has no year.
    expect(movie('ml-40697')).toMatchObject({ title: 'Babylon 5', genres: ['Sci-Fi'] })
    expect(movie('ml-40697').year).toBeUndefined()
    expect(movie('ml-40697').imdb_id).toBeUndefined()
    // Line 17 (the kept duplicate) wrote Toy Story; its only rating is line 13's 3.5 stars.
    expect(movie('ml-1')).toMatchObject({
      title: 'Toy Story',
      rating_count: 1,
      rating_sum: 7,
      rating_mean: 7
    })
    expect(movie('ml-47')).toMatchObject({
      rating_count: 1,
      rating_mean: 10,
      review_count: 0,
      sentiment_sum: 0
    })
    expect(movie('ml-2')).toMatchObject({ rating_count: 0, rating_sum: 0 })
    expect(movie('ml-2').rating_mean).toBeUndefined()

    const byText = (x: unknown[], y: unknown[]): number => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1)
    expect(graph.ratings.map((r) => [r.user_id, r.movie_id, r.score, r.original_score]).sort(byText)).toEqual(
      [
        ['ml-1', 'ml-1', 7, 3.5],
        ['ml-1', 'ml-47', 10, 5],
        ['ml-1', 'ml-2959', 10, 5],
        ['ml-2', 'ml-79132', 8, 4],
        ['ml-3', 'ml-5618', 1, 0.5],
        ['ml-10', 'ml-4973', 9, 4.5]
      ].sort(byText)
    )
    const toyStory = graph.ratings.find((r) => r.movie_id === 'ml-1')
    expect(toyStory).toMatchObject({
      scale_min: 0.5,
      scale_max: 5,
      source: 'movielens',
      rated_at: new Date(964983000 * 1000).toISOString(),
      degree: 2
    })
    const [stored] = await db.readRows<{ rating_id: string }>(
      'MATCH (:User {user_id: $user})-[:GAVE]->(r:Rating)-[:RATES]->(:Movie {movie_id: $movie}) RETURN r.rating_id AS rating_id',
      { user: space.movieLensUser(1), movie: space.movieLensMovie(1) }
    )
    expect(stored?.rating_id).toBe(ratingId(space.movieLensUser(1), space.movieLensMovie(1)))
    expect(graph.tags.map((t) => [t.user_id, t.movie_id, t.tag]).sort(byText)).toEqual(
      [
        ['ml-2', 'ml-79132', 'dreamlike'],
        ['ml-2', 'ml-79132', 'mind-bending, clever'],
        ['ml-18', 'ml-4973', 'Paris'],
        ['ml-62', 'ml-5618', '宮崎駿'],
        ['ml-474', 'ml-5618', 'Studio Ghibli']
      ].sort(byText)
    )
    expect(graph.users).toEqual([1, 2, 3, 10, 18, 62, 474].map((u) => `ml-${u}`).sort())
    expect(await aggregateDrift(db, space)).toEqual([])

    const second = await importMovieLens(db, copy.movielens, { batchSize: 100 })
    expect(counts(second)).toEqual({
      'links.csv': [15, 0, 0, 11, 4],
      'movies.csv': [16, 0, 0, 12, 4],
      'ratings.csv': [13, 0, 0, 6, 7],
      'tags.csv': [8, 0, 0, 5, 3]
    })
    expect(await snapshot(db, space)).toEqual(graph)
  })

  it('converges from hand edits: the graph a clean import made, with true counts', async () => {
    const { space, copy } = await made.next()
    await importMovieLens(db, copy.movielens, { batchSize: 100 })
    const clean = await snapshot(db, space)
    const movie = (id: number) => space.movieLensMovie(id)
    const user = (id: number) => space.movieLensUser(id)
    const rating = (u: number, m: number) => ratingId(user(u), movie(m))

    // What an analyst might do in Neo4j Browser, and what a killed run leaves.
    const edits = [
      // Toy Story and Inception go with their edges; their Rating nodes stay behind.
      'UNWIND [$toy, $inception] AS id MATCH (m:Movie {movie_id: id}) DETACH DELETE m',
      // User 10 goes, so the rating of Amélie loses its GAVE edge.
      'MATCH (u:User {user_id: $user10}) DETACH DELETE u',
      // One rating node deleted outright, another moved to the wrong movie with a new score.
      'MATCH (r:Rating {rating_id: $seven}) DETACH DELETE r',
      `MATCH (r:Rating {rating_id: $fight})-[e:RATES]->() DELETE e
       WITH r MATCH (j:Movie {movie_id: $jumanji}) CREATE (r)-[:RATES]->(j) SET r.score = 1.0`,
      // Tags: one deleted, one edited, one doubled.
      `MATCH (:User {user_id: $user62})-[t:TAGGED]->(:Movie {movie_id: $spirited}) DELETE t`,
      `MATCH (:User {user_id: $user18})-[t:TAGGED]->() SET t.tagged_at = datetime('2001-01-01T00:00:00Z')`,
      `MATCH (u:User {user_id: $user474})-[t:TAGGED {tag: 'Studio Ghibli'}]->(m)
       CREATE (u)-[:TAGGED {tag: t.tag, tagged_at: t.tagged_at, source: t.source}]->(m)`,
      // Movies: a title edited, a genre edge deleted, another doubled.
      `MATCH (m:Movie {movie_id: $president}) SET m.title = 'Wrong', m.title_lower = 'wrong'`,
      'MATCH (:Movie {movie_id: $jumanji})-[e:IN_GENRE]->(:Genre {name: "Fantasy"}) DELETE e',
      `MATCH (m:Movie {movie_id: $city})-[:IN_GENRE]->(g:Genre {name: 'Drama'}) CREATE (m)-[:IN_GENRE]->(g)`,
      // A key removed: Babylon 5 has no link to be found by, only its movie_id.
      'MATCH (m:Movie {movie_id: $babylon}) REMOVE m.movielens_id',
      // A killed run: a movie flagged stale with aggregates it never finished.
      'MATCH (m:Movie {movie_id: $spirited}) SET m.ratings_stale = true, m.rating_count = 99'
    ]
    const params = {
      toy: movie(1),
      inception: movie(79132),
      user10: user(10),
      seven: rating(1, 47),
      fight: rating(1, 2959),
      jumanji: movie(2),
      user62: user(62),
      spirited: movie(5618),
      user18: user(18),
      user474: user(474),
      president: movie(11),
      city: movie(29),
      babylon: movie(40697)
    }
    for (const edit of edits) await db.writeRows(edit, params)
    expect(await snapshot(db, space)).not.toEqual(clean)

    const again = await importMovieLens(db, copy.movielens, { batchSize: 100 })
    expect(counts(again)).toEqual({
      // Recreated: Toy Story, Inception; updated: the title, the missing and the doubled genre
      // (and Babylon 5's MovieLens id, which has no link).
      'links.csv': [15, 2, 3, 6, 4],
      'movies.csv': [16, 2, 4, 6, 4],
      // Created: the deleted rating; linked again: Toy Story's, Inception's, Amélie's (user 10)
      // and Fight Club's (moved, rescored); only Spirited Away's was left alone.
      'ratings.csv': [13, 1, 4, 1, 7],
      // Created: Inception's two, the deleted one; updated: the edited and the doubled one.
      'tags.csv': [8, 3, 2, 0, 3]
    })
    expect(await snapshot(db, space)).toEqual(clean)
    expect(await aggregateDrift(db, space)).toEqual([])
    const loose = await db.readRows<{ rating_id: string }>(
      `UNWIND $users AS id MATCH (:User {user_id: id})-[:GAVE]->(r:Rating)
       WHERE COUNT { (r)--() } <> 2 OR NOT EXISTS { (r)-[:RATES]->(:Movie) }
       RETURN r.rating_id AS rating_id`,
      { users: FIXTURE_USERS.map(user) }
    )
    expect(loose).toEqual([])
    const orphans = await db.readRows<{ n: number }>(
      'UNWIND $ids AS id MATCH (r:Rating {rating_id: id}) WHERE COUNT { (r)--() } <> 2 RETURN count(r) AS n',
      { ids: [rating(1, 1), rating(2, 79132), rating(10, 4973), rating(1, 2959)] }
    )
    expect(orphans).toEqual([{ n: 0 }])
    const [stale] = await db.readRows<{ n: number }>(
      'MATCH (m:Movie {movie_id: $id}) RETURN m.rating_count AS n, m.ratings_stale AS flag',
      { id: movie(5618) }
    )
    expect(stale).toEqual({ n: 1, flag: null })

    // Converged: one more run finds nothing to do.
    const last = await importMovieLens(db, copy.movielens, { batchSize: 100 })
    expect(counts(last)).toEqual({
      'links.csv': [15, 0, 0, 11, 4],
      'movies.csv': [16, 0, 0, 12, 4],
      'ratings.csv': [13, 0, 0, 6, 7],
      'tags.csv': [8, 0, 0, 5, 3]
    })
  })

  it('makes titles natural on the next import, and the full-text index finds their other names', async () => {
    const { space, copy } = await made.next()
    // A movie stored by an earlier version of the importer, with MovieLens's title as it was.
    await db.writeRows(
      `CREATE (:Movie {movie_id: $id, movielens_id: $ml, title: 'Dark Knight Rises, The',
                       title_lower: 'dark knight rises, the', year: 2012, catalog_source: 'movielens',
                       rating_count: 0, rating_sum: 0.0, review_count: 0, sentiment_sum: 0.0})`,
      { id: space.movieLensMovie(91529), ml: int(space.id(91529)) }
    )
    const summary = await importMovieLens(db, copy.movielens, { batchSize: 100 })
    expect(summary.files.find((f) => f.file.endsWith('movies.csv'))).toMatchObject({
      created: 11,
      updated: 1
    })
    const [rises] = await db.readRows<Record<string, unknown>>(
      'MATCH (m:Movie {movie_id: $id}) RETURN m {.title, .title_lower, .ml_title} AS movie',
      { id: space.movieLensMovie(91529) }
    )
    expect(rises).toEqual({
      movie: {
        title: 'The Dark Knight Rises',
        title_lower: 'the dark knight rises',
        ml_title: 'Dark Knight Rises, The (2012)'
      }
    })
    const found = async (lucene: string): Promise<string[]> =>
      (
        await db.readRows<{ id: string }>(
          `CALL db.index.fulltext.queryNodes('movie_title_fulltext', $lucene) YIELD node
           WHERE node.movielens_id >= $lo AND node.movielens_id <= $hi
           RETURN node.movie_id AS id`,
          { lucene, lo: int(space.offset), hi: int(space.offset + 1_999_999) }
        )
      ).map((row) => row.id)
    expect(await found('se7en')).toEqual([space.movieLensMovie(47)])
    expect(await found('"cité des enfants perdus"')).toEqual([space.movieLensMovie(29)])
  })

  it('refuses ratings, tags and links of movies it does not know, and reads gzipped files', async () => {
    const { space, copy } = await made.next()
    const ratingLine = await appendLine(
      join(copy.movielens, 'ratings.csv'),
      `${space.id(11)},${space.id(999_999)},4.0,964982703`
    )
    const linkLine = await appendLine(
      join(copy.movielens, 'links.csv'),
      `${space.id(888_888)},${space.imdb('0999999').slice(2)},`
    )
    const ratings = await readFile(join(copy.movielens, 'ratings.csv'))
    await writeFile(join(copy.movielens, 'ratings.csv.gz'), gzipSync(ratings))
    await rm(join(copy.movielens, 'ratings.csv'))

    const summary = await importMovieLens(db, copy.movielens)
    const ratingsFile = summary.files.find((f) => f.file.endsWith('ratings.csv.gz'))
    expect(ratingsFile).toMatchObject({ read: 14, created: 6, rejected: 8 })
    expect((await rejectLines(ratingsFile?.rejectsPath ?? null)).at(-1)).toEqual([
      ratingLine,
      `unknown movie: movieId ${space.id(999_999)} is neither in movies.csv nor in the graph`
    ])
    const links = summary.files.find((f) => f.file.endsWith('links.csv'))
    expect((await rejectLines(links?.rejectsPath ?? null)).at(-1)).toEqual([
      linkLine,
      `unknown movie: movieId ${space.id(888_888)} has no usable row in movies.csv`
    ])
    expect(await aggregateDrift(db, space)).toEqual([])
  })

  it('matches movies already stored by TMDB id, then IMDb id, and meets API ratings on one node', async () => {
    const { space, copy } = await made.next()
    // Stored before: the TMDB fixture's movies, except Amélie, which an API client created with
    // only its IMDb id; and an API rating of Inception by the user MovieLens calls 2.
    await importTmdb(db, copy.tmdb)
    await db.writeRows('MATCH (m:Movie {movie_id: $id}) DETACH DELETE m', { id: space.tmdbMovie(194) })
    extraMovies.push(`api-${space.offset}`)
    await db.writeRows(
      `CREATE (m:Movie {movie_id: $id, imdb_id: $imdb, title: 'Amélie', title_lower: 'amélie',
                        rating_count: 0, rating_sum: 0.0, review_count: 0, sentiment_sum: 0.0})`,
      { id: `api-${space.offset}`, imdb: space.imdb('0211915') }
    )
    const inception = space.tmdbMovie(27205)
    await upsertRating(db, inception, space.movieLensUser(2), { score: 3 })

    const summary = await importMovieLens(db, copy.movielens)
    expect(summary.files.find((f) => f.file.endsWith('movies.csv'))).toMatchObject({
      created: 7,
      updated: 5,
      rejected: 4
    })
    expect(summary.files.find((f) => f.file.endsWith('ratings.csv'))).toMatchObject({
      created: 5,
      updated: 1
    })
    const rows = await db.readRows<{
      movie_id: string
      movielens_id: number
      title: string
      genres: string[]
    }>(
      `UNWIND $ids AS id MATCH (m:Movie {movielens_id: id})
       RETURN m.movie_id AS movie_id, m.movielens_id AS movielens_id, m.title AS title,
              COLLECT { MATCH (m)-[:IN_GENRE]->(g) RETURN g.name ORDER BY g.name } AS genres
       ORDER BY movielens_id`,
      { ids: [79132, 4973, 1].map((id) => int(space.id(id))) }
    )
    expect(rows).toEqual([
      // TMDB described Toy Story without genres, so MovieLens fills them in; the title stays TMDB's.
      {
        movie_id: space.tmdbMovie(862),
        movielens_id: space.id(1),
        title: 'Toy Story',
        genres: ['Adventure', 'Animation', 'Children', 'Comedy', 'Fantasy']
      },
      {
        movie_id: `api-${space.offset}`,
        movielens_id: space.id(4973),
        title: 'Amélie',
        genres: ['Comedy', 'Romance']
      },
      {
        movie_id: inception,
        movielens_id: space.id(79132),
        title: 'Inception',
        genres: ['Action', 'Adventure', 'Science Fiction']
      }
    ])
    const ratings = await db.readRows<{ rating_id: string; score: number; source: string }>(
      'MATCH (:Movie {movie_id: $id})<-[:RATES]-(r:Rating) RETURN r.rating_id AS rating_id, r.score AS score, r.source AS source',
      { id: inception }
    )
    expect(ratings).toEqual([
      { rating_id: ratingId(space.movieLensUser(2), inception), score: 8, source: 'movielens' }
    ])
    expect(await aggregateDrift(db, space)).toEqual([])
  })

  it('refuses a row whose ids point at two different stored movies', async () => {
    const { space, copy } = await made.next()
    // Fight Club's IMDb id is held by one movie, its MovieLens id by another.
    extraMovies.push(`a-${space.offset}`, `b-${space.offset}`)
    await db.writeRows(
      `CREATE (:Movie {movie_id: $a, movielens_id: $ml, title: 'One', rating_count: 0, rating_sum: 0.0, review_count: 0, sentiment_sum: 0.0}),
              (:Movie {movie_id: $b, imdb_id: $imdb, title: 'Two', rating_count: 0, rating_sum: 0.0, review_count: 0, sentiment_sum: 0.0})`,
      { a: `a-${space.offset}`, b: `b-${space.offset}`, ml: int(space.id(2959)), imdb: space.imdb('0137523') }
    )
    const summary = await importMovieLens(db, copy.movielens)
    const movies = summary.files.find((f) => f.file.endsWith('movies.csv'))
    expect(await rejectLines(movies?.rejectsPath ?? null)).toContainEqual([
      8,
      `movieId ${space.id(2959)} is already movie a-${space.offset}, ` +
        `but imdbId ${space.imdb('0137523')} belongs to movie b-${space.offset}`
    ])
  })
})
