import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { int } from '../../src/db/convert.js'
import type { Database } from '../../src/db/database.js'
import { importTmdb } from '../../src/ingest/import-tmdb.js'
import { testDatabase } from '../helpers/neo4j.js'
import { FixtureSpaces, readRejects, snapshot } from './import-helpers.js'
import type { FixtureCopy, IdSpace } from './import-helpers.js'

/** Two more of the Dark Knight collection, which the fixture's movies list as similar. */
function batmanLines(space: IdSpace): string {
  const collection = { id: space.id(263), name: 'The Dark Knight Collection' }
  return [
    {
      id: space.id(155),
      imdb_id: space.imdb('0468569'),
      title: 'The Dark Knight',
      release_date: '2008-07-16',
      genres: [{ id: 18, name: 'Drama' }],
      belongs_to_collection: collection,
      similar: { results: [{ id: space.id(49026) }, { id: space.id(272) }] }
    },
    {
      id: space.id(272),
      imdb_id: space.imdb('0372784'),
      title: 'Batman Begins',
      release_date: '2005-06-10',
      belongs_to_collection: collection
    }
  ]
    .map((movie) => JSON.stringify(movie))
    .join('\n')
}

describe('importTmdb', () => {
  let db: Database
  const made = new FixtureSpaces(1)

  async function fixtures(): Promise<{ space: IdSpace; copy: FixtureCopy; batman: string }> {
    const { space, copy } = await made.next()
    const batman = join(copy.dir, 'batman.jsonl')
    await writeFile(batman, batmanLines(space))
    return { space, copy, batman }
  }

  async function edges(space: IdSpace) {
    return (await snapshot(db, space)).edges
  }

  beforeAll(() => {
    db = testDatabase()
  })

  afterAll(async () => {
    await made.remove(db)
    await db.close()
  })

  it('loads the fixture with exact counts, values and rejects, and a second import changes nothing', async () => {
    const { space, copy } = await fixtures()
    const first = await importTmdb(db, copy.tmdb, { batchSize: 100 })
    expect([first.read, first.created, first.updated, first.unchanged, first.rejected]).toEqual([
      11, 5, 0, 0, 6
    ])
    // The link pass covers every pending movie in the graph, other tests' too, so its counts are
    // checked only as lower bounds; the space's own edges are checked exactly below.
    expect(first.links.similar).toBeGreaterThanOrEqual(1)
    expect(first.links.pending).toBeGreaterThanOrEqual(3)
    expect(first.files[0]?.rejectsPath).toBe(`${copy.tmdb}.rejects.jsonl`)
    const rejects = await readRejects(`${copy.tmdb}.rejects.jsonl`)
    expect(rejects.map((r) => [r.line, r.reason.replace(/ at position \d+.*/, '')])).toEqual([
      [7, 'invalid JSON: Expected double-quoted property name in JSON'],
      [8, 'missing field title'],
      [9, 'runtime must be a number, got "one hundred and four"'],
      [10, 'release_date 1995-02-30 is not a calendar date'],
      [11, 'id must be a positive integer, got "9087"'],
      [1, `duplicate key ${space.id(862)} inside one batch (line 12 kept)`]
    ])
    expect(rejects[0]?.row).toBe('{"id":550,"title":"Fight Club","release_date":"1999-10-15",')

    const graph = await snapshot(db, space)
    const movie = (id: string) => graph.movies.find((m) => m.movie_id === id) as Record<string, unknown>
    expect(graph.movies.map((m) => m.movie_id).sort()).toEqual(
      ['tmdb-129', 'tmdb-194', 'tmdb-27205', 'tmdb-49026', 'tmdb-862'].sort()
    )
    expect(movie('tmdb-27205')).toMatchObject({
      tmdb_id: 27205,
      imdb_id: 'tt1375666',
      title: 'Inception',
      title_lower: 'inception',
      original_title: 'Inception',
      release_date: '2010-07-15',
      year: 2010,
      runtime: 148,
      popularity: 83.952,
      vote_average: 8.4,
      vote_count: 34000,
      original_language: 'en',
      poster_path: '/oYuLEt3zVCKq57qu2F8dT7NIa6f.jpg',
      catalog_source: 'tmdb',
      genres: ['Action', 'Adventure', 'Science Fiction'],
      tmdb_similar_ids: [155, 157336, 49026],
      tmdb_recommended_ids: [157336, 155],
      tmdb_links_pending: true,
      rating_count: 0,
      review_count: 0
    })
    expect(movie('tmdb-194')).toMatchObject({
      title: 'Amélie',
      original_title: "Le Fabuleux Destin d'Amélie Poulain",
      original_language: 'fr'
    })
    expect(movie('tmdb-194').tmdb_links_pending).toBeUndefined()
    expect(movie('tmdb-129')).toMatchObject({
      original_title: '千と千尋の神隠し',
      tmdb_similar_ids: [4935, 128]
    })
    expect(movie('tmdb-49026')).toMatchObject({
      collection_id: 263,
      collection_name: 'The Dark Knight Collection'
    })
    // Line 12 won over line 1: no collection, no lists, no genres; a later popularity.
    expect(movie('tmdb-862')).toMatchObject({ popularity: 101.5, genres: [], original_title: 'Toy Story' })
    expect(movie('tmdb-862').collection_id).toBeUndefined()
    expect(graph.edges).toEqual([
      { type: 'SIMILAR_TO', from: 'tmdb-27205', to: 'tmdb-49026', source: 'tmdb', score: 0.95 }
    ])
    expect(
      graph.movies
        .filter((m) => m.tmdb_links_pending)
        .map((m) => m.movie_id)
        .sort()
    ).toEqual(['tmdb-129', 'tmdb-27205', 'tmdb-49026'])

    const second = await importTmdb(db, copy.tmdb, { batchSize: 100 })
    expect([second.read, second.created, second.updated, second.unchanged, second.rejected]).toEqual([
      11, 0, 0, 5, 6
    ])
    expect(await snapshot(db, space)).toEqual(graph)
  })

  it('links movies loaded later, whatever the order of the files, and never makes stubs', async () => {
    const one = await fixtures()
    await importTmdb(db, one.copy.tmdb)
    const later = await importTmdb(db, one.batman)
    expect(later.links.similar).toBeGreaterThanOrEqual(4)
    expect(later.links.franchise).toBeGreaterThanOrEqual(3)

    const two = await fixtures()
    await importTmdb(db, two.batman)
    await importTmdb(db, two.copy.tmdb)

    const expected = [
      { type: 'SAME_FRANCHISE', from: 'tmdb-155', to: 'tmdb-272', source: 'tmdb', score: null },
      { type: 'SAME_FRANCHISE', from: 'tmdb-155', to: 'tmdb-49026', source: 'tmdb', score: null },
      { type: 'SAME_FRANCHISE', from: 'tmdb-272', to: 'tmdb-49026', source: 'tmdb', score: null },
      { type: 'SIMILAR_TO', from: 'tmdb-155', to: 'tmdb-272', source: 'tmdb', score: 0.975 },
      { type: 'SIMILAR_TO', from: 'tmdb-155', to: 'tmdb-27205', source: 'tmdb', score: 1 },
      { type: 'SIMILAR_TO', from: 'tmdb-155', to: 'tmdb-49026', source: 'tmdb', score: 1 },
      { type: 'SIMILAR_TO', from: 'tmdb-27205', to: 'tmdb-49026', source: 'tmdb', score: 0.95 },
      { type: 'SIMILAR_TO', from: 'tmdb-272', to: 'tmdb-49026', source: 'tmdb', score: 0.975 }
    ]
    expected.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1))
    expect(await edges(one.space)).toEqual(expected)
    expect(await edges(two.space)).toEqual(expected)
    const graph = await snapshot(db, two.space)
    expect(graph.movies).toHaveLength(7)
    expect(
      graph.movies
        .filter((m) => m.tmdb_links_pending)
        .map((m) => m.movie_id)
        .sort()
    ).toEqual(['tmdb-129', 'tmdb-27205'])
    const first = await snapshot(db, one.space)
    expect(
      first.movies
        .filter((m) => m.tmdb_links_pending)
        .map((m) => m.movie_id)
        .sort()
    ).toEqual(['tmdb-129', 'tmdb-27205'])
  })

  it('converges from hand edits: links, genres and values come back, with true counts', async () => {
    const { space, copy, batman } = await fixtures()
    await importTmdb(db, copy.tmdb)
    await importTmdb(db, batman)
    const clean = await snapshot(db, space)
    const row = (s: {
      read: number
      created: number
      updated: number
      unchanged: number
      rejected: number
    }) => [s.read, s.created, s.updated, s.unchanged, s.rejected]

    const params = {
      knight: space.tmdbMovie(155),
      inception: space.tmdbMovie(27205),
      rises: space.tmdbMovie(49026),
      begins: space.tmdbMovie(272),
      toy: space.tmdbMovie(862),
      amelie: space.tmdbMovie(194)
    }
    for (const edit of [
      // The Dark Knight goes with all its edges (similar and franchise).
      'MATCH (m:Movie {movie_id: $knight}) DETACH DELETE m',
      'MATCH (:Movie {movie_id: $inception})-[e:SIMILAR_TO]-(:Movie {movie_id: $rises}) DELETE e',
      // Between two movies neither of which is pending: only checking unchanged rows finds it.
      'MATCH (:Movie {movie_id: $rises})-[e:SAME_FRANCHISE]-(:Movie {movie_id: $begins}) DELETE e',
      'MATCH (:Movie {movie_id: $inception})-[e:IN_GENRE]->(:Genre {name: "Action"}) DELETE e',
      'MATCH (m:Movie {movie_id: $amelie}) SET m.popularity = 1.0',
      // A key removed: Toy Story is found again by its movie_id.
      'MATCH (m:Movie {movie_id: $toy}) REMOVE m.tmdb_id'
    ]) {
      await db.writeRows(edit, params)
    }

    const movies = await importTmdb(db, copy.tmdb)
    // Updated: Inception (a genre), Amélie (a value), Toy Story (its TMDB id), The Dark Knight
    // Rises (its edges to Inception and Batman Begins, and its flag, now that a movie it lists is
    // gone); Spirited Away was whole.
    expect(row(movies)).toEqual([11, 0, 4, 1, 6])
    const more = await importTmdb(db, batman)
    // The Dark Knight is created; Batman Begins had lost its franchise edge to it.
    expect(row(more)).toEqual([2, 1, 1, 0, 0])
    expect(await snapshot(db, space)).toEqual(clean)

    expect(row(await importTmdb(db, copy.tmdb))).toEqual([11, 0, 0, 5, 6])
    expect(row(await importTmdb(db, batman))).toEqual([2, 0, 0, 2, 0])
    expect(await snapshot(db, space)).toEqual(clean)
  })

  it('keeps an editorial edge and replaces a computed one', async () => {
    const { space, copy, batman } = await fixtures()
    await importTmdb(db, copy.tmdb)
    await db.writeRows(
      `MATCH (a:Movie {movie_id: $a})-[r:SIMILAR_TO]->(b:Movie {movie_id: $b})
       DELETE r
       CREATE (a)-[:SIMILAR_TO {source: 'editorial', score: 0.3}]->(b)`,
      { a: space.tmdbMovie(27205), b: space.tmdbMovie(49026) }
    )
    // Inception is still pending (157336 is not loaded), so the next import looks at it again.
    await importTmdb(db, batman)
    await db.writeRows(
      `MATCH (a:Movie {movie_id: $a}), (b:Movie {movie_id: $b})
       CREATE (a)-[:SIMILAR_TO {source: 'computed', score: 0.1}]->(b)
       SET a.tmdb_links_pending = true`,
      { a: space.tmdbMovie(129), b: space.tmdbMovie(155) }
    )
    await writeFile(
      join(copy.dir, 'more.jsonl'),
      JSON.stringify({
        id: space.id(4935),
        title: "Howl's Moving Castle",
        similar: { results: [{ id: space.id(155) }] }
      })
    )
    await importTmdb(db, join(copy.dir, 'more.jsonl'))
    const found = (await edges(space)).filter((e) => e.type === 'SIMILAR_TO')
    expect(found).toContainEqual({
      type: 'SIMILAR_TO',
      from: 'tmdb-27205',
      to: 'tmdb-49026',
      source: 'editorial',
      score: 0.3
    })
    expect(found.filter((e) => e.from === 'tmdb-27205' && e.to === 'tmdb-49026')).toHaveLength(1)
    // 155 lists neither, so the computed 129–155 edge stays; 4935 joins 155 and 129's list.
    expect(found).toContainEqual({
      type: 'SIMILAR_TO',
      from: 'tmdb-129',
      to: 'tmdb-155',
      source: 'computed',
      score: 0.1
    })
    expect(found).toContainEqual({
      type: 'SIMILAR_TO',
      from: 'tmdb-129',
      to: 'tmdb-4935',
      source: 'tmdb',
      score: 1
    })
  })

  it('gives genres their TMDB ids, never taking one from the genre that holds it', async () => {
    const { space, copy } = await fixtures()
    const tag = `Genre ${space.offset}`
    const [fresh, clash, held, other] = ['Fresh', 'Clash', 'Held', 'Other'].map((n) => `${tag} ${n}`) as [
      string,
      string,
      string,
      string
    ]
    const [idFresh, idHeld, idOffered] = [space.id(1_999_001), space.id(1_999_002), space.id(1_999_003)]
    await db.writeRows('CREATE (:Genre {name: $held, tmdb_genre_id: $id, created_at: datetime()})', {
      held,
      id: int(idHeld)
    })
    const file = join(copy.dir, 'genres.jsonl')
    const movie = (n: number, genres: { id: number; name: string }[]) =>
      JSON.stringify({ id: space.id(1_990_000 + n), title: `${tag} movie ${n}`, genres })
    await writeFile(
      file,
      [
        movie(1, [
          { id: idFresh, name: fresh },
          { id: idHeld, name: clash }
        ]),
        movie(2, [{ id: idOffered, name: held }]),
        movie(3, [{ id: idFresh, name: other }])
      ].join('\n')
    )
    const genres = () =>
      db.readRows<{ name: string; id: number | null; movies: number }>(
        `MATCH (g:Genre) WHERE g.name STARTS WITH $tag
         RETURN g.name AS name, g.tmdb_genre_id AS id, COUNT { (g)<-[:IN_GENRE]-(:Movie) } AS movies
         ORDER BY name`,
        { tag }
      )
    try {
      const first = await importTmdb(db, file, {})
      expect([first.created, first.rejected]).toEqual([3, 0])
      const expected = [
        { name: clash, id: null, movies: 1 },
        { name: fresh, id: idFresh, movies: 1 },
        { name: held, id: idHeld, movies: 1 },
        { name: other, id: null, movies: 1 }
      ]
      expect(await genres()).toEqual(expected)

      const second = await importTmdb(db, file, {})
      expect([second.created, second.updated, second.unchanged, second.rejected]).toEqual([0, 0, 3, 0])
      expect(await genres()).toEqual(expected)
    } finally {
      await db.writeRows('MATCH (g:Genre) WHERE g.name STARTS WITH $tag DETACH DELETE g', { tag })
    }
  })

  it('reads gzip from stdin, refuses an IMDb id that belongs to another movie', async () => {
    const { space, copy } = await fixtures()
    await db.writeRows(
      `CREATE (:Movie {movie_id: $id, tmdb_id: $tmdb, imdb_id: $imdb, title: 'Someone else',
                       rating_count: 0, rating_sum: 0.0, review_count: 0, sentiment_sum: 0.0})`,
      { id: `other-${space.offset}`, tmdb: int(space.id(1)), imdb: space.imdb('1375666') }
    )
    const rejectsPath = join(copy.dir, 'stdin.rejects.jsonl')
    const summary = await importTmdb(db, '-', {
      stdin: Readable.from([gzipSync(await readFile(copy.tmdb))]),
      rejectsPath
    })
    expect([summary.created, summary.rejected]).toEqual([4, 7])
    expect(summary.files[0]).toMatchObject({ file: '-', rejectsPath })
    expect((await readRejects(rejectsPath)).find((r) => r.line === 2)?.reason).toBe(
      `imdb_id ${space.imdb('1375666')} already belongs to movie other-${space.offset} (tmdb_id ${space.id(1)})`
    )
  })
})
