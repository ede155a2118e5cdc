import { describe, expect, it } from 'vitest'
import { trustProxyFrom } from '../../src/app.js'
import { ConfigError, DEFAULT_TRAVERSAL_CONFIG, loadConfig, traversalConfig } from '../../src/config.js'

describe('loadConfig', () => {
  it('fills defaults for an empty environment (the embedded Neo4j)', () => {
    const c = loadConfig({})
    expect(c.PORT).toBe(3000)
    expect(c.NEO4J_URI).toBeUndefined()
    expect(c.NEO4J_BOLT_PORT).toBe(7687)
    expect(c.NEO4J_HTTP_PORT).toBe(7474)
    expect(c.MIGRATE_ON_START).toBe(true)
  })

  it('converts numbers and booleans from strings, treating empty strings as unset', () => {
    const c = loadConfig({ PORT: '8080', MIGRATE_ON_START: 'false', NEO4J_URI: '' })
    expect(c.PORT).toBe(8080)
    expect(c.MIGRATE_ON_START).toBe(false)
    expect(c.NEO4J_URI).toBeUndefined()
  })

  it('accepts routing and encrypted URIs', () => {
    for (const uri of [
      'neo4j://db:7687',
      'neo4j+s://x.databases.neo4j.io',
      'bolt+ssc://h:7687',
      'bolt://h'
    ]) {
      expect(loadConfig({ NEO4J_URI: uri, NEO4J_PASSWORD: 'long-enough' }).NEO4J_URI).toBe(uri)
    }
  })

  it.each([
    [{ PORT: 'abc' }, /^Invalid PORT \(got "abc"\)/],
    [{ PORT: '70000' }, /^Invalid PORT/],
    [{ NEO4J_URI: 'http://localhost:7474', NEO4J_PASSWORD: 'long-enough' }, /^Invalid NEO4J_URI/],
    [{ NEO4J_HEAP: '2GB' }, /^Invalid NEO4J_HEAP/],
    [{ NEO4J_URI: 'bolt://h' }, /NEO4J_PASSWORD is required when NEO4J_URI is set/]
  ])('rejects %o with one clear line', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError)
    expect(() => loadConfig(env)).toThrow(message)
  })

  it('defaults access control, limits and HTTP timeouts to safe values', () => {
    const c = loadConfig({})
    expect(c.API_KEYS).toBe('')
    expect(c.READS_REQUIRE_KEY).toBe(false)
    expect(c.RATE_LIMIT_MAX).toBe(1000)
    expect(c.RATE_LIMIT_WINDOW_MS).toBe(60_000)
    expect(c.PRESSURE_MAX_EVENT_LOOP_DELAY_MS).toBe(1000)
    expect(c.PRESSURE_MAX_HEAP_RATIO).toBe(0.9)
    expect(c.CORS_ORIGINS).toBeUndefined()
    expect(c.TRUST_PROXY).toBe('false')
    expect(c.HTTP_REQUEST_TIMEOUT_MS).toBe(30_000)
    expect(c.HTTP_CONNECTION_TIMEOUT_MS).toBe(120_000)
    expect(c.HTTP_KEEP_ALIVE_TIMEOUT_MS).toBe(72_000)
    expect(c.BOOKMARK_SECRET).toBeUndefined()
  })

  it('reads access control, limits, CORS and proxy settings', () => {
    const c = loadConfig({
      READS_REQUIRE_KEY: 'true',
      RATE_LIMIT_MAX: '10000000',
      RATE_LIMIT_WINDOW_MS: '1000',
      PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0',
      PRESSURE_MAX_HEAP_RATIO: '0.75',
      CORS_ORIGINS: 'https://a.example.com, http://localhost:5173',
      TRUST_PROXY: '10.0.0.0/8, 192.168.1.1'
    })
    expect(c.READS_REQUIRE_KEY).toBe(true)
    expect(c.RATE_LIMIT_MAX).toBe(10_000_000)
    expect(c.PRESSURE_MAX_EVENT_LOOP_DELAY_MS).toBe(0)
    expect(c.PRESSURE_MAX_HEAP_RATIO).toBe(0.75)
    expect(loadConfig({ CORS_ORIGINS: '*' }).CORS_ORIGINS).toBe('*')
    for (const value of ['true', '2', '::1', '10.0.0.1'])
      expect(loadConfig({ TRUST_PROXY: value }).TRUST_PROXY).toBe(value)
  })

  it.each([
    [{ RATE_LIMIT_MAX: '0' }, /^Invalid RATE_LIMIT_MAX/],
    [{ RATE_LIMIT_WINDOW_MS: '10' }, /^Invalid RATE_LIMIT_WINDOW_MS/],
    [{ PRESSURE_MAX_HEAP_RATIO: '1.5' }, /^Invalid PRESSURE_MAX_HEAP_RATIO/],
    [{ PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '-1' }, /^Invalid PRESSURE_MAX_EVENT_LOOP_DELAY_MS/],
    [{ READS_REQUIRE_KEY: 'maybe' }, /^Invalid READS_REQUIRE_KEY/],
    [
      { CORS_ORIGINS: 'app.example.com' },
      'Invalid CORS_ORIGINS (got "app.example.com"): must be * or a comma-separated list of origins such as https://app.example.com'
    ],
    [{ CORS_ORIGINS: 'https://a.example.com/path' }, /^Invalid CORS_ORIGINS/],
    [{ TRUST_PROXY: 'yes please' }, /^Invalid TRUST_PROXY/],
    [{ HTTP_REQUEST_TIMEOUT_MS: '10' }, /^Invalid HTTP_REQUEST_TIMEOUT_MS/],
    [{ HTTP_KEEP_ALIVE_TIMEOUT_MS: '0' }, /^Invalid HTTP_KEEP_ALIVE_TIMEOUT_MS/]
  ])('rejects %o', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError)
    expect(() => loadConfig(env)).toThrow(message)
  })

  it('never echoes API keys or the bookmark secret back in its error', () => {
    const hash = 'ab'.repeat(32)
    for (const [env, key] of [
      [{ API_KEYS: `${hash}:superuser` }, 'API_KEYS'],
      [{ BOOKMARK_SECRET: 'too-short-secret' }, 'BOOKMARK_SECRET']
    ] as const) {
      let message = ''
      try {
        loadConfig(env)
      } catch (err) {
        message = (err as Error).message
      }
      expect(message).toMatch(new RegExp(`^Invalid ${key}:`))
      expect(message).not.toContain(Object.values(env)[0]?.slice(0, 16))
    }
  })

  it('never echoes a password back in its error', () => {
    let message = ''
    try {
      loadConfig({ NEO4J_PASSWORD: 'short' })
    } catch (err) {
      message = (err as Error).message
    }
    expect(message).toMatch(/^Invalid NEO4J_PASSWORD/)
    expect(message).not.toContain('short')
  })
})

