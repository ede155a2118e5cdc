/**
 * Cross-origin access for browser clients on the configured origins. Keys travel in the
 * Authorization header, never in cookies, so credentials stay off.
 */
import fp from 'fastify-plugin'
import cors from '@fastify/cors'
import { BOOKMARK_HEADER } from '../app/bookmarks.js'

export interface CorsOptions {
  /** `*` or a comma-separated list of origins. */
  origins: string
}

export function parseOrigins(text: string): '*' | string[] {
  const origins = text
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '')
  return origins.includes('*') ? '*' : origins
}

export default fp<CorsOptions>(
  async (app, opts) => {
    await app.register(cors, {
      origin: parseOrigins(opts.origins),
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type', 'x-request-id', BOOKMARK_HEADER],
      exposedHeaders: [
        'x-request-id',
        BOOKMARK_HEADER,
        'retry-after',
        'x-ratelimit-limit',
        'x-ratelimit-remaining',
        'x-ratelimit-reset'
      ],
      credentials: false,
      maxAge: 600
    })
  },
  { name: 'cors' }
)
