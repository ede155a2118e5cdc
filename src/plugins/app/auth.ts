/**
 * API keys. Configuration holds only SHA-256 hashes of the keys with a scope each (`write`
 * implies `read`); a presented key is hashed and compared with every configured hash in constant
 * time. Every POST/PUT/PATCH/DELETE needs a write key; reads need a read key only when
 * READS_REQUIRE_KEY is set. Health, readiness and the API documentation are always open.
 *
 * The key is identified in `onRequest` (so the rate limiter can count per key) and the decision
 * is enforced in `preParsing`, after the limiter: a client guessing keys is throttled like any
 * other, and a refused request's body is never read.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import fp from 'fastify-plugin'
import type { FastifyRequest } from 'fastify'
import { ForbiddenError, UnauthorizedError } from '../../errors.js'

export type ApiKeyScope = 'read' | 'write'

export interface ApiKey {
  hash: Buffer
  scope: ApiKeyScope
  /** A short, non-secret name for logs and rate-limit buckets: the first hex digits of the hash. */
  id: string
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The valid key the request presented, if any. */
    apiKey: ApiKey | null
  }
}

export interface AuthPluginOptions {
  /** `<sha256-hex>:<read|write>` entries, comma-separated (the API_KEYS setting). */
  apiKeys: string
  readsRequireKey: boolean
}

const REALM = 'Bearer realm="cinegraph"'
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
/** Far longer than any key `cinegraph keys new` makes; anything longer is not worth hashing. */
const MAX_KEY_LENGTH = 512

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex')
}

/** Parses API_KEYS; throws on the first malformed entry, naming its position but not its value. */
export function parseApiKeys(text: string): ApiKey[] {
  const entries = text
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '')
  return entries.map((entry, i) => {
    const match = /^([0-9a-fA-F]{64}):(read|write)$/.exec(entry)
    if (!match) throw new Error(`API_KEYS entry ${i + 1} is not <sha256-hex-of-key>:<read|write>`)
    const hex = (match[1] as string).toLowerCase()
    return { hash: Buffer.from(hex, 'hex'), scope: match[2] as ApiKeyScope, id: hex.slice(0, 12) }
  })
}

/**
 * The configured key whose hash equals `hash`. Every entry is compared, whatever matched, so
 * the time taken says nothing about which entry (if any) was close.
 */
export function findApiKey(keys: readonly ApiKey[], hash: Buffer): ApiKey | undefined {
  let found: ApiKey | undefined
  for (const key of keys) {
    if (timingSafeEqual(key.hash, hash) && found === undefined) found = key
  }
  return found
}

/** The scope a request to a non-public path needs, or null when it needs none. */
export function requiredScope(method: string, readsRequireKey: boolean): ApiKeyScope | null {
  if (WRITE_METHODS.has(method)) return 'write'
  return readsRequireKey ? 'read' : null
}

/**
 * Open whatever the configuration: probes and the API's own documentation. Takes the matched
 * route's pattern, not the raw URL, so no spelling of a URL reaches another route as public.
 */
export function isPublic(route: string | undefined): boolean {
  if (route === undefined) return false
  return (
    route === '/health' ||
    route === '/ready' ||
    route === '/openapi.json' ||
    route === '/docs' ||
    route.startsWith('/docs/') ||
    // The explorer page and its files: a browser loads them without a key, and the page then
    // sends the key from its key field with every API request.
    route === '/explore' ||
    route.startsWith('/explore/')
  )
}

type Presented = { kind: 'none' } | { kind: 'malformed' } | { kind: 'key'; hash: Buffer }

function presentedKey(request: FastifyRequest): Presented {
  const header = request.headers.authorization
  if (header === undefined) return { kind: 'none' }
  const match = /^Bearer +([\x21-\x7e]+) *$/i.exec(header)
  const key = match?.[1]
  if (!key || key.length > MAX_KEY_LENGTH) return { kind: 'malformed' }
  return { kind: 'key', hash: Buffer.from(hashApiKey(key), 'hex') }
}

export default fp<AuthPluginOptions>(
  async (app, opts) => {
    const keys = parseApiKeys(opts.apiKeys)
    if (!keys.some((k) => k.scope === 'write')) {
      app.log.warn(
        'API_KEYS has no write key: every POST, PUT, PATCH and DELETE is refused with 401 ' +
          '(`cinegraph keys new` makes a key and the hash to configure)'
      )
    }
    if (opts.readsRequireKey && keys.length === 0) {
      app.log.warn('READS_REQUIRE_KEY is set but API_KEYS is empty: every read is refused with 401')
    }
    /** A presented key that is malformed or unknown, refused once the rate limiter has counted it. */
    const failures = new WeakMap<FastifyRequest, UnauthorizedError>()
    const exempt = (request: FastifyRequest): boolean =>
      request.method === 'OPTIONS' || isPublic(request.routeOptions.url)

    app.decorateRequest('apiKey', null)

    app.addHook('onRequest', async (request) => {
      if (exempt(request)) return
      const presented = presentedKey(request)
      if (presented.kind === 'malformed') {
        failures.set(
          request,
          new UnauthorizedError(
            'The Authorization header must be "Bearer <key>"',
            `${REALM}, error="invalid_request"`
          )
        )
      } else if (presented.kind === 'key') {
        const key = findApiKey(keys, presented.hash)
        if (key) request.apiKey = key
        else
          failures.set(
            request,
            new UnauthorizedError('The API key is not valid', `${REALM}, error="invalid_token"`)
          )
      }
    })

    app.addHook('preParsing', async (request) => {
      if (exempt(request)) return
      const failure = failures.get(request)
      if (failure) throw failure
      const needed = requiredScope(request.method, opts.readsRequireKey)
      if (needed === null) return
      const key = request.apiKey
      if (!key) {
        throw new UnauthorizedError(
          `${needed === 'write' ? 'Writes' : 'Reads'} need an API key: send "Authorization: Bearer <key>"`,
          REALM
        )
      }
      if (needed === 'write' && key.scope !== 'write') {
        throw new ForbiddenError(
          'This API key may only read',
          `${REALM}, error="insufficient_scope", scope="write"`,
          {
            required_scope: 'write'
          }
        )
      }
    })
  },
  { name: 'auth' }
)
