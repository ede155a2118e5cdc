export { GDS_VERSION, NEO4J_VERSION } from './version.js'
export { NEO4J_USER, validateOptions } from './options.js'
export type { LocalNeo4jOptions } from './options.js'
export { ensureArtifacts } from './maven.js'
export type { Artifacts, ArtifactsOptions } from './maven.js'
export { checkJava, checkMaven } from './java.js'
export type { JavaInfo } from './java.js'
export {
  findProjectRoot,
  pickFreePorts,
  startEphemeralNeo4j,
  startLocalNeo4j,
  statusLocalNeo4j,
  stopLocalNeo4j
} from './runner.js'
export type { EphemeralNeo4jHandle, LocalNeo4jHandle, LocalNeo4jStatus } from './runner.js'
