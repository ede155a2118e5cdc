/** Title searches: run against the full-text index and recorded, with what was returned and chosen. */
import { randomUUID } from 'node:crypto'
import type { ManagedTransaction } from 'neo4j-driver'
import type { Database } from '../../db/database.js'
import { rows } from '../../db/database.js'
import { int } from '../../db/convert.js'
import { NotFoundError } from '../../errors.js'
import { checkYearRange } from '../list-params.js'
import { buildTitleQuery, normalizeQuery } from '../../lib/lucene.js'
import type {
  MovieSearchQueryValue,
  MovieSearchResultsValue,
  SearchBodyValue,
  SearchCreatedValue,
  SearchFiltersValue,
  SearchHistoryItemValue,
  SearchHistoryPageValue,
  SearchPageQueryValue,
  SearchResultValue,
  TrendingQueryValue,
  TrendingValue,
  TrendingWindowValue
} from '../../schemas/search.js'
import { afterParams, nextCursor } from '../ratings/time-cursor.js'
import { CANDIDATES_PER_RESULT, rankHits } from './ranking.js'
import type { TitleHit } from './ranking.js'
import {
  LINK_SEARCH_USER,
  RECORD_SEARCH,
  SEARCH_MOVIE_TITLES,
  SEARCH_MOVIE_TITLES_TOP,
  SELECT_RESULT,
  TRENDING_QUERIES,
  TRENDING_TOTALS,
  USER_EXISTS,
  USER_SEARCHES_PAGE
} from './queries.js'

const SORT = 'searched_at_desc'
const DEFAULT_LIMIT = 20

const WINDOW_DURATIONS: Record<TrendingWindowValue, string> = {
  '1h': 'PT1H',
  '24h': 'PT24H',
  '7d': 'P7D',
  '30d': 'P30D'
}

/** Only the filters given, in a fixed key order, so equal filters are stored as equal strings. */
function canonicalFilters(filters: SearchFiltersValue | undefined): SearchFiltersValue {
  const out: SearchFiltersValue = {}
  if (filters?.genre !== undefined) out.genre = filters.genre
  if (filters?.year_from !== undefined) out.year_from = filters.year_from
  if (filters?.year_to !== undefined) out.year_to = filters.year_to
  return out
}

function parseFilters(stored: unknown): SearchFiltersValue {
  if (typeof stored !== 'string') return {}
  try {
    const parsed: unknown = JSON.parse(stored)
    return parsed !== null && typeof parsed === 'object' ? canonicalFilters(parsed as SearchFiltersValue) : {}
  } catch {
    return {}
  }
}

/**
 * The title search to run, or null when the text has nothing searchable. Without filters Lucene
 * returns only its best candidates; with them every hit is read and filtered in score order.
 */
function titleSearch(
  text: string,
  filters: SearchFiltersValue,
  limit: number
): { query: string; params: Record<string, unknown> } | null {
  const lucene = buildTitleQuery(text)
  if (lucene === null) return null
  const candidates = int(limit * CANDIDATES_PER_RESULT)
  if (filters.genre === undefined && filters.year_from === undefined && filters.year_to === undefined) {
    return { query: SEARCH_MOVIE_TITLES_TOP, params: { lucene, limit: candidates } }
  }
  return {
    query: SEARCH_MOVIE_TITLES,
    params: {
      lucene,
      genre: filters.genre?.toLowerCase() ?? null,
      year_from: filters.year_from === undefined ? null : int(filters.year_from),
      year_to: filters.year_to === undefined ? null : int(filters.year_to),
      limit: candidates
    }
  }
}

/** The page a client sees: ranked (see ranking.ts), numbered, without what ranking needed. */
function resultsOf(text: string, hits: readonly TitleHit[], limit: number): SearchResultValue[] {
  return rankHits(text, hits, limit).map((h, i) => ({
    movie_id: h.movie_id,
    title: h.title,
    year: h.year,
    score: h.score,
    rank: i + 1
  }))
}

/** Ranked title hits; runs inside the caller's transaction so a recorded search stores exactly these. */
async function searchTitles(
  tx: ManagedTransaction,
  text: string,
  filters: SearchFiltersValue,
  limit: number
): Promise<SearchResultValue[]> {
  const search = titleSearch(text, filters, limit)
  if (search === null) return []
  return resultsOf(text, rows<TitleHit>(await tx.run(search.query, search.params)), limit)
}

