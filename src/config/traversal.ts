/**
 * Weights and bounds of similarity, recommendations and traversals. Tunables come from the
 * environment (one TypeBox schema, like src/config.ts); the request bounds are part of the API
 * contract and therefore constants.
 *
 * Environment variables and their defaults:
 *
 * | variable                               | default | meaning                                                      |
 * | -------------------------------------- | ------- | ------------------------------------------------------------ |
 * | SIMILAR_WEIGHT_EDGE                    | 0.35    | weight of an explicit (editorial/tmdb) SIMILAR_TO edge score |
 * | SIMILAR_WEIGHT_GENRE                   | 0.2     | weight of the Jaccard index of the genre sets                |
 * | SIMILAR_WEIGHT_CORATING                | 0.25    | weight of the co-rating part (both rated highly)             |
 * | SIMILAR_WEIGHT_FRANCHISE               | 0.15    | weight of franchise links (1 direct, 0.5 two hops away)      |
 * | SIMILAR_WEIGHT_SENTIMENT               | 0.05    | weight of review sentiment closeness (both need reviews)     |
 * | HIGH_RATING_THRESHOLD                  | 7       | a score at or above this (0..10) means "liked"               |
 * | SIMILAR_MAX_CORATERS                   | 200     | a movie's most recent fans expanded for co-ratings           |
 * | SIMILAR_MAX_RATINGS_PER_CORATER        | 100     | each fan's most recent high ratings expanded                 |
 * | SIMILAR_MAX_PER_GENRE                  | 100     | most popular genre-mates taken per genre                     |
 * | SIMILAR_MAX_LINKS                      | 100     | explicit edges and franchise neighbours taken per movie      |
 * | RECOMMEND_WEIGHT_COLLABORATIVE         | 0.5     | weight of "users who agree with you liked it"                |
 * | RECOMMEND_WEIGHT_GENRE                 | 0.2     | weight of the user's genre profile                           |
 * | RECOMMEND_WEIGHT_SIMILAR               | 0.3     | weight of SIMILAR_TO edges from movies the user liked        |
 * | RECOMMEND_MAX_LIKED                    | 50      | the user's most recent liked movies used as seeds            |
 * | RECOMMEND_MAX_RATERS_PER_MOVIE         | 50      | most recent fans of each seed considered as neighbours       |
 * | RECOMMEND_MAX_NEIGHBOURS               | 100     | neighbours kept, by number of movies liked in common         |
 * | RECOMMEND_MAX_RATINGS_PER_NEIGHBOUR    | 100     | each neighbour's most recent high ratings expanded           |
 * | RECOMMEND_MAX_PER_GENRE                | 50      | most popular movies taken per liked genre                    |
 * | RECOMMEND_MIN_RATING_COUNT             | 20      | ratings a movie needs before its mean counts (cold start)    |
 * | RECOMMEND_MAX_SEARCHES                 | 50      | a user's most recent searches read for cold-start genres     |
 * | FRANCHISE_MAX_MEMBERS                  | 200     | movies collected into one franchise's main line              |
 * | TRAVERSAL_TX_TIMEOUT_MS                | 5000    | server-side timeout of every traversal transaction           |
 * | SIMILARITY_TOP_K                       | 20      | default --top-k of `cinegraph similarity rebuild`            |
 * | SIMILARITY_BATCH_SIZE                  | 200     | default --batch-size of `cinegraph similarity rebuild`       |
 */
import { Type } from 'typebox'
import type { Static } from 'typebox'
import { Value } from 'typebox/value'
import { ConfigError } from '../config.js'

const Weight = (value: number) => Type.Number({ default: value, minimum: 0, maximum: 100 })
const Cap = (value: number, maximum = 10_000) => Type.Integer({ default: value, minimum: 1, maximum })

export const TraversalEnvSchema = Type.Object({
  SIMILAR_WEIGHT_EDGE: Weight(0.35),
  SIMILAR_WEIGHT_GENRE: Weight(0.2),
  SIMILAR_WEIGHT_CORATING: Weight(0.25),
  SIMILAR_WEIGHT_FRANCHISE: Weight(0.15),
  SIMILAR_WEIGHT_SENTIMENT: Weight(0.05),
  HIGH_RATING_THRESHOLD: Type.Number({ default: 7, minimum: 0, maximum: 10 }),
  SIMILAR_MAX_CORATERS: Cap(200),
  SIMILAR_MAX_RATINGS_PER_CORATER: Cap(100),
  SIMILAR_MAX_PER_GENRE: Cap(100),
  SIMILAR_MAX_LINKS: Cap(100),
  RECOMMEND_WEIGHT_COLLABORATIVE: Weight(0.5),
  RECOMMEND_WEIGHT_GENRE: Weight(0.2),
  RECOMMEND_WEIGHT_SIMILAR: Weight(0.3),
  RECOMMEND_MAX_LIKED: Cap(50),
  RECOMMEND_MAX_RATERS_PER_MOVIE: Cap(50),
  RECOMMEND_MAX_NEIGHBOURS: Cap(100),
  RECOMMEND_MAX_RATINGS_PER_NEIGHBOUR: Cap(100),
  RECOMMEND_MAX_PER_GENRE: Cap(50),
  RECOMMEND_MIN_RATING_COUNT: Type.Integer({ default: 20, minimum: 0, maximum: 1_000_000 }),
  RECOMMEND_MAX_SEARCHES: Cap(50, 1000),
  FRANCHISE_MAX_MEMBERS: Cap(200, 1000),
  TRAVERSAL_TX_TIMEOUT_MS: Type.Integer({ default: 5_000, minimum: 100, maximum: 600_000 }),
  SIMILARITY_TOP_K: Cap(20, 1000),
  SIMILARITY_BATCH_SIZE: Cap(200, 5000)
})
type TraversalEnv = Static<typeof TraversalEnvSchema>

