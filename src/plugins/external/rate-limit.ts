/**
 * Requests per window per API key (a valid key presented), else per client address. The auth
 * plugin identifies the key in an earlier hook; the limiter's own hook runs on each route after
 * it. The counters live in this process unless `store` says otherwise: with several instances
 * behind a load balancer, pass `@fastify/rate-limit`'s `redis` option so they share one count
 * (docs/SCALING.md).
 */
import fp from 'fastify-plugin'
import rateLimit from '@fastify/rate-limit'
import type { RateLimitPluginOptions } from '@fastify/rate-limit'
import type { FastifyRequest } from 'fastify'
import { RateLimitedError } from '../../errors.js'

export type RateLimitStore = Pick<RateLimitPluginOptions, 'redis' | 'nameSpace' | 'store' | 'skipOnError'>

export interface RateLimitOptions {
  max: number
  windowMs: number
  store?: RateLimitStore
}

/** Load-balancer probes share the balancer's address with every client behind it when no proxy is trusted. */
export const UNLIMITED_ROUTES = new Set(['/health', '/ready'])

export function rateLimitKey(request: FastifyRequest): string {
  return request.apiKey ? `key:${request.apiKey.id}` : `ip:${request.ip}`
}

export default fp<RateLimitOptions>(
  async (app, opts) => {
    await app.register(rateLimit, {
      ...opts.store,
      global: true,
      hook: 'onRequest',
      max: opts.max,
      timeWindow: opts.windowMs,
      keyGenerator: rateLimitKey,
      allowList: (request) => UNLIMITED_ROUTES.has(request.routeOptions.url ?? ''),
      errorResponseBuilder: (_request, context) =>
        new RateLimitedError({ limit: context.max, window_ms: opts.windowMs })
    })
  },
  { name: 'rate-limit', dependencies: ['auth'] }
)
