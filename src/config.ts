/**
 * Configuration from the environment, described by one TypeBox schema: defaults, types and
 * bounds live here, and a bad value stops the process with one clear line.
 */
import { Type } from 'typebox'
import type { Static } from 'typebox'
import { Value } from 'typebox/value'

const Size = Type.String({ pattern: '^[0-9]+[kmg]$' })

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
  BODY_LIMIT_BYTES: Type.Integer({ default: 1_048_576, minimum: 1024, maximum: 64 * 1_048_576 })
})

export type Config = Static<typeof ConfigSchema>

export class ConfigError extends Error {}

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
    const shown = key in raw && !key.includes('PASSWORD') ? ` (got ${JSON.stringify(raw[key])})` : ''
    throw new ConfigError(`Invalid ${key}${shown}: ${first?.message ?? 'invalid value'}`)
  }
  const config = converted as Config
  if (config.NEO4J_URI && !config.NEO4J_PASSWORD) {
    throw new ConfigError('NEO4J_PASSWORD is required when NEO4J_URI is set')
  }
  return config
}
