/**
 * Configuration from the environment, described by one TypeBox schema: defaults, types and
 * bounds live here, and a bad value stops the process with one clear line.
 */
import { Type } from 'typebox'
import type { Static } from 'typebox'
import { Value } from 'typebox/value'

const Size = Type.String({ pattern: '^[0-9]+[kmg]$' })
const API_KEY_ENTRY = '[0-9a-fA-F]{64}:(read|write)'
const ORIGIN = 'https?://[^\\s,/]+'

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
  BOOKMARK_SECRET: Type.Optional(Type.String({ minLength: 32 }))
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
  return config
}
