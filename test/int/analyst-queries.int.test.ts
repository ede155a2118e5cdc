import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ParamValue } from '../../src/analyst/param-map.js'
import { loadQueryPack, runPackQuery } from '../../src/analyst/query-pack.js'
import type { PackQuery } from '../../src/analyst/query-pack.js'
import { int } from '../../src/db/convert.js'
import type { Database } from '../../src/db/database.js'
import { tmdbMovieId } from '../../src/ingest/tmdb.js'
import { readDemoData } from '../../src/seed/demo-data.js'
import { seedDemo } from '../../src/seed/demo.js'
import { testDatabase, uid } from '../helpers/neo4j.js'
import { plantedGraph } from '../helpers/planted-graph.js'

// Every pack query runs with the example values of its own :param line against the demo dataset.
// Other test files share the server but never touch tmdb-* movies or demo-* users, and their
// searches are stamped with the current time, far from the demo's 2025 windows. Queries that
// scan the whole graph are checked on their demo rows only.
//
// The Graph Data Science queries run on the demo's own movies instead (their movieIds), under a
// graph name of the run's own: the import tests keep tmdb- movies of their own that come and go
// while a projection reads, and two runs of the suite on one server would otherwise drop each
// other's graph.

type Row = Record<string, unknown>

const isDemo = (row: Row, key = 'movie_id'): boolean => String(row[key]).startsWith('tmdb-')

function pick(rows: Row[], keys: string[]): Row[] {
  return rows.map((r) => Object.fromEntries(keys.map((k) => [k, r[k]])))
}

function sortedBy(rows: Row[], key: string, direction: 'asc' | 'desc'): boolean {
  return rows.every((r, i) => {
    if (i === 0) return true
    const a = rows[i - 1]?.[key] as number
    const b = r[key] as number
    return direction === 'asc' ? a <= b : a >= b
  })
}

interface Expectation {
  columns: string[]
  check: (rows: Row[]) => void
}

