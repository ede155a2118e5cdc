/**
 * Configuration from the environment, described by one TypeBox schema: defaults, types and
 * bounds live here, and a bad value stops the process with one clear line. This is the only
 * module that reads process.env; everything else gets the loaded Config (the app as
 * `app.config`).
 *
 * Graph-read settings:
 *
 * | variable                               | default | meaning                                                      |
 * | -------------------------------------- | ------- | ------------------------------------------------------------ |
 * | SIMILAR_WEIGHT_EDGE                    | 0.15    | weight of an explicit (editorial/tmdb) SIMILAR_TO edge score |
 * | SIMILAR_WEIGHT_GENRE                   | 0.05    | weight of the Jaccard index of the genre sets                |
 * | SIMILAR_WEIGHT_CORATING                | 0.6     | weight of the co-rating part (both liked)                    |
 * | SIMILAR_WEIGHT_FRANCHISE               | 0.15    | weight of franchise links (1 direct, 0.5 two hops away)      |
 * | SIMILAR_WEIGHT_SENTIMENT               | 0.05    | weight of review sentiment closeness (both need reviews)     |
 * | HIGH_RATING_THRESHOLD                  | 7       | a score at or above this (0..10) means "liked"               |
 * | SIMILAR_MAX_CORATERS                   | 200     | a movie's most recent fans expanded for co-ratings           |
 * | SIMILAR_MAX_RATINGS_PER_CORATER        | 50      | high ratings expanded per fan (the first found)              |
 * | SIMILAR_MAX_PER_GENRE                  | 30      | most popular genre-mates taken per genre                     |
 * | SIMILAR_MAX_LINKS                      | 100     | explicit edges and franchise neighbours taken per movie      |
 * | SIMILAR_CORATING_SHRINK                | 50      | co-likes at which the co-rating cosine counts half           |
 * | SIMILAR_CANDIDATES                     | 100     | best co-liked candidates the rebuild scores per movie        |
 * | SIMILAR_MAX_LIKES_PER_USER             | 1000    | each user's most recent likes the rebuild counts             |
 * | RECOMMEND_WEIGHT_COLLABORATIVE         | 0.5     | weight of "users who agree with you liked it"                |
 * | RECOMMEND_WEIGHT_GENRE                 | 0.2     | weight of the user's genre profile                           |
 * | RECOMMEND_WEIGHT_SIMILAR               | 0.3     | weight of the similar lists of movies the user liked         |
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
 * | SIMILARITY_BATCH_SIZE                  | 1000    | default --batch-size of `cinegraph similarity rebuild`       |
 * | SIMILARITY_TX_TIMEOUT_MS               | 600000  | timeout of the rebuild's catalogue-loading transactions      |
 */
import { Type } from 'typebox'
import type { Static } from 'typebox'
import { Value } from 'typebox/value'

const Size = Type.String({ pattern: '^[0-9]+[kmg]$' })
const API_KEY_ENTRY = '[0-9a-fA-F]{64}:(read|write)'
const ORIGIN = 'https?://[^\\s,/]+'

const Weight = (value: number) => Type.Number({ default: value, minimum: 0, maximum: 100 })
const Cap = (value: number, maximum = 10_000) => Type.Integer({ default: value, minimum: 1, maximum })

