/**
 * The loaded configuration on the instance, so every route and plugin reads its settings from
 * what buildApp was given, never from the environment.
 */
import fp from 'fastify-plugin'
import type { Config } from '../../config.js'

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
  }
}

export default fp<{ config: Config }>(
  async (app, opts) => {
    app.decorate('config', opts.config)
  },
  { name: 'config' }
)
