/**
 * The explorer page at /explore and its files at /explore/assets/, as `npm run build` writes
 * them into dist/web/explore/ (source in web/explore/). A page, not part of the API: kept out of
 * the OpenAPI document, open without a key (the page sends the key its user gives), and under a
 * content security policy of its own that allows only this origin's scripts, styles and fetches.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyPluginAsync } from 'fastify'
import { NotFoundError } from '../errors.js'
import { EXPLORER_HELMET } from '../plugins/external/helmet.js'
import { PROJECT_ROOT } from '../project-root.js'

export const EXPLORER_DIR = join(PROJECT_ROOT, 'dist', 'web', 'explore')

const exploreRoutes: FastifyPluginAsync = async (app) => {
  await app.register(fastifyStatic, {
    root: join(EXPLORER_DIR, 'assets'),
    prefix: '/explore/assets/',
    index: false,
    // The build writes .br and .gz beside each asset; they are sent to clients that accept them.
    preCompressed: true,
    // Without a build the assets answer 404 like the page; no warning for every app a test builds.
    suppressWarning: true
  })

  app.get('/explore', { schema: { hide: true }, helmet: EXPLORER_HELMET }, async (_request, reply) => {
    if (!existsSync(join(EXPLORER_DIR, 'index.html'))) {
      throw new NotFoundError('The explorer page is not built: run `npm run build`')
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html', EXPLORER_DIR)
  })
}

export default exploreRoutes