export const ConfigSchema = Type.Object({
  HOST: Type.String({ default: '127.0.0.1', minLength: 1 }),
  PORT: Type.Integer({ default: 3000, minimum: 0, maximum: 65535 }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' }
  ),
  /** An existing Neo4j (bolt://, neo4j://, +s/+ssc variants). Unset: the embedded local server. */
  NEO4J_URI: Type.Optional(Type.String({ pattern: '^(bolt|neo4j)(\\+s|\\+ssc)?://.+' })),
  NEO4J_USER: Type.String({ default: 'neo4j', minLength: 1 }),
  NEO4J_PASSWORD: Type.Optional(Type.String({ minLength: 8 })),
  NEO4J_DATABASE: Type.String({ default: 'neo4j', minLength: 1 }),
  NEO4J_TX_TIMEOUT_MS: Type.Integer({ default: 15_000, minimum: 100, maximum: 600_000 }),
  NEO4J_CONNECTION_TIMEOUT_MS: Type.Integer({ default: 5_000, minimum: 100, maximum: 120_000 }),
  NEO4J_LOCAL_HOME: Type.String({ default: '.neo4j/default', minLength: 1 }),
  NEO4J_BOLT_PORT: Type.Integer({ default: 7687, minimum: 1, maximum: 65535 }),
  NEO4J_HTTP_PORT: Type.Integer({ default: 7474, minimum: 1, maximum: 65535 }),
  NEO4J_HEAP: { ...Size, default: '2g' },
  NEO4J_PAGECACHE: { ...Size, default: '2g' },
  /** The embedded server is restarted when it dies: attempts in a row before giving up (0: never). */
  NEO4J_RESTART_ATTEMPTS: Type.Integer({ default: 5, minimum: 0, maximum: 1000 }),
  /** Pause before the first restart; it doubles with each failed attempt, up to 30 s. */
  NEO4J_RESTART_DELAY_MS: Type.Integer({ default: 1_000, minimum: 10, maximum: 600_000 }),
  /** A restarted server that stays up this long gets the full number of attempts again. */
  NEO4J_RESTART_STABLE_MS: Type.Integer({ default: 60_000, minimum: 1_000, maximum: 86_400_000 }),
  /** /ready answers within this, whatever Neo4j does (a load balancer's probe waits ~2 s). */
  READY_TIMEOUT_MS: Type.Integer({ default: 1_500, minimum: 100, maximum: 60_000 }),
  MIGRATE_ON_START: Type.Boolean({ default: true }),
  /** The embedded default loads the demo dataset into an empty graph, so it starts explorable. */
  SEED_DEMO_WHEN_EMPTY: Type.Boolean({ default: true }),
  BODY_LIMIT_BYTES: Type.Integer({ default: 1_048_576, minimum: 1024, maximum: 64 * 1_048_576 }),
  /** In-flight requests get this long to finish after SIGTERM; Docker kills after 10 s by default. */
  SHUTDOWN_GRACE_MS: Type.Integer({ default: 10_000, minimum: 100, maximum: 600_000 }),

  /** Hashes only: the plain keys never reach the service (`cinegraph keys new` makes a pair). */
  API_KEYS: Type.String({
    default: '',
    pattern: `^\\s*(${API_KEY_ENTRY}(\\s*,\\s*${API_KEY_ENTRY})*\\s*)?$`,
    description: 'a comma-separated list of <sha256-hex-of-key>:<read|write>'
  }),
  READS_REQUIRE_KEY: Type.Boolean({ default: false }),
  /** Requests per window per API key, or per client address for requests without one. */
  RATE_LIMIT_MAX: Type.Integer({ default: 1_000, minimum: 1, maximum: 1_000_000_000 }),
  RATE_LIMIT_WINDOW_MS: Type.Integer({ default: 60_000, minimum: 1_000, maximum: 86_400_000 }),
  /** Load shedding: 503 OVERLOADED past either threshold; 0 turns a check off. */
  PRESSURE_MAX_EVENT_LOOP_DELAY_MS: Type.Integer({ default: 1_000, minimum: 0, maximum: 60_000 }),
  /** A fraction of V8's heap limit, so the same value fits any --max-old-space-size. */
  PRESSURE_MAX_HEAP_RATIO: Type.Number({ default: 0.9, minimum: 0, maximum: 1 }),
  /** Unset: no CORS headers at all (same-origin and server-to-server clients only). */
  CORS_ORIGINS: Type.Optional(
    Type.String({
      pattern: `^\\s*(\\*|${ORIGIN}(\\s*,\\s*${ORIGIN})*)\\s*$`,
      description: '* or a comma-separated list of origins such as https://app.example.com'
    })
  ),
  /** Behind a load balancer: `true`, a hop count, or the proxies' addresses/CIDRs (comma-separated). */
  TRUST_PROXY: Type.String({
    default: 'false',
    pattern: '^(true|false|[0-9]{1,2}|[0-9a-fA-F.:/]+(\\s*,\\s*[0-9a-fA-F.:/]+)*)$',
    description: 'true, false, a hop count, or comma-separated proxy addresses or CIDRs'
  }),
  /** Time to receive a whole request (headers and body); slow senders get 408. */
  HTTP_REQUEST_TIMEOUT_MS: Type.Integer({ default: 30_000, minimum: 1_000, maximum: 600_000 }),
  /** An idle socket is closed after this; longer than any request may take to answer. */
  HTTP_CONNECTION_TIMEOUT_MS: Type.Integer({ default: 120_000, minimum: 1_000, maximum: 3_600_000 }),
  /** Longer than a load balancer's idle timeout (often 60 s), so it never reuses a closing socket. */
  HTTP_KEEP_ALIVE_TIMEOUT_MS: Type.Integer({ default: 72_000, minimum: 1_000, maximum: 3_600_000 }),
  /**
   * Signs the bookmarks handed to clients, so a forged one cannot make Neo4j wait for a
   * transaction that never comes. Unset: a random secret per process; several instances behind
   * one load balancer need the same value.
   */
  BOOKMARK_SECRET: Type.Optional(Type.String({ minLength: 32 })),

  // Similar movies, recommendations and traversals: weights and caps (see the README's table).
  SIMILAR_WEIGHT_EDGE: Weight(0.15),
  SIMILAR_WEIGHT_GENRE: Weight(0.05),
  SIMILAR_WEIGHT_CORATING: Weight(0.6),
  SIMILAR_WEIGHT_FRANCHISE: Weight(0.15),
  SIMILAR_WEIGHT_SENTIMENT: Weight(0.05),
  HIGH_RATING_THRESHOLD: Type.Number({ default: 7, minimum: 0, maximum: 10 }),
  SIMILAR_MAX_CORATERS: Cap(200),
  SIMILAR_MAX_RATINGS_PER_CORATER: Cap(50),
  SIMILAR_MAX_PER_GENRE: Cap(30),
  SIMILAR_MAX_LINKS: Cap(100),
  SIMILAR_CORATING_SHRINK: Type.Number({ default: 50, minimum: 0, maximum: 1000 }),
  SIMILAR_CANDIDATES: Cap(100),
  SIMILAR_MAX_LIKES_PER_USER: Cap(1000, 1_000_000),
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
  SIMILARITY_BATCH_SIZE: Cap(1000, 10_000),
  SIMILARITY_TX_TIMEOUT_MS: Type.Integer({ default: 600_000, minimum: 1_000, maximum: 3_600_000 })
})

