/**
 * Owns the one Neo4j driver of the process: created from config, connectivity verified at
 * start, closed when the app closes. Everything else reaches the graph through `app.db`.
 */
import fp from 'fastify-plugin'
import { Database } from '../../db/database.js'
import type { DatabaseOptions } from '../../db/database.js'

declare module 'fastify' {
  interface FastifyInstance {
    db: Database
  }
}

export interface Neo4jPluginOptions {
  database: DatabaseOptions
  /** Fail start-up when Neo4j does not answer (the default); tests of outages turn it off. */
  verifyOnStart?: boolean
}

export default fp<Neo4jPluginOptions>(
  async (app, opts) => {
    const db = new Database(opts.database)
    if (opts.verifyOnStart !== false) {
      try {
        await db.verify()
      } catch (err) {
        await db.close()
        throw err
      }
    }
    app.decorate('db', db)
    app.addHook('onClose', async () => {
      await db.close()
    })
  },
  { name: 'neo4j' }
)
