/**
 * Recommendations for a user. A user who rated something highly gets personal recommendations
 * (collaborative and content parts), padded with popular movies when there are too few. A user
 * with no high rating — including a user_id never seen, which is simply a user without history —
 * gets the cold start: well-rated, then popular movies of the genres they searched for, then of
 * the whole catalogue. Nothing the user rated is ever recommended.
 */
import type { ManagedTransaction } from 'neo4j-driver'
import { int } from '../../db/convert.js'
import { rows } from '../../db/database.js'
import type { Database } from '../../db/database.js'
import type { RecommendConfig, TraversalConfig } from '../../config.js'
import type { MovieRef } from '../../schemas/common.js'
import type {
  RecommendationItem,
  RecommendationQuery,
  RecommendationReason,
  RecommendationResponse
} from '../../schemas/recommendations.js'
import {
  PERSONAL_RECOMMENDATIONS,
  POPULAR_IN_GENRES,
  POPULAR_OVERALL,
  SEARCH_SIGNALS,
  USER_RATING_SIGNALS,
  WELL_RATED_OVERALL
} from './queries.js'

/** Searched genres beyond this many say little more about a user who has rated nothing. */
const MAX_SEARCHED_GENRES = 5
/** How much one search says about a genre: a filter is explicit, a selection is a choice. */
const GENRE_SIGNAL_WEIGHT = { filter: 3, selected: 2, returned: 1 } as const

interface PersonalRow {
  movie: MovieRef
  score: number
  parts: { collaborative: number | null; genre: number | null; similar: number | null }
  fans: number
  genres: string[]
  via: MovieRef | null
}

interface CatalogueRow {
  movie: MovieRef & { rating_mean: number | null; rating_count: number | null; popularity: number | null }
  genres: string[]
}

interface SearchSignalRow {
  filters: string | null
  selected_genres: string[]
  returned_genres: string[]
}

function round(value: number): number {
  return Math.min(1, Math.max(0, Math.round(value * 1e6) / 1e6))
}

function ref(movie: MovieRef): MovieRef {
  return { movie_id: movie.movie_id, title: movie.title, year: movie.year }
}

function personalItem(row: PersonalRow): RecommendationItem {
  const reasons: RecommendationReason[] = []
  if (row.fans > 0) {
    reasons.push({
      kind: 'similar_users',
      count: row.fans,
      message: `Liked by ${row.fans} ${row.fans === 1 ? 'user' : 'users'} who like what you like`
    })
  }
  if (row.genres.length > 0) {
    const genres = [...row.genres].sort()
    reasons.push({ kind: 'genre', genres, message: `In ${genres.join(', ')}, which you rate highly` })
  }
  if (row.via) {
    reasons.push({
      kind: 'similar_movie',
      movie: ref(row.via),
      message: `Similar to ${row.via.title ?? row.via.movie_id}, which you rated highly`
    })
  }
  return { ...ref(row.movie), score: round(row.score), reasons }
}

/** The genres a user's searches point at, strongest first, lower-cased as search filters compare. */
export function searchedGenres(signals: readonly SearchSignalRow[]): string[] {
  const weight = new Map<string, number>()
  const add = (name: unknown, w: number) => {
    if (typeof name !== 'string' || name.trim() === '') return
    const key = name.trim().toLowerCase()
    weight.set(key, (weight.get(key) ?? 0) + w)
  }
  for (const s of signals) {
    if (s.filters !== null) {
      try {
        const parsed: unknown = JSON.parse(s.filters)
        if (parsed !== null && typeof parsed === 'object') {
          add((parsed as { genre?: unknown }).genre, GENRE_SIGNAL_WEIGHT.filter)
        }
      } catch {
        // An unreadable filter says nothing about genres.
      }
    }
    for (const g of s.selected_genres) add(g, GENRE_SIGNAL_WEIGHT.selected)
    for (const g of s.returned_genres) add(g, GENRE_SIGNAL_WEIGHT.returned)
  }
  return [...weight.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, MAX_SEARCHED_GENRES)
    .map(([name]) => name)
}

function wellRated(row: CatalogueRow, config: RecommendConfig): boolean {
  return (
    row.movie.rating_mean !== null &&
    (row.movie.rating_count ?? 0) >= config.minRatingCount &&
    (row.movie.rating_count ?? 0) > 0
  )
}

