/** Every route plugin, registered in one place so the route table reads top to bottom. */
import type { FastifyPluginAsync } from 'fastify'
import type { MigrationFile } from '../db/migrate.js'
import healthRoutes from './health.js'
import movieRoutes from './movies.js'
import genreRoutes from './genres.js'
import reviewRoutes from './reviews.js'
import relationshipRoutes from './relationships.js'
import ratingRoutes from './ratings.js'
import searchRoutes from './searches.js'
import userRoutes from './users.js'
import similarRoutes from './similar.js'
import pathRoutes from './paths.js'
import recommendationRoutes from './recommendations.js'

const routes: FastifyPluginAsync<{ migrations: MigrationFile[] }> = async (app, opts) => {
  await app.register(healthRoutes, { migrations: opts.migrations })
  await app.register(movieRoutes)
  await app.register(genreRoutes)
  await app.register(reviewRoutes)
  await app.register(relationshipRoutes)
  await app.register(ratingRoutes)
  await app.register(searchRoutes)
  await app.register(userRoutes)
  await app.register(similarRoutes)
  await app.register(pathRoutes)
  await app.register(recommendationRoutes)
}

export default routes