export async function searchMovies(
  db: Database,
  query: MovieSearchQueryValue
): Promise<MovieSearchResultsValue> {
  const filters = canonicalFilters(query)
  checkYearRange(filters, 'querystring')
  const limit = query.limit ?? DEFAULT_LIMIT
  const search = titleSearch(query.q, filters, limit)
  const results =
    search === null ? [] : resultsOf(query.q, await db.readRows<TitleHit>(search.query, search.params), limit)
  return { query: query.q, filters, results }
}

export async function createSearch(db: Database, body: SearchBodyValue): Promise<SearchCreatedValue> {
  const filters = canonicalFilters(body.filters)
  checkYearRange(filters, 'body', '/filters')
  const limit = body.limit ?? DEFAULT_LIMIT
  const searchId = randomUUID()
  const normalizedQuery = normalizeQuery(body.query)

  return db.write(async (tx) => {
    const results = await searchTitles(tx, body.query, filters, limit)
    const [recorded] = rows<{ searched_at: string }>(
      await tx.run(RECORD_SEARCH, {
        search_id: searchId,
        query: body.query,
        normalized_query: normalizedQuery,
        filters: JSON.stringify(filters),
        hits: results.map((r) => ({ movie_id: r.movie_id, rank: int(r.rank), score: r.score }))
      })
    )
    if (body.user_id !== undefined) {
      await tx.run(LINK_SEARCH_USER, { search_id: searchId, user_id: body.user_id })
    }
    return {
      search_id: searchId,
      query: body.query,
      normalized_query: normalizedQuery,
      filters,
      searched_at: recorded?.searched_at ?? new Date().toISOString(),
      results,
      result_count: results.length
    }
  })
}

export async function selectResult(db: Database, searchId: string, movieId: string): Promise<void> {
  const [row] = await db.writeRows<{ search_found: boolean; movie_found: boolean }>(SELECT_RESULT, {
    search_id: searchId,
    movie_id: movieId
  })
  if (!row?.search_found) throw new NotFoundError(`Search ${searchId} does not exist`)
  if (!row.movie_found) throw new NotFoundError(`Movie ${movieId} does not exist`)
}

type StoredSearch = Omit<SearchHistoryItemValue, 'filters'> & { filters: unknown }

export async function userSearches(
  db: Database,
  userId: string,
  query: SearchPageQueryValue
): Promise<SearchHistoryPageValue> {
  const after = afterParams(query.cursor, SORT)
  return db.read(async (tx) => {
    const users = rows<{ user_id: string }>(await tx.run(USER_EXISTS, { user_id: userId }))
    if (users.length === 0) throw new NotFoundError(`User ${userId} does not exist`)
    const fetched = rows<{ search: StoredSearch; position: string }>(
      await tx.run(USER_SEARCHES_PAGE, { user_id: userId, ...after, limit: int(query.limit + 1) })
    )
    const { page, next_cursor } = nextCursor(fetched, query.limit, SORT, (r) => ({
      key: r.position,
      id: r.search.search_id
    }))
    return {
      items: page.map(({ search }) => ({ ...search, filters: parseFilters(search.filters) })),
      next_cursor
    }
  })
}

export async function trending(db: Database, query: TrendingQueryValue): Promise<TrendingValue> {
  const prefix = query.prefix === undefined ? null : normalizeQuery(query.prefix)
  const params = {
    window: WINDOW_DURATIONS[query.window],
    // A prefix of only spaces normalizes to '' and then matches everything, as no prefix would.
    prefix: prefix === '' ? null : prefix,
    limit: int(query.limit)
  }
  return db.read(async (tx) => {
    const [totals] = rows<{ since: string; searches: number; zero_result_searches: number }>(
      await tx.run(TRENDING_TOTALS, params)
    )
    const items = rows<TrendingValue['items'][number]>(await tx.run(TRENDING_QUERIES, params))
    return {
      window: query.window,
      since: totals?.since ?? new Date().toISOString(),
      searches: totals?.searches ?? 0,
      zero_result_searches: totals?.zero_result_searches ?? 0,
      items
    }
  })
}
