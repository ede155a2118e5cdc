// The Neo4j release every environment runs (local runner, docker-compose, test containers). The Maven poms
// under neo4j-local/ pin the same value; a unit test keeps them in step.
export const NEO4J_VERSION = '5.26.19'