const EXPECTED: Record<string, Expectation> = {
  '01-top-rated-by-genre': {
    columns: ['movie_id', 'title', 'year', 'rating_mean', 'rating_count'],
    check: (rows) => {
      const demo = rows.filter((r) => isDemo(r))
      expect(demo[0]).toMatchObject({
        movie_id: 'tmdb-1891',
        title: 'The Empire Strikes Back',
        rating_count: 21
      })
      expect(demo.map((r) => r.movie_id)).toContain('tmdb-157336')
      expect(rows.every((r) => (r.rating_count as number) >= 5)).toBe(true)
      expect(sortedBy(rows, 'rating_mean', 'desc')).toBe(true)
    }
  },
  '02-review-sentiment-by-month': {
    columns: ['movie_id', 'month', 'reviews', 'positive', 'negative', 'mean_sentiment'],
    check: (rows) => {
      expect(pick(rows, ['month', 'reviews', 'negative'])).toEqual([
        { month: '2025-01', reviews: 1, negative: 1 },
        { month: '2025-07', reviews: 3, negative: 3 },
        { month: '2025-08', reviews: 3, negative: 3 },
        { month: '2025-09', reviews: 2, negative: 2 }
      ])
      expect(rows.every((r) => (r.mean_sentiment as number) < -0.5)).toBe(true)
    }
  },
  '03-tweet-volume-by-week': {
    columns: ['movie_id', 'title', 'week', 'tweets', 'retweets'],
    check: (rows) => {
      expect(pick(rows, ['movie_id', 'week', 'tweets'])).toEqual([
        { movie_id: 'tmdb-27205', week: '2025-08-25', tweets: 1 },
        { movie_id: 'tmdb-27205', week: '2025-09-01', tweets: 1 },
        { movie_id: 'tmdb-27205', week: '2025-09-08', tweets: 1 },
        { movie_id: 'tmdb-27205', week: '2025-09-22', tweets: 1 },
        { movie_id: 'tmdb-693134', week: '2025-08-25', tweets: 2 },
        { movie_id: 'tmdb-693134', week: '2025-09-01', tweets: 4 },
        { movie_id: 'tmdb-693134', week: '2025-09-08', tweets: 1 },
        { movie_id: 'tmdb-693134', week: '2025-09-15', tweets: 3 }
      ])
    }
  },
  '04-trending-searches': {
    columns: ['query', 'searches', 'without_results', 'users', 'last_searched_at'],
    check: (rows) => {
      expect(pick(rows.slice(0, 3), ['query', 'searches', 'without_results', 'users'])).toEqual([
        { query: 'dune part two', searches: 5, without_results: 0, users: 3 },
        { query: 'dune', searches: 3, without_results: 0, users: 1 },
        { query: 'barbenheimer', searches: 2, without_results: 2, users: 0 }
      ])
      expect(rows).toHaveLength(10)
    }
  },
  '05-searches-without-results': {
    columns: ['query', 'searches', 'users', 'first_searched_at', 'last_searched_at'],
    check: (rows) => {
      expect(pick(rows, ['query', 'searches', 'users'])).toEqual([
        { query: 'barbenheimer', searches: 4, users: 1 },
        { query: 'la la land', searches: 2, users: 1 },
        { query: 'oppenheimer', searches: 2, users: 1 },
        { query: 'zzqx', searches: 1, users: 0 }
      ])
    }
  },
  '06-franchise-chain': {
    columns: ['position', 'movie_id', 'title', 'year', 'rating_mean'],
    check: (rows) => {
      expect(pick(rows, ['position', 'movie_id', 'title', 'year'])).toEqual([
        { position: 1, movie_id: 'tmdb-238', title: 'The Godfather', year: 1972 },
        { position: 2, movie_id: 'tmdb-240', title: 'The Godfather Part II', year: 1974 },
        { position: 3, movie_id: 'tmdb-242', title: 'The Godfather Part III', year: 1990 }
      ])
    }
  },
  '07-movie-neighbourhood': {
    columns: ['movie_id', 'title', 'year', 'hops', 'via', 'through'],
    check: (rows) => {
      const byId = new Map(rows.map((r) => [r.movie_id, r]))
      expect(byId.get('tmdb-604')).toMatchObject({ hops: 1, via: ['SEQUEL_OF'], through: [] })
      expect(byId.get('tmdb-605')).toMatchObject({
        hops: 2,
        via: ['SEQUEL_OF', 'SEQUEL_OF'],
        through: ['The Matrix Reloaded']
      })
      expect(byId.get('tmdb-9323')).toMatchObject({ hops: 1, via: ['INSPIRED_BY'] })
      expect(byId.get('tmdb-4977')).toMatchObject({ hops: 2, through: ['Inception'] })
      expect(byId.has('tmdb-603')).toBe(false)
      expect(rows.every((r) => r.hops === 1 || r.hops === 2)).toBe(true)
      expect(sortedBy(rows, 'hops', 'asc')).toBe(true)
    }
  },
  '08-similar-taste-users': {
    columns: ['user_id', 'common', 'agreement', 'mean_difference'],
    check: (rows) => {
      expect(rows[0]).toMatchObject({ user_id: 'demo-ben', common: 22 })
      expect(rows[0]?.agreement as number).toBeGreaterThan(0.97)
      expect(rows.every((r) => (r.common as number) >= 5 && r.user_id !== 'demo-ana')).toBe(true)
      expect(sortedBy(rows, 'agreement', 'desc')).toBe(true)
    }
  },
  '09-genre-co-occurrence': {
    columns: ['genre_a', 'genre_b', 'movies'],
    check: (rows) => {
      const pair = (a: string, b: string) => rows.find((r) => r.genre_a === a && r.genre_b === b)
      expect(pair('Crime', 'Drama')?.movies as number).toBeGreaterThanOrEqual(16)
      expect(pair('Adventure', 'Science Fiction')?.movies as number).toBeGreaterThanOrEqual(15)
      expect(pair('Action', 'Science Fiction')?.movies as number).toBeGreaterThanOrEqual(14)
      expect(rows.every((r) => (r.genre_a as string) < (r.genre_b as string))).toBe(true)
    }
  },
  '10-rating-sentiment-disagreement': {
    columns: ['movie_id', 'title', 'rating_normalized', 'sentiment_normalized', 'gap', 'ratings', 'reviews'],
    check: (rows) => {
      const demo = rows.filter((r) => isDemo(r))
      expect(demo[0]).toMatchObject({ movie_id: 'tmdb-475557', title: 'Joker', ratings: 18, reviews: 9 })
      expect(demo[0]?.gap as number).toBeGreaterThan(0.6)
      expect(demo[0]?.sentiment_normalized as number).toBeLessThan(0.2)
    }
  },
  '11-polarising-movies': {
    columns: [
      'movie_id',
      'title',
      'ratings',
      'rating_mean',
      'rating_stdev',
      'ratings_4_or_below',
      'ratings_8_or_above'
    ],
    check: (rows) => {
      const demo = rows.filter((r) => isDemo(r))
      expect(demo[0]).toMatchObject({
        movie_id: 'tmdb-604',
        title: 'The Matrix Reloaded',
        ratings: 14,
        ratings_4_or_below: 8,
        ratings_8_or_above: 6
      })
      expect(demo[0]?.rating_stdev as number).toBeGreaterThan(3)
      expect(sortedBy(rows, 'rating_stdev', 'desc')).toBe(true)
    }
  },
  '12-sequels-vs-originals': {
    columns: [
      'sequel_id',
      'sequel',
      'original_id',
      'original',
      'original_rating',
      'sequel_rating',
      'difference',
      'verdict'
    ],
    check: (rows) => {
      const verdict = (sequel: string) => rows.find((r) => r.sequel_id === sequel)?.verdict
      expect(verdict('tmdb-1891')).toBe('higher')
      expect(verdict('tmdb-693134')).toBe('higher')
      expect(verdict('tmdb-240')).toBe('lower')
      expect(verdict('tmdb-242')).toBe('lower')
      const demo = rows.filter((r) => isDemo(r, 'sequel_id'))
      expect(demo[0]).toMatchObject({ sequel: 'Dune: Part Two', original: 'Dune' })
      expect(sortedBy(rows, 'difference', 'desc')).toBe(true)
    }
  },
  '13-rating-distribution': {
    columns: ['movie_id', 'bucket', 'ratings', 'share'],
    check: (rows) => {
      expect(rows.map((r) => r.bucket)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
      expect(rows.map((r) => r.ratings)).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 5, 14, 4])
      expect(rows.reduce((s, r) => s + (r.share as number), 0)).toBeCloseTo(1, 2)
    }
  },
  '14-user-genre-preferences': {
    columns: ['genre', 'ratings', 'mean_score', 'versus_overall'],
    check: (rows) => {
      expect(rows[0]).toMatchObject({ genre: 'Science Fiction', ratings: 13 })
      expect(rows[0]?.versus_overall as number).toBeGreaterThan(0)
      expect(rows.every((r) => (r.ratings as number) >= 5)).toBe(true)
    }
  },
  '15-search-conversion': {
    columns: ['query', 'searches', 'with_selection', 'conversion', 'most_selected'],
    check: (rows) => {
      expect(rows.slice(0, 2)).toEqual([
        {
          query: 'dune part two',
          searches: 6,
          with_selection: 4,
          conversion: 0.67,
          most_selected: 'Dune: Part Two'
        },
        {
          query: 'godfather',
          searches: 5,
          with_selection: 4,
          conversion: 0.8,
          most_selected: 'The Godfather'
        }
      ])
      expect(rows.find((r) => r.query === 'dune')).toMatchObject({
        searches: 5,
        with_selection: 2,
        most_selected: 'Dune'
      })
    }
  },
  '16-derived-works': {
    columns: [
      'relationship',
      'movie_id',
      'title',
      'year',
      'source_id',
      'source_title',
      'source_year',
      'years_between',
      'rating_mean',
      'source_rating_mean'
    ],
    check: (rows) => {
      const demo = rows.filter((r) => isDemo(r))
      expect(pick(demo, ['relationship', 'movie_id', 'source_id', 'years_between'])).toEqual(
        expect.arrayContaining([
          { relationship: 'REMAKE_OF', movie_id: 'tmdb-161', source_id: 'tmdb-299', years_between: 41 },
          { relationship: 'REMAKE_OF', movie_id: 'tmdb-1091', source_id: 'tmdb-10785', years_between: 31 },
          { relationship: 'REMAKE_OF', movie_id: 'tmdb-111', source_id: 'tmdb-877', years_between: 51 },
          { relationship: 'SPINOFF_OF', movie_id: 'tmdb-330459', source_id: 'tmdb-11', years_between: 39 },
          { relationship: 'INSPIRED_BY', movie_id: 'tmdb-603', source_id: 'tmdb-9323', years_between: 4 }
        ])
      )
      expect(demo.filter((r) => r.relationship === 'REMAKE_OF')[0]).toMatchObject({
        title: 'Scarface',
        year: 1983
      })
    }
  },
  '17-recommendations-from-similar-users': {
    columns: ['movie_id', 'title', 'recommenders', 'peer_score', 'weight'],
    check: (rows) => {
      expect(pick(rows.slice(0, 2), ['movie_id', 'title', 'recommenders'])).toEqual([
        { movie_id: 'tmdb-335984', title: 'Blade Runner 2049', recommenders: 1 },
        { movie_id: 'tmdb-4977', title: 'Paprika', recommenders: 1 }
      ])
      expect(sortedBy(rows, 'weight', 'desc')).toBe(true)
    }
  },
  '18-taste-communities': {
    columns: ['community', 'size', 'top_movie_ids', 'top_movies', 'top_genres'],
    check: (rows) => {
      // The demo's similar films form ten separate clusters, and each is one community.
      expect(rows.map((r) => r.community)).toEqual(rows.map((_r, i) => i + 1))
      expect(rows.map((r) => r.size)).toEqual([7, 6, 5, 4, 2, 2, 2, 2, 2, 2])
      expect(rows[0]).toMatchObject({
        top_movies: ['Pulp Fiction', 'The Godfather', 'Fight Club', 'The Departed', 'GoodFellas'],
        top_genres: ['Crime', 'Drama', 'Action']
      })
      expect(rows[1]?.top_genres).toEqual(['Science Fiction', 'Action', 'Adventure'])
      expect(rows[1]?.top_movies).toEqual(expect.arrayContaining(['The Matrix', 'Inception']))
      expect(rows[2]?.top_movies).toEqual(expect.arrayContaining(['Spirited Away', 'Princess Mononoke']))
      expect(rows.find((r) => (r.top_movie_ids as string[]).includes('tmdb-496243'))?.top_movies).toEqual([
        'Parasite',
        'Oldboy'
      ])
    }
  },
  '19-central-films': {
    columns: ['rank', 'movie_id', 'title', 'year', 'score', 'rating_count'],
    check: (rows) => {
      expect(rows).toHaveLength(20)
      expect(rows.map((r) => r.rank)).toEqual(rows.map((_r, i) => i + 1))
      // GoodFellas has four similar films, Spirited Away three; no other film more than two.
      expect(pick(rows.slice(0, 2), ['movie_id', 'title', 'year'])).toEqual([
        { movie_id: 'tmdb-769', title: 'GoodFellas', year: 1990 },
        { movie_id: 'tmdb-129', title: 'Spirited Away', year: 2001 }
      ])
      expect(sortedBy(rows, 'score', 'desc')).toBe(true)
    }
  },
  '20-most-drawn-on-films': {
    columns: ['rank', 'movie_id', 'title', 'year', 'score', 'drawn_on_by'],
    check: (rows) => {
      // Star Wars is drawn on by Empire (itself continued by Jedi) and Rogue One. Ghost in the Shell
      // inspired only The Matrix, but the Matrix sequels behind it lift it above Rocky, which Rocky II
      // and Creed draw on directly.
      expect(pick(rows.slice(0, 3), ['movie_id', 'title', 'drawn_on_by'])).toEqual([
        { movie_id: 'tmdb-11', title: 'Star Wars', drawn_on_by: 2 },
        { movie_id: 'tmdb-9323', title: 'Ghost in the Shell', drawn_on_by: 1 },
        { movie_id: 'tmdb-1366', title: 'Rocky', drawn_on_by: 2 }
      ])
      expect(rows[0]?.score).toBeCloseTo(0.15 + 0.85 * (0.15 + 0.85 * 0.15 + 0.15), 3)
      expect(rows.map((r) => r.movie_id)).not.toContain('tmdb-1892')
      expect(sortedBy(rows, 'score', 'desc')).toBe(true)
    }
  }
}

