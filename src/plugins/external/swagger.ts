/** The OpenAPI document at /openapi.json and interactive docs at /docs, built from route schemas. */
import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'

export default fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'cinegraph',
          description: 'Movies, genres, reviews, ratings, searches and typed movie relationships on Neo4j',
          version: '0.1.0'
        }
      }
    })
    await app.register(swaggerUi, { routePrefix: '/docs' })
    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
  },
  { name: 'swagger' }
)
