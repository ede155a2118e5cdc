/** Title searches: the request, what it found, the history of a user, and trending queries. */
import { Type } from 'typebox'
import type { Static } from 'typebox'
import { Id, Page, PageQuery, Timestamp } from './common.js'

const Year = Type.Integer({ minimum: 1800, maximum: 2200 })

export const SearchFilters = Type.Object(
  {
    genre: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'Genre name, compared case-insensitively' })
    ),
    year_from: Type.Optional({ ...Year, description: 'Earliest year, inclusive; must not be after year_to' }),
    year_to: Type.Optional({ ...Year, description: 'Latest year, inclusive' })
  },
  { additionalProperties: false }
)
export type SearchFiltersValue = Static<typeof SearchFilters>

const SearchText = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: '\\S',
  description:
    'Words of a title, typos and unfinished words allowed. Lucene syntax has no effect: ' +
    'a query with no letters or digits finds nothing.'
})
const SearchLimit = Type.Integer({ minimum: 1, maximum: 100, default: 20 })

export const SearchBody = Type.Object(
  {
    query: SearchText,
    user_id: Type.Optional(Id),
    filters: Type.Optional(SearchFilters),
    limit: Type.Optional(SearchLimit)
  },
  { additionalProperties: false }
)
export type SearchBodyValue = Static<typeof SearchBody>

export const SearchResult = Type.Object({
  movie_id: Id,
  title: Type.Union([Type.String(), Type.Null()]),
  year: Type.Union([Type.Integer(), Type.Null()]),
  score: Type.Number({ description: 'Full-text relevance' }),
  rank: Type.Integer({ minimum: 1 })
})
export type SearchResultValue = Static<typeof SearchResult>

/** The same search as a read: nothing is recorded, so it needs no write access. */
export const MovieSearchQuery = Type.Object(
  {
    q: SearchText,
    ...SearchFilters.properties,
    limit: Type.Optional(SearchLimit)
  },
  { additionalProperties: false }
)
export type MovieSearchQueryValue = Static<typeof MovieSearchQuery>

export const MovieSearchResults = Type.Object({
  query: Type.String(),
  filters: SearchFilters,
  results: Type.Array(SearchResult, { description: 'By relevance, then popularity' })
})
export type MovieSearchResultsValue = Static<typeof MovieSearchResults>

export const SearchCreated = Type.Object({
  search_id: Id,
  query: Type.String(),
  normalized_query: Type.String(),
  filters: SearchFilters,
  searched_at: Timestamp,
  results: Type.Array(SearchResult, { description: 'By relevance, then popularity' }),
  result_count: Type.Integer({ minimum: 0, description: 'How many results were returned' })
})
export type SearchCreatedValue = Static<typeof SearchCreated>

export const SearchIdParams = Type.Object({ search_id: Id })

export const SelectionBody = Type.Object({ movie_id: Id }, { additionalProperties: false })

export const SearchHistoryItem = Type.Object({
  search_id: Id,
  query: Type.String(),
  normalized_query: Type.String(),
  filters: SearchFilters,
  searched_at: Timestamp,
  result_count: Type.Integer({ minimum: 0 }),
  returned_movie_ids: Type.Array(Type.String(), { description: 'Kept even after a movie is deleted' }),
  selected_movie_ids: Type.Array(Type.String())
})
export type SearchHistoryItemValue = Static<typeof SearchHistoryItem>

export const SearchHistoryPage = Page(SearchHistoryItem)
export type SearchHistoryPageValue = Static<typeof SearchHistoryPage>

export const SearchPageQuery = Type.Object(PageQuery, { additionalProperties: false })
export type SearchPageQueryValue = Static<typeof SearchPageQuery>

export const TRENDING_WINDOWS = ['1h', '24h', '7d', '30d'] as const
export const TrendingWindow = Type.Union(
  TRENDING_WINDOWS.map((w) => Type.Literal(w)),
  { default: '24h' }
)
export type TrendingWindowValue = Static<typeof TrendingWindow>

export const TrendingQuery = Type.Object(
  {
    window: TrendingWindow,
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 10 }),
    prefix: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'Only queries whose normalized form starts with this (normalized the same way)'
      })
    )
  },
  { additionalProperties: false }
)
export type TrendingQueryValue = Static<typeof TrendingQuery>

export const TrendingItem = Type.Object({
  query: Type.String({ description: 'Normalized query' }),
  count: Type.Integer({ minimum: 1 }),
  zero_result_count: Type.Integer({ minimum: 0, description: 'Of those, how many returned nothing' }),
  last_searched_at: Timestamp
})

export const Trending = Type.Object({
  window: TrendingWindow,
  since: Timestamp,
  searches: Type.Integer({ minimum: 0, description: 'All searches in the window' }),
  zero_result_searches: Type.Integer({
    minimum: 0,
    description: 'Searches in the window that returned nothing'
  }),
  items: Type.Array(TrendingItem, { description: 'Most frequent first' })
})
export type TrendingValue = Static<typeof Trending>
