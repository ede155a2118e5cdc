/**
 * Owns the one Neo4j driver of the process: created from config, connectivity verified at
 * start, closed when the app closes. Everything else reaches the graph through `app.db`. When
 * the service runs the embedded Neo4j, the supervisor's view of it is here too, for /ready.
 */
import fp from 'fastify-plugin'
import { Database } from '../../db/database.js'
import type { DatabaseOptions } from '../../db/database.js'
import type { Neo4jSupervisorView } from '../../neo4j-local/supervisor.js'

declare module 'fastify' {
  interface FastifyInstance {
    db: Database
    /** Null unless this process launched the Neo4j it uses and restarts it when it dies. */
    neo4jSupervisor: Neo4jSupervisorView | null
  }
}

export interface Neo4jPluginOptions {
  database: DatabaseOptions
  /** Fail start-up when Neo4j does not answer (the default); tests of outages turn it off. */
  verifyOnStart?: boolean
  supervisor?: Neo4jSupervisorView
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
    app.decorate('neo4jSupervisor', opts.supervisor ?? null)
    app.addHook('onClose', async () => {
      await db.close()
    })
  },
  { name: 'neo4j' }
)