/** Well rated (enough ratings) first, by mean; then by popularity. */
function byCatalogueRank(config: RecommendConfig) {
  return (a: CatalogueRow, b: CatalogueRow): number => {
    const wa = wellRated(a, config)
    const wb = wellRated(b, config)
    if (wa !== wb) return wa ? -1 : 1
    if (wa && a.movie.rating_mean !== b.movie.rating_mean) {
      return (b.movie.rating_mean ?? 0) - (a.movie.rating_mean ?? 0)
    }
    const pa = a.movie.popularity ?? 0
    const pb = b.movie.popularity ?? 0
    if (pa !== pb) return pb - pa
    return a.movie.movie_id < b.movie.movie_id ? -1 : 1
  }
}

/** A popular item's score is its mean rating on 0..1 when that mean counts, else 0. */
function popularItem(row: CatalogueRow, config: RecommendConfig): RecommendationItem {
  const good = wellRated(row, config)
  const genres = [...row.genres].sort()
  const where =
    genres.length > 0
      ? ` in ${genres.join(', ')}, ${genres.length === 1 ? 'a genre' : 'genres'} you searched for`
      : ' overall'
  const reason: RecommendationReason = {
    kind: 'popular',
    message: `${good ? 'Well rated' : 'Popular'}${where}`,
    ...(genres.length > 0 ? { genres } : {})
  }
  return {
    ...ref(row.movie),
    score: good ? round((row.movie.rating_mean ?? 0) / 10) : 0,
    reasons: [reason]
  }
}

async function coldStart(
  tx: ManagedTransaction,
  userId: string,
  exclude: string[],
  need: number,
  config: RecommendConfig
): Promise<RecommendationItem[]> {
  const out: RecommendationItem[] = []
  const seen = new Set(exclude)
  const take = (found: CatalogueRow[]) => {
    for (const row of found) {
      if (out.length >= need) return
      if (seen.has(row.movie.movie_id)) continue
      seen.add(row.movie.movie_id)
      out.push(popularItem(row, config))
    }
  }
  const params = () => ({
    exclude: [...seen],
    limit: int(need),
    min_rating_count: int(config.minRatingCount)
  })

  const signals = rows<SearchSignalRow>(
    await tx.run(SEARCH_SIGNALS, { user_id: userId, max_searches: int(config.maxSearches) })
  )
  const genres = searchedGenres(signals)
  if (genres.length > 0) {
    take(
      rows<CatalogueRow>(await tx.run(POPULAR_IN_GENRES, { ...params(), genres })).sort(
        byCatalogueRank(config)
      )
    )
  }
  if (out.length < need) take(rows<CatalogueRow>(await tx.run(WELL_RATED_OVERALL, params())))
  if (out.length < need) take(rows<CatalogueRow>(await tx.run(POPULAR_OVERALL, params())))
  return out
}

export async function recommendForUser(
  db: Database,
  userId: string,
  query: RecommendationQuery,
  config: TraversalConfig
): Promise<RecommendationResponse> {
  const rc = config.recommend
  return db.read(
    async (tx) => {
      const [signals] = rows<{ rated: string[]; liked: number }>(
        await tx.run(USER_RATING_SIGNALS, { user_id: userId, high_rating: rc.highRating })
      )
      const rated = signals?.rated ?? []
      const personal = (signals?.liked ?? 0) > 0
      const items: RecommendationItem[] = []
      if (personal) {
        const found = rows<PersonalRow>(
          await tx.run(PERSONAL_RECOMMENDATIONS, {
            user_id: userId,
            limit: int(query.limit),
            weights: rc.weights,
            high_rating: rc.highRating,
            max_liked: int(rc.maxLiked),
            max_raters_per_movie: int(rc.maxRatersPerMovie),
            max_neighbours: int(rc.maxNeighbours),
            max_ratings_per_neighbour: int(rc.maxRatingsPerNeighbour),
            max_per_genre: int(rc.maxPerGenre)
          })
        )
        items.push(...found.map(personalItem))
      }
      if (items.length < query.limit) {
        const exclude = [...rated, ...items.map((i) => i.movie_id)]
        items.push(...(await coldStart(tx, userId, exclude, query.limit - items.length, rc)))
      }
      return { user_id: userId, strategy: personal ? 'personal' : 'cold_start', items }
    },
    { timeoutMs: config.txTimeoutMs }
  )
}
