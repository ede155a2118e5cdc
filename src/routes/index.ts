/** Every route plugin, registered in one place so the route table reads top to bottom. */
import type { FastifyPluginAsync } from 'fastify'
import type { MigrationFile } from '../db/migrate.js'
import healthRoutes from './health.js'
import movieRoutes from './movies.js'
import genreRoutes from './genres.js'
import relationshipRoutes from './relationships.js'

const routes: FastifyPluginAsync<{ migrations: MigrationFile[] }> = async (app, opts) => {
  await app.register(healthRoutes, { migrations: opts.migrations })
  await app.register(movieRoutes)
  await app.register(genreRoutes)
  await app.register(import('./reviews.js'))
  await app.register(relationshipRoutes)
  await app.register(import('./ratings.js'))
  await app.register(import('./searches.js'))
  await app.register(import('./users.js'))
  await app.register(import('./similar.js'))
  await app.register(import('./paths.js'))
  await app.register(import('./recommendations.js'))
}

export default routes
