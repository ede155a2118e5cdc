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
import relatedRoutes from './related.js'
import pathRoutes from './paths.js'
import franchiseRoutes from './franchise.js'
import recommendationRoutes from './recommendations.js'
import exploreRoutes from './explore.js'

const routes: FastifyPluginAsync<{ migrations: MigrationFile[] }> = async (app, opts) => {
  await app.register(healthRoutes, { migrations: opts.migrations })
  for (const plugin of [
    movieRoutes,
    genreRoutes,
    reviewRoutes,
    relationshipRoutes,
    ratingRoutes,
    searchRoutes,
    userRoutes,
    similarRoutes,
    relatedRoutes,
    pathRoutes,
    franchiseRoutes,
    recommendationRoutes,
    exploreRoutes
  ]) {
    await app.register(plugin)
  }
}

export default routes
