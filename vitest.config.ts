import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // Two cores: more workers only queue on Neo4j.
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts']
        }
      },
      {
        test: {
          name: 'int',
          include: ['test/int/**/*.int.test.ts'],
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000
        }
      }
    ]
  }
})