export type Config = Static<typeof ConfigSchema>

export class ConfigError extends Error {}

/** Values never echoed in an error: they would end up in logs. */
const SECRET = /PASSWORD|API_KEYS|SECRET/

/** Reads only the keys the schema knows; empty strings count as unset. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, unknown> = {}
  for (const key of Object.keys(ConfigSchema.properties)) {
    const value = env[key]
    if (value !== undefined && value !== '') raw[key] = value
  }
  const converted = Value.Convert(ConfigSchema, Value.Default(ConfigSchema, raw))
  const errors = [...Value.Errors(ConfigSchema, converted)]
  if (errors.length > 0) {
    const first = errors[0]
    const key = first?.instancePath.replace(/^\//, '') || 'configuration'
    const shown = key in raw && !SECRET.test(key) ? ` (got ${JSON.stringify(raw[key])})` : ''
    // A described pattern says what is expected in words, not as a regular expression.
    const description = (ConfigSchema.properties as Record<string, { description?: string }>)[key]
      ?.description
    const message = first?.keyword === 'pattern' && description ? `must be ${description}` : first?.message
    throw new ConfigError(`Invalid ${key}${shown}: ${message ?? 'invalid value'}`)
  }
  const config = converted as Config
  if (config.NEO4J_URI && !config.NEO4J_PASSWORD) {
    throw new ConfigError('NEO4J_PASSWORD is required when NEO4J_URI is set')
  }
  // Scores are normalised by the weights in use, so at least one of each family must count.
  if (SIMILAR_WEIGHTS.every((key) => config[key] === 0)) {
    throw new ConfigError('Invalid SIMILAR_WEIGHT_*: at least one weight must be above 0')
  }
  if (RECOMMEND_WEIGHTS.every((key) => config[key] === 0)) {
    throw new ConfigError('Invalid RECOMMEND_WEIGHT_*: at least one weight must be above 0')
  }
  return config
}

const SIMILAR_WEIGHTS = [
  'SIMILAR_WEIGHT_EDGE',
  'SIMILAR_WEIGHT_GENRE',
  'SIMILAR_WEIGHT_CORATING',
  'SIMILAR_WEIGHT_FRANCHISE',
  'SIMILAR_WEIGHT_SENTIMENT'
] as const
const RECOMMEND_WEIGHTS = [
  'RECOMMEND_WEIGHT_COLLABORATIVE',
  'RECOMMEND_WEIGHT_GENRE',
  'RECOMMEND_WEIGHT_SIMILAR'
] as const

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
  /** co / (co + shrink) scales the co-rating cosine, so few shared fans count for little. */
  coratingShrink: number
  /** Co-liked candidates scored per movie by the rebuild, best co-rating first. */
  candidates: number
  /** Each user's most recent likes counted by the rebuild (Σ likes² is its cost). */
  maxLikesPerUser: number
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
  rebuild: { topK: number; batchSize: number; txTimeoutMs: number }
}

/** The graph-read settings of a configuration, grouped the way the queries take them. */
export function traversalConfig(env: Config): TraversalConfig {
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
      maxLinks: env.SIMILAR_MAX_LINKS,
      coratingShrink: env.SIMILAR_CORATING_SHRINK,
      candidates: env.SIMILAR_CANDIDATES,
      maxLikesPerUser: env.SIMILAR_MAX_LIKES_PER_USER
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
    rebuild: {
      topK: env.SIMILARITY_TOP_K,
      batchSize: env.SIMILARITY_BATCH_SIZE,
      txTimeoutMs: env.SIMILARITY_TX_TIMEOUT_MS
    }
  }
}

/** The defaults, for jobs and tests that score without an environment. */
export const DEFAULT_TRAVERSAL_CONFIG: TraversalConfig = traversalConfig(loadConfig({}))