export interface SimilarWeights {
  edge: number
  genre: number
  corating: number
  franchise: number
  sentiment: number
}

export interface SimilarConfig {
  weights: SimilarWeights
  highRating: number
  maxCoraters: number
  maxRatingsPerCorater: number
  maxPerGenre: number
  maxLinks: number
}

export interface RecommendWeights {
  collaborative: number
  genre: number
  similar: number
}

export interface RecommendConfig {
  weights: RecommendWeights
  highRating: number
  maxLiked: number
  maxRatersPerMovie: number
  maxNeighbours: number
  maxRatingsPerNeighbour: number
  maxPerGenre: number
  minRatingCount: number
  maxSearches: number
}

export interface TraversalConfig {
  similar: SimilarConfig
  recommend: RecommendConfig
  franchiseMaxMembers: number
  txTimeoutMs: number
  rebuild: { topK: number; batchSize: number }
}

/** What a request may ask for; beyond these a request is a 400, never a bigger query. */
export const TRAVERSAL_BOUNDS = {
  maxLimit: 100,
  defaultLimit: 20,
  maxRelatedDepth: 3,
  defaultRelatedDepth: 1,
  maxPathDepth: 3,
  defaultPathDepth: 3,
  maxExclude: 100
} as const

function fromEnv(env: TraversalEnv): TraversalConfig {
  return {
    similar: {
      weights: {
        edge: env.SIMILAR_WEIGHT_EDGE,
        genre: env.SIMILAR_WEIGHT_GENRE,
        corating: env.SIMILAR_WEIGHT_CORATING,
        franchise: env.SIMILAR_WEIGHT_FRANCHISE,
        sentiment: env.SIMILAR_WEIGHT_SENTIMENT
      },
      highRating: env.HIGH_RATING_THRESHOLD,
      maxCoraters: env.SIMILAR_MAX_CORATERS,
      maxRatingsPerCorater: env.SIMILAR_MAX_RATINGS_PER_CORATER,
      maxPerGenre: env.SIMILAR_MAX_PER_GENRE,
      maxLinks: env.SIMILAR_MAX_LINKS
    },
    recommend: {
      weights: {
        collaborative: env.RECOMMEND_WEIGHT_COLLABORATIVE,
        genre: env.RECOMMEND_WEIGHT_GENRE,
        similar: env.RECOMMEND_WEIGHT_SIMILAR
      },
      highRating: env.HIGH_RATING_THRESHOLD,
      maxLiked: env.RECOMMEND_MAX_LIKED,
      maxRatersPerMovie: env.RECOMMEND_MAX_RATERS_PER_MOVIE,
      maxNeighbours: env.RECOMMEND_MAX_NEIGHBOURS,
      maxRatingsPerNeighbour: env.RECOMMEND_MAX_RATINGS_PER_NEIGHBOUR,
      maxPerGenre: env.RECOMMEND_MAX_PER_GENRE,
      minRatingCount: env.RECOMMEND_MIN_RATING_COUNT,
      maxSearches: env.RECOMMEND_MAX_SEARCHES
    },
    franchiseMaxMembers: env.FRANCHISE_MAX_MEMBERS,
    txTimeoutMs: env.TRAVERSAL_TX_TIMEOUT_MS,
    rebuild: { topK: env.SIMILARITY_TOP_K, batchSize: env.SIMILARITY_BATCH_SIZE }
  }
}

/** Reads only the keys the schema knows; empty strings count as unset. */
export function loadTraversalConfig(env: NodeJS.ProcessEnv = process.env): TraversalConfig {
  const raw: Record<string, unknown> = {}
  for (const key of Object.keys(TraversalEnvSchema.properties)) {
    const value = env[key]
    if (value !== undefined && value !== '') raw[key] = value
  }
  const converted = Value.Convert(TraversalEnvSchema, Value.Default(TraversalEnvSchema, raw))
  const errors = [...Value.Errors(TraversalEnvSchema, converted)]
  if (errors.length > 0) {
    const first = errors[0]
    const key = first?.instancePath.replace(/^\//, '') || 'traversal configuration'
    const shown = key in raw ? ` (got ${JSON.stringify(raw[key])})` : ''
    throw new ConfigError(`Invalid ${key}${shown}: ${first?.message ?? 'invalid value'}`)
  }
  const config = fromEnv(converted as TraversalEnv)
  // Scores are normalised by the weights in use, so at least one of each family must count.
  if (Object.values(config.similar.weights).every((w) => w === 0)) {
    throw new ConfigError('Invalid SIMILAR_WEIGHT_*: at least one weight must be above 0')
  }
  if (Object.values(config.recommend.weights).every((w) => w === 0)) {
    throw new ConfigError('Invalid RECOMMEND_WEIGHT_*: at least one weight must be above 0')
  }
  return config
}

export const DEFAULT_TRAVERSAL_CONFIG: TraversalConfig = loadTraversalConfig({})
