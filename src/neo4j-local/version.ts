// The Neo4j release every environment runs (local runner, docker-compose, test containers). The Maven poms
// under neo4j-local/ pin the same value; a unit test keeps them in step.
export const NEO4J_VERSION = '5.26.19'

// The Graph Data Science release the local runner installs (neo4j-local/gds/pom.xml pins the same value).
// GDS has its own release train: this must be a release built for the 5.26 line.
export const GDS_VERSION = '2.13.9'
