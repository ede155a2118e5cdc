/**
 * Security headers on every response, a content security policy the Swagger UI at /docs can
 * live with, CORS only when configured, and the HTTP timeouts taken from configuration.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../helpers/app.js'

const ORIGIN = 'https://app.example.com'

const list = (value: unknown): string[] =>
  String(value)
    .split(',')
    .map((v) => v.trim())

function csp(res: LightMyRequestResponse): Map<string, string[]> {
  const header = String(res.headers['content-security-policy'] ?? '')
  return new Map(
    header
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name = '', ...values]) => [name, values])
  )
}

function expectSecurityHeaders(res: LightMyRequestResponse): void {
  expect(res.headers['x-content-type-options']).toBe('nosniff')
  expect(res.headers['x-frame-options']).toBe('DENY')
  expect(res.headers['strict-transport-security']).toMatch(/^max-age=\d+/)
  expect(res.headers['referrer-policy']).toBe('no-referrer')
  expect(res.headers['cross-origin-opener-policy']).toBe('same-origin')
  expect(res.headers['cross-origin-resource-policy']).toBe('same-origin')
  expect(res.headers['x-dns-prefetch-control']).toBe('off')
  expect(res.headers['x-powered-by']).toBeUndefined()
  const policy = csp(res)
  expect(policy.get('default-src')).toEqual(["'self'"])
  expect(policy.get('frame-ancestors')).toEqual(["'none'"])
  expect(policy.get('object-src')).toEqual(["'none'"])
  expect(policy.get('script-src')).toEqual(["'self'"])
  expect(policy.has('upgrade-insecure-requests')).toBe(false)
}

describe('security headers', () => {
  let app: FastifyInstance

  beforeAll(async () => {
    app = await buildTestApp()
  })
  afterAll(async () => {
    await app?.close()
  })

  it('are on successes, client errors and refusals alike', async () => {
    const responses = [
      await app.inject('/health'),
      await app.inject('/genres?limit=1'),
      await app.inject('/movies?limit=abc'),
      await app.inject('/no-such-route'),
      await app.inject({ method: 'POST', url: '/genres', headers: { authorization: undefined }, payload: {} })
    ]
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 400, 404, 401])
    for (const res of responses) expectSecurityHeaders(res)
  })

  it('let the Swagger UI load: only same-origin script files, inline styles allowed', async () => {
    const page = await app.inject('/docs/')
    expect(page.statusCode).toBe(200)
    expect(page.headers['content-type']).toMatch(/^text\/html/)
    expectSecurityHeaders(page)
    expect(csp(page).get('style-src')).toEqual(["'self'", "'unsafe-inline'"])
    expect(csp(page).get('img-src')).toEqual(["'self'", 'data:'])

    const html = page.body
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)]
    expect(scripts.length).toBeGreaterThan(0)
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string)
    for (const [, attributes = '', inline = ''] of scripts) {
      // script-src 'self' without hashes or nonces: an inline script would not run.
      expect(attributes).toMatch(/\bsrc="\.?\/[^"]+"/)
      expect(inline.trim()).toBe('')
    }
    expect(html).not.toMatch(/\son[a-z]+=/i)
    for (const asset of assets) {
      expect(asset.startsWith('./') || asset.startsWith('/')).toBe(true)
      const res = await app.inject(new URL(asset, 'http://localhost/docs/').pathname)
      expect(res.statusCode, asset).toBe(200)
    }
    // The UI reads the document from this origin and calls no outside validator (connect-src 'self').
    const initializer = await app.inject('/docs/static/swagger-initializer.js')
    expect(initializer.statusCode).toBe(200)
    expect(initializer.body).toContain("url: resolveUrl('./json')")
    expect(initializer.body).toContain('validatorUrl: null')
    expect((await app.inject('/docs/json')).statusCode).toBe(200)
  })

  it('send no CORS headers when CORS_ORIGINS is unset', async () => {
    const res = await app.inject({ url: '/genres?limit=1', headers: { origin: ORIGIN } })
    expect(res.statusCode).toBe(200)
    expect(res.headers['access-control-allow-origin']).toBeUndefined()
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/genres',
      headers: { origin: ORIGIN, 'access-control-request-method': 'POST' }
    })
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined()
    expect(preflight.headers['access-control-allow-methods']).toBeUndefined()
  })

  it('take the HTTP timeouts from configuration', async () => {
    const custom = await buildTestApp({
      HTTP_REQUEST_TIMEOUT_MS: '12000',
      HTTP_CONNECTION_TIMEOUT_MS: '34000',
      HTTP_KEEP_ALIVE_TIMEOUT_MS: '56000'
    })
    try {
      expect(custom.initialConfig.connectionTimeout).toBe(34_000)
      expect(custom.initialConfig.keepAliveTimeout).toBe(56_000)
      expect(custom.server.requestTimeout).toBe(12_000)
      expect(custom.server.timeout).toBe(34_000)
      expect(custom.server.keepAliveTimeout).toBe(56_000)
    } finally {
      await custom.close()
    }
    expect(app.server.requestTimeout).toBe(30_000)
    expect(app.server.timeout).toBe(120_000)
    expect(app.server.keepAliveTimeout).toBe(72_000)
  })
})

describe('CORS on', () => {
  let app: FastifyInstance

  beforeAll(async () => {
    app = await buildTestApp({ CORS_ORIGINS: `${ORIGIN}, https://admin.example.com` })
  })
  afterAll(async () => {
    await app?.close()
  })

  it('allows the configured origins and exposes the headers a client needs', async () => {
    const res = await app.inject({ url: '/genres?limit=1', headers: { origin: ORIGIN } })
    expect(res.statusCode).toBe(200)
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN)
    expect(res.headers['access-control-allow-credentials']).toBeUndefined()
    expect(String(res.headers.vary)).toMatch(/origin/i)
    const exposed = list(res.headers['access-control-expose-headers'])
    expect(exposed).toEqual(
      expect.arrayContaining(['x-request-id', 'x-neo4j-bookmark', 'retry-after', 'x-ratelimit-remaining'])
    )
  })

  it('answers preflights without a key, listing methods and headers', async () => {
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/genres',
      headers: {
        authorization: undefined,
        origin: 'https://admin.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type'
      }
    })
    expect(preflight.statusCode).toBe(204)
    expect(preflight.headers['access-control-allow-origin']).toBe('https://admin.example.com')
    expect(list(preflight.headers['access-control-allow-methods'])).toEqual(
      expect.arrayContaining(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'])
    )
    expect(list(preflight.headers['access-control-allow-headers'])).toEqual(
      expect.arrayContaining(['authorization', 'content-type', 'x-neo4j-bookmark'])
    )
    expect(preflight.headers['access-control-max-age']).toBe('600')
  })

  it('gives other origins no CORS headers', async () => {
    const res = await app.inject({ url: '/genres?limit=1', headers: { origin: 'https://evil.example.net' } })
    expect(res.headers['access-control-allow-origin']).toBeUndefined()
  })
})
