import type { Database } from '../../src/db/database.js'

export type Scale = 'small' | 'full'

export interface BenchContext {
  db: Database
  neo4j: { uri: string; user: string; password: string }
  scale: Scale
  /** A scratch directory removed after the run. */
  workDir: string
  log: (line: string) => void
}

export interface Suite {
  title: string
  /** Returns the suite's Markdown section body. */
  run(ctx: BenchContext): Promise<string>
}
