/**
 * The OpenAPI document at /openapi.json and interactive docs at /docs, built from route schemas.
 * What the plugins do to every request is declared here, once, on every route as it is added:
 * the error statuses auth, rate limiting, body parsing, load shedding and Node's HTTP parser
 * answer with, and the security the auth plugin enforces under the running configuration. A new
 * route cannot forget them.
 */
import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifySchema, RouteOptions } from 'fastify'
import { isPublic, requiredScope } from '../app/auth.js'
import { UNLIMITED_ROUTES } from './rate-limit.js'
import { OPTIONAL_BODY, errorResponse } from '../../schemas/common.js'

/** Methods whose bodies Fastify reads (so a body can be too large, of the wrong type, not JSON). */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

type Security = Array<Record<string, string[]>>

/**
 * The statuses a route can answer besides its own: every route can meet Node's parser (408,
 * 431), a bad bookmark header (400) and a shutdown or an outage (503); guarded routes a bad key
 * (401) and the rate limit (429); writes a read-only key (403) and body parsing (413, 415);
 * routes with path parameters the router's length limit (414).
 */
export function uniformStatuses(method: string, url: string): number[] {
  const statuses = [400, 408, 431, 503]
  if (!isPublic(url)) statuses.push(401)
  if (!UNLIMITED_ROUTES.has(url)) statuses.push(429)
  if (BODY_METHODS.has(method)) statuses.push(403, 413, 415)
  if (url.includes(':')) statuses.push(414)
  return statuses
}

/**
 * What a route needs in OpenAPI terms: public routes none; writes, and reads under
 * READS_REQUIRE_KEY, a bearer key; other reads either nothing or a key (`{}` is "anonymous").
 */
export function securityOf(method: string, url: string, readsRequireKey: boolean): Security {
  if (isPublic(url)) return []
  const bearer = { bearerAuth: [] }
  return requiredScope(method, readsRequireKey) === null ? [{}, bearer] : [bearer]
}

function declareUniform(route: RouteOptions, readsRequireKey: boolean): void {
  const schema = route.schema as (FastifySchema & { hide?: boolean; security?: Security }) | undefined
  if (!schema || schema.hide) return
  const method = Array.isArray(route.method) ? route.method[0] : route.method
  if (method === undefined || method === 'HEAD') return
  const response = { ...(schema.response as Record<string, unknown> | undefined) }
  for (const status of uniformStatuses(method, route.url)) response[status] ??= errorResponse(status)
  // A new schema object: a route's schema may be shared with another route (HEAD beside GET).
  route.schema = {
    ...schema,
    response,
    security: schema.security ?? securityOf(method, route.url, readsRequireKey)
  } as FastifySchema
}

type Schema = { [key: string]: unknown }

/**
 * A property with a default is one the client may leave out: the server fills it in (Ajv's
 * useDefaults), so its handler types keep it required, but the document tells clients it is
 * optional. TypeBox lists every non-Optional property as required, defaults or not.
 */
function defaultsOptional(schema: unknown): void {
  if (typeof schema !== 'object' || schema === null) return
  if (Array.isArray(schema)) {
    for (const item of schema) defaultsOptional(item)
    return
  }
  const s = schema as Schema
  const properties = s.properties as Record<string, Schema> | undefined
  if (properties && Array.isArray(s.required)) {
    s.required = (s.required as string[]).filter((key) => properties[key]?.default === undefined)
    if ((s.required as string[]).length === 0) delete s.required
  }
  for (const value of Object.values(s)) defaultsOptional(value)
}

interface Operation {
  parameters?: Schema[]
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> }
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>
}

interface OpenApiDocument {
  components?: { schemas?: Record<string, unknown> }
  paths?: Record<string, Record<string, Operation>>
}

const ERROR_REF = { $ref: '#/components/schemas/ErrorResponse' }

/**
 * Document-only rewrites: defaults make parameters and body properties optional, a body the
 * route may go without is not required, and the error shape is one named component (generated
 * clients get one ErrorResponse type instead of one per status and route).
 */
function transformDocument({ openapiObject }: { openapiObject: Partial<OpenApiDocument> }) {
  const components = (openapiObject.components ??= {})
  const schemas = (components.schemas ??= {})
  for (const operations of Object.values(openapiObject.paths ?? {})) {
    for (const operation of Object.values(operations)) {
      for (const parameter of operation.parameters ?? []) {
        const schema = parameter.schema as Schema | undefined
        if (parameter.in !== 'path' && schema?.default !== undefined) parameter.required = false
      }
      const body = operation.requestBody?.content?.['application/json']?.schema
      if (body?.[OPTIONAL_BODY] === true && operation.requestBody) {
        operation.requestBody.required = false
        delete body[OPTIONAL_BODY]
      }
      defaultsOptional(operation.requestBody)
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        const json = response.content?.['application/json']
        if (Number(status) < 400 || json?.schema?.title !== 'ErrorResponse') continue
        const { description: _description, ...shape } = json.schema
        schemas.ErrorResponse ??= { ...shape, description: 'The one error shape of every failure' }
        json.schema = { ...ERROR_REF }
      }
    }
  }
  return openapiObject
}

/** A wildcard listening address names no host a client can call; loopback stands in for it. */
function listeningUrl(host: string, port: number): string {
  const name = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host
  return `http://${name}:${port}`
}

export default fp(
  async (app) => {
    const { config } = app
    app.addHook('onRoute', (route) => declareUniform(route, config.READS_REQUIRE_KEY))
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'cinegraph',
          description: 'Movies, genres, reviews, ratings, searches and typed movie relationships on Neo4j',
          version: '0.1.0',
          license: {
            name: 'UNLICENSED: proprietary, no licence granted',
            identifier: 'LicenseRef-UNLICENSED'
          }
        },
        servers: [
          { url: listeningUrl(config.HOST, config.PORT), description: 'The address this instance listens on' }
        ],
        components: {
          securitySchemes: {
            bearerAuth: {
              type: 'http',
              scheme: 'bearer',
              description:
                'An API key from `cinegraph keys new`, as `Authorization: Bearer <key>`. Writes need a write ' +
                'key; reads need a read or write key when the service runs with READS_REQUIRE_KEY.'
            }
          }
        }
      },
      transformObject: transformDocument as never
    })
    await app.register(swaggerUi, { routePrefix: '/docs' })
    // Served from the request's own origin (X-Forwarded-* when TRUST_PROXY says so), which is
    // where a client that fetched the document can reach the API.
    app.get('/openapi.json', { schema: { hide: true } }, async (request) => ({
      ...app.swagger(),
      servers: [
        { url: `${request.protocol}://${request.host}`, description: 'Where this document was served' }
      ]
    }))
  },
  { name: 'swagger', dependencies: ['config'] }
)