describe('trustProxyFrom', () => {
  it('turns TRUST_PROXY into what Fastify takes', () => {
    expect(trustProxyFrom('false')).toBe(false)
    expect(trustProxyFrom('true')).toBe(true)
    expect(trustProxyFrom('10.0.0.0/8, 192.168.1.1')).toBe('10.0.0.0/8, 192.168.1.1')
    const twoHops = trustProxyFrom('2') as (address: string, hop: number) => boolean
    expect([0, 1, 2].map((hop) => twoHops('10.0.0.1', hop))).toEqual([true, true, false])
  })
})

/** The graph-read settings a configuration with these variables gives. */
const graphConfigOf = (env: Record<string, string>) => traversalConfig(loadConfig(env))

describe('graph-read configuration', () => {
  it('has the documented defaults', () => {
    expect(DEFAULT_TRAVERSAL_CONFIG.similar.weights).toEqual({
      edge: 0.15,
      genre: 0.05,
      corating: 0.6,
      franchise: 0.15,
      sentiment: 0.05
    })
    expect(DEFAULT_TRAVERSAL_CONFIG.recommend.weights).toEqual({
      collaborative: 0.5,
      genre: 0.2,
      similar: 0.3
    })
    expect(DEFAULT_TRAVERSAL_CONFIG.similar.highRating).toBe(7)
    expect(DEFAULT_TRAVERSAL_CONFIG.txTimeoutMs).toBe(5000)
    expect(DEFAULT_TRAVERSAL_CONFIG.rebuild).toEqual({ topK: 20, batchSize: 1000, txTimeoutMs: 600_000 })
    expect(DEFAULT_TRAVERSAL_CONFIG.similar).toMatchObject({
      coratingShrink: 50,
      candidates: 100,
      maxLikesPerUser: 1000
    })
  })

  it('reads weights and caps from the environment', () => {
    const config = graphConfigOf({
      SIMILAR_WEIGHT_GENRE: '0.5',
      SIMILAR_MAX_PER_GENRE: '7',
      HIGH_RATING_THRESHOLD: '8',
      RECOMMEND_MIN_RATING_COUNT: ''
    })
    expect(config.similar.weights.genre).toBe(0.5)
    expect(config.similar.maxPerGenre).toBe(7)
    expect(config.similar.highRating).toBe(8)
    expect(config.recommend.highRating).toBe(8)
    expect(config.recommend.minRatingCount).toBe(20)
  })

  it('rejects bad values with one line naming the variable', () => {
    expect(() => graphConfigOf({ SIMILAR_WEIGHT_EDGE: 'heavy' })).toThrow(ConfigError)
    expect(() => graphConfigOf({ SIMILAR_WEIGHT_EDGE: '-1' })).toThrow(/SIMILAR_WEIGHT_EDGE/)
    expect(() => graphConfigOf({ SIMILAR_MAX_CORATERS: '0' })).toThrow(/SIMILAR_MAX_CORATERS/)
  })

  it('needs at least one weight above zero in each family', () => {
    const zero = {
      SIMILAR_WEIGHT_EDGE: '0',
      SIMILAR_WEIGHT_GENRE: '0',
      SIMILAR_WEIGHT_CORATING: '0',
      SIMILAR_WEIGHT_FRANCHISE: '0',
      SIMILAR_WEIGHT_SENTIMENT: '0'
    }
    expect(() => graphConfigOf(zero)).toThrow(/SIMILAR_WEIGHT_/)
    expect(() => graphConfigOf({ ...zero, SIMILAR_WEIGHT_GENRE: '1' })).not.toThrow()
  })
})