// A query that fails midway leaves its projected graph in the server's memory; every graph of this
// run carries one prefix, so afterAll can drop whatever was left.
const GRAPH_PREFIX = uid('analyst-pack')
let graphs = 0
const newGraphName = (): string => `${GRAPH_PREFIX}-${++graphs}`

async function dropLeftGraphs(db: Database): Promise<void> {
  await db.readRows(
    `CALL gds.graph.list() YIELD graphName
     WHERE graphName STARTS WITH $prefix
     CALL gds.graph.drop(graphName, false) YIELD graphName AS dropped
     RETURN count(dropped) AS dropped`,
    { prefix: GRAPH_PREFIX }
  )
}

/** The example values, with a graph name and the movies that keep a GDS query to this run's graph. */
function runParams(q: PackQuery, movieIds: string[]): Record<string, ParamValue> {
  if (!('graphName' in q.params)) return q.params
  return { ...q.params, graphName: newGraphName(), movieIds }
}

describe('the analyst query pack on the demo dataset', async () => {
  const pack = await loadQueryPack()
  const demoMovieIds = (await readDemoData()).movies.map((m) => tmdbMovieId(m.tmdb_id))
  let db: Database

  beforeAll(async () => {
    db = testDatabase()
    await seedDemo(db)
  })

  afterAll(async () => {
    await dropLeftGraphs(db)
    await db.close()
  })

  it('has a known answer for every query file', () => {
    expect(pack.map((q) => q.name).sort()).toEqual(Object.keys(EXPECTED).sort())
  })

  it.each(pack.map((q) => [q.name, q] as const))('%s', async (name: string, q: PackQuery) => {
    const expected = EXPECTED[name]
    if (!expected) throw new Error(`no expectation for ${name}`)
    const { keys, rows } = await runPackQuery<Row>(db, q, runParams(q, demoMovieIds))
    expect(keys).toEqual(expected.columns)
    expect(rows.length).toBeGreaterThan(0)
    expected.check(rows)
  })
})

