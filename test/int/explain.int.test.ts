/**
 * Plan checks on the hot queries: EXPLAIN through the driver (nothing runs), then the plan walker.
 * Key lookups must seek an index; traversals must never scan every node or multiply unrelated
 * rows. A failure here means a query or an index changed so that it no longer scales.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../src/db/database.js'
import { int } from '../../src/db/convert.js'
import { GET_MOVIE, GET_MOVIE_BY_TMDB } from '../../src/data/movies/queries.js'
import { GET_REVIEW_BY_TWEET } from '../../src/data/reviews/queries.js'
import {
  LOAD_EXPLICIT_EDGES_OF,
  SIMILAR_LIST,
  SIMILAR_MOVIES,
  TOUCHED_SINCE,
  WRITE_LISTS
} from '../../src/data/similar/queries.js'
import { normalizedWeights } from '../../src/data/similar/score.js'
import * as recommendations from '../../src/data/recommendations/queries.js'
import { ATTACHED_TO, FRANCHISE_ATTACHMENTS, FRANCHISE_MAIN_LINE } from '../../src/data/franchise/queries.js'
import { MOVIE_REF } from '../../src/data/movie-graph.js'
import { shortestPath } from '../../src/data/paths/queries.js'
import { relatedPaths } from '../../src/data/related/queries.js'
import { planOperators, traversalPlanProblems, usesIndexSeek } from '../../src/db/plan-walker.js'
import type { PlanNode } from '../../src/db/plan-walker.js'
import { DEFAULT_TRAVERSAL_CONFIG } from '../../src/config.js'
import { RELATIONSHIP_TYPES } from '../../src/domain/relationship-types.js'
import { MOVIES_EXIST } from '../../src/data/movies/exist.js'
import { testDatabase } from '../helpers/neo4j.js'

let db: Database

beforeAll(() => {
  db = testDatabase()
})

afterAll(async () => {
  await db.close()
})

async function explain(query: string, params: Record<string, unknown>, mode: 'read' | 'write' = 'read') {
  const run = mode === 'read' ? db.read.bind(db) : db.write.bind(db)
  const summary = await run(async (tx) => (await tx.run(`EXPLAIN ${query}`, params)).summary)
  if (!summary.plan) throw new Error('EXPLAIN returned no plan')
  return summary.plan as unknown as PlanNode
}

const s = DEFAULT_TRAVERSAL_CONFIG.similar
const r = DEFAULT_TRAVERSAL_CONFIG.recommend
const similarParams = {
  movie_ids: ['x'],
  exclude: [],
  limit: int(20),
  min_score: 0,
  weights: normalizedWeights(s.weights),
  corating_shrink: s.coratingShrink,
  high_rating: s.highRating,
  max_coraters: int(s.maxCoraters),
  max_ratings_per_corater: int(s.maxRatingsPerCorater),
  max_per_genre: int(s.maxPerGenre),
  max_links: int(s.maxLinks)
}

describe('key lookups seek a unique index', () => {
  it.each([
    ['movie by movie_id', GET_MOVIE, { movie_id: 'x' }],
    ['movie by tmdb_id (an Integer)', GET_MOVIE_BY_TMDB, { tmdb_id: int(603) }],
    ['review by tweet_id (a String)', GET_REVIEW_BY_TWEET, { tweet_id: '1234567890123456789' }]
  ])('%s', async (_label, query, params) => {
    const plan = await explain(query, params)
    expect(planOperators(plan)).toContain('NodeUniqueIndexSeek')
    expect(traversalPlanProblems(plan)).toEqual([])
  })
})

const traversals: [string, string, Record<string, unknown>, ('read' | 'write')?][] = [
  ['similar movies (on the fly)', SIMILAR_MOVIES, similarParams],
  ['stored similar list', SIMILAR_LIST, { movie_id: 'x' }],
  ['explicit edges of refreshed movies', LOAD_EXPLICIT_EDGES_OF, { movie_ids: ['x'], max_links: int(100) }],
  [
    'related, every type, depth 3',
    relatedPaths([...RELATIONSHIP_TYPES], 3),
    { movie_id: 'x', limit: int(20) }
  ],
  ['shortest path, every type, depth 6', shortestPath([...RELATIONSHIP_TYPES], 6), { from: 'x', to: 'y' }],
  ['franchise main line', FRANCHISE_MAIN_LINE, { movie_id: 'x', max_members_plus_one: int(201) }],
  ['franchise attachments', FRANCHISE_ATTACHMENTS, { movie_ids: ['x', 'y'], max_members: int(200) }],
  ['attached to', ATTACHED_TO, { movie_id: 'x' }],
  ['movie ref', MOVIE_REF, { movie_id: 'x' }],
  ['movies exist', MOVIES_EXIST, { movie_ids: ['x', 'y'] }],
  ['user rating signals', recommendations.USER_RATING_SIGNALS, { user_id: 'u', high_rating: 7 }],
  ['search signals', recommendations.SEARCH_SIGNALS, { user_id: 'u', max_searches: int(50) }],
  [
    'personal recommendations',
    recommendations.PERSONAL_RECOMMENDATIONS,
    {
      user_id: 'u',
      limit: int(20),
      weights: r.weights,
      high_rating: r.highRating,
      max_liked: int(r.maxLiked),
      max_raters_per_movie: int(r.maxRatersPerMovie),
      max_neighbours: int(r.maxNeighbours),
      max_ratings_per_neighbour: int(r.maxRatingsPerNeighbour),
      max_per_genre: int(r.maxPerGenre)
    }
  ],
  ['write similar lists', WRITE_LISTS, { lists: [], at: '2026-01-01T00:00:00Z', run_id: 'r' }, 'write']
]

describe('traversals start from an index seek and never scan or multiply', () => {
  it.each(traversals)('%s', async (_label, query, params, mode) => {
    const plan = await explain(query, params, mode)
    expect(traversalPlanProblems(plan), planOperators(plan).join(' ← ')).toEqual([])
    expect(usesIndexSeek(plan), planOperators(plan).join(' ← ')).toBe(true)
  })

  it('related expands breadth-first from the start movie; shortest paths search from both ends', async () => {
    const related = planOperators(
      await explain(relatedPaths(['SEQUEL_OF'], 2), { movie_id: 'x', limit: int(5) })
    )
    expect(related, related.join(' <- ')).toContain('StatefulShortestPath(All)')
    const shortest = planOperators(await explain(shortestPath(['SEQUEL_OF'], 4), { from: 'x', to: 'y' }))
    expect(shortest).toContain('ShortestPath')
  })
})

describe('a similarity refresh finds touched movies through indexes', () => {
  it('seeks an index in every branch but the one for movies without a list', async () => {
    const plan = await explain(TOUCHED_SINCE, { since: '2026-01-01T00:00:00Z' })
    const operators = planOperators(plan)
    expect(operators.filter((o) => o.startsWith('NodeIndexSeekByRange')).length).toBeGreaterThanOrEqual(4)
    expect(operators.filter((o) => /RelationshipIndexSeekByRange/.test(o)).length).toBe(5)
    expect(operators).not.toContain('CartesianProduct')
  })
})

describe('cold-start catalogue slices never scan every node', () => {
  const params = { exclude: [], limit: int(20), min_rating_count: int(20), genres: ['drama'] }
  it.each([
    ['popular in genres', recommendations.POPULAR_IN_GENRES],
    ['well rated overall', recommendations.WELL_RATED_OVERALL],
    ['popular overall', recommendations.POPULAR_OVERALL]
  ])('%s', async (_label, query) => {
    expect(traversalPlanProblems(await explain(query, params))).toEqual([])
  })
})
