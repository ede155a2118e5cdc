import { apiSuite } from './api.js'
import { importSuite } from './import.js'
import { loadSuite } from './load.js'
import { qualitySuite } from './quality.js'
import type { Suite } from './types.js'

export const SUITES: Record<string, Suite> = {
  import: importSuite,
  api: apiSuite,
  load: loadSuite,
  quality: qualitySuite
}