describe('the Graph Data Science queries on a planted graph', async () => {
  const pack = await loadQueryPack()
  const query = (name: string): PackQuery => {
    const q = pack.find((p) => p.name === name)
    if (!q) throw new Error(`no pack query ${name}`)
    return q
  }
  const graph = plantedGraph('analyst-gds')
  const { id } = graph
  const ids = (...names: string[]): string[] => names.map(id)

  const graphExists = async (graphName: string): Promise<boolean> => {
    const [row] = await graph
      .db()
      .readRows<{ exists: boolean }>('RETURN gds.graph.exists($graphName) AS exists', {
        graphName
      })
    return row?.exists ?? false
  }

  async function run(name: string, params: Record<string, ParamValue>): Promise<Row[]> {
    const q = query(name)
    const graphName = newGraphName()
    const { rows } = await runPackQuery<Row>(graph.db(), q, { ...q.params, graphName, ...params })
    expect(await graphExists(graphName)).toBe(false)
    return rows
  }

  // Communities: a1–a5 and b1–b4 each list every other member of their clique at 0.9; a5 also
  // lists b1 at 0.1, too weak to merge the cliques. e1 and e2 are linked only by an explicit
  // SIMILAR_TO edge. solo's one link is a computed SIMILAR_TO edge of the former rebuild, which
  // counts for nothing; stray lists only out, which the runs leave out of movieIds.
  // Centrality: s1–s4 list hub, hub lists s1, and w lists s2 at 0.9 and s3 at 0.1.
  // Derivation: q1 SEQUEL_OF o, q2 SEQUEL_OF q1, r REMAKE_OF o, sp SPINOFF_OF q1, i INSPIRED_BY x,
  // z SAME_FRANCHISE x (not a derivation), out REMAKE_OF x (out of movieIds).
  const cliqueA = ['a1', 'a2', 'a3', 'a4', 'a5']
  const cliqueB = ['b1', 'b2', 'b3', 'b4']
  const communityMovies = ids(...cliqueA, ...cliqueB, 'e1', 'e2', 'solo', 'stray')
  const centralityMovies = ids('hub', 's1', 's2', 's3', 's4', 'w')
  const derivationMovies = ids('o', 'q1', 'q2', 'r', 'sp', 'x', 'i', 'z')

  beforeAll(async () => {
    await graph.seedMovies([
      ...cliqueA.map((name, i) => ({
        name,
        rating_count: 50 - 10 * i,
        genres: i < 2 ? ['noir', 'heist'] : ['noir']
      })),
      ...cliqueB.map((name, i) => ({ name, rating_count: 5 - i, genres: ['western'] })),
      { name: 'e1', rating_count: 2, genres: ['musical'] },
      { name: 'e2', rating_count: 1, genres: ['musical'] },
      { name: 'solo', rating_count: 99 },
      { name: 'stray', rating_count: 99 },
      { name: 'out', rating_count: 99 },
      { name: 'hub', title: 'Hub', year: 2001, rating_count: 1 },
      ...['s1', 's2', 's3', 's4', 'w'].map((name) => ({ name, rating_count: 100 })),
      ...['o', 'q1', 'q2', 'r', 'sp', 'x', 'i', 'z'].map((name) => ({ name }))
    ])
    await graph.seedEdges([
      ['e1', 'SIMILAR_TO', 'e2', 'tmdb', 0.8],
      ['a1', 'SIMILAR_TO', 'solo', 'computed', 0.99],
      ['q1', 'SEQUEL_OF', 'o', 'editorial', null],
      ['q2', 'SEQUEL_OF', 'q1', 'editorial', null],
      ['r', 'REMAKE_OF', 'o', 'editorial', null],
      ['sp', 'SPINOFF_OF', 'q1', 'editorial', null],
      ['i', 'INSPIRED_BY', 'x', 'editorial', null],
      ['x', 'SAME_FRANCHISE', 'z', 'editorial', null],
      ['out', 'REMAKE_OF', 'x', 'editorial', null]
    ])
    const lists = new Map<string, [string, number][]>()
    for (const members of [cliqueA, cliqueB]) {
      for (const m of members) {
        const others = members.filter((o) => o !== m)
        lists.set(
          m,
          others.map((o) => [o, 0.9])
        )
      }
    }
    lists.get('a5')?.push(['b1', 0.1])
    lists.set('stray', [['out', 0.9]])
    for (const s of ['s1', 's2', 's3', 's4']) lists.set(s, [['hub', 0.9]])
    lists.set('hub', [['s1', 0.5]])
    lists.set('w', [
      ['s2', 0.9],
      ['s3', 0.1]
    ])
    await graph.db().writeRows(
      `UNWIND $lists AS l
       MATCH (m:Movie {movie_id: l.movie_id})
       SET m.similar_ids = l.ids, m.similar_scores = l.scores`,
      {
        lists: [...lists].map(([movie, similar]) => ({
          movie_id: id(movie),
          ids: similar.map(([o]) => id(o)),
          scores: similar.map(([, score]) => score)
        }))
      }
    )
  })

  // Registered after plantedGraph's hooks, so it runs while their database is still open.
  afterAll(async () => {
    await dropLeftGraphs(graph.db())
  })

  describe('18-taste-communities', () => {
    it('finds the two cliques and the explicitly linked pair, most-rated members and shared genres first', async () => {
      const rows = await run('18-taste-communities', { movieIds: communityMovies, members: int(3) })
      expect(rows).toEqual([
        {
          community: 1,
          size: 5,
          top_movie_ids: ids('a1', 'a2', 'a3'),
          top_movies: ['A1', 'A2', 'A3'],
          top_genres: [graph.genre('noir'), graph.genre('heist')]
        },
        {
          community: 2,
          size: 4,
          top_movie_ids: ids('b1', 'b2', 'b3'),
          top_movies: ['B1', 'B2', 'B3'],
          top_genres: [graph.genre('western')]
        },
        {
          community: 3,
          size: 2,
          top_movie_ids: ids('e1', 'e2'),
          top_movies: ['E1', 'E2'],
          top_genres: [graph.genre('musical')]
        }
      ])
    })

    it('lists only communities of minSize or more, at most limit of them', async () => {
      const bigger = await run('18-taste-communities', { movieIds: communityMovies, minSize: int(3) })
      expect(bigger.map((r) => r.size)).toEqual([5, 4])
      const first = await run('18-taste-communities', { movieIds: communityMovies, limit: int(1) })
      expect(first.map((r) => r.top_movie_ids)).toEqual([ids(...cliqueA)])
    })

    it('answers with nothing when the movies have no links among them', async () => {
      expect(await run('18-taste-communities', { movieIds: ids('solo', 'stray', 'hub') })).toEqual([])
    })

    it('replaces a graph an interrupted run left under its name, and runs twice in a row', async () => {
      const q = query('18-taste-communities')
      const graphName = newGraphName()
      await graph
        .db()
        .readRows(
          'MATCH (m:Movie {movie_id: $movie}) WITH gds.graph.project($graphName, m, null) AS g RETURN g',
          {
            movie: id('solo'),
            graphName
          }
        )
      expect(await graphExists(graphName)).toBe(true)
      const params = { ...q.params, graphName, movieIds: communityMovies }
      const first = await runPackQuery<Row>(graph.db(), q, params)
      const second = await runPackQuery<Row>(graph.db(), q, params)
      expect(first.rows.map((r) => r.size)).toEqual([5, 4, 2])
      expect(second.rows).toEqual(first.rows)
      expect(await graphExists(graphName)).toBe(false)
    })
  })

  describe('19-central-films', () => {
    it('ranks the hub every other film names first, though it has the fewest ratings', async () => {
      const rows = await run('19-central-films', { movieIds: centralityMovies })
      expect(pick(rows, ['rank', 'movie_id'])).toEqual(
        ids('hub', 's1', 's2', 's3', 's4', 'w').map((movie_id, i) => ({ rank: i + 1, movie_id }))
      )
      expect(rows[0]).toMatchObject({ title: 'Hub', year: 2001, rating_count: 1 })
      // s2 and s3 differ only in the score w lists them at; s4 and w are named by no film.
      const score = (name: string) => rows.find((r) => r.movie_id === id(name))?.score as number
      expect(score('s2')).toBeCloseTo(0.15 + 0.85 * 0.15 * 0.9, 3)
      expect(score('s3')).toBeCloseTo(0.15 + 0.85 * 0.15 * 0.1, 3)
      expect(score('s4')).toBeCloseTo(0.15, 6)
      expect(score('hub')).toBeGreaterThan(score('s1'))
    })

    it('reads only the listed movies and stops at limit', async () => {
      const rows = await run('19-central-films', { movieIds: communityMovies, limit: int(3) })
      expect(rows).toHaveLength(3)
      expect(rows.every((r) => communityMovies.includes(r.movie_id as string))).toBe(true)
    })
  })

  describe('20-most-drawn-on-films', () => {
    it('ranks the original of the longest line of derived works first', async () => {
      const rows = await run('20-most-drawn-on-films', { movieIds: derivationMovies })
      expect(pick(rows, ['rank', 'movie_id', 'drawn_on_by'])).toEqual([
        { rank: 1, movie_id: id('o'), drawn_on_by: 2 },
        { rank: 2, movie_id: id('q1'), drawn_on_by: 2 },
        { rank: 3, movie_id: id('x'), drawn_on_by: 1 }
      ])
      const q1 = 0.15 + 0.85 * (0.15 + 0.15)
      expect(rows.map((r) => r.score)).toEqual([
        expect.closeTo(0.15 + 0.85 * (q1 + 0.15), 3),
        expect.closeTo(q1, 3),
        expect.closeTo(0.15 + 0.85 * 0.15, 3)
      ])
    })

    it('follows only the edge types asked for', async () => {
      const rows = await run('20-most-drawn-on-films', { movieIds: derivationMovies, types: ['SEQUEL_OF'] })
      expect(pick(rows, ['movie_id', 'drawn_on_by'])).toEqual([
        { movie_id: id('o'), drawn_on_by: 1 },
        { movie_id: id('q1'), drawn_on_by: 1 }
      ])
      expect(rows[0]?.score).toBeCloseTo(0.15 + 0.85 * (0.15 + 0.85 * 0.15), 3)
    })
  })
})
