import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../helpers/app.js'
import { inlineRefs } from '../helpers/contract.js'
import type { OpenApiDocument } from '../helpers/contract.js'

// Every route the API promises, as the OpenAPI document must list it.
const EXPECTED: Array<[string, string]> = [
  ['get', '/health'],
  ['get', '/ready'],
  ['post', '/movies'],
  ['get', '/movies'],
  ['get', '/movies/{movie_id}'],
  ['patch', '/movies/{movie_id}'],
  ['delete', '/movies/{movie_id}'],
  ['get', '/movies/by-tmdb/{tmdb_id}'],
  ['put', '/movies/by-tmdb/{tmdb_id}'],
  ['put', '/movies/{movie_id}/genres'],
  ['get', '/genres'],
  ['post', '/genres'],
  ['get', '/genres/{name}'],
  ['delete', '/genres/{name}'],
  ['post', '/movies/{movie_id}/reviews'],
  ['get', '/movies/{movie_id}/reviews'],
  ['get', '/reviews/{review_id}'],
  ['patch', '/reviews/{review_id}'],
  ['delete', '/reviews/{review_id}'],
  ['get', '/reviews/by-tweet/{tweet_id}'],
  ['post', '/reviews/batch'],
  ['put', '/movies/{movie_id}/ratings/{user_id}'],
  ['delete', '/movies/{movie_id}/ratings/{user_id}'],
  ['get', '/movies/{movie_id}/ratings'],
  ['get', '/users/{user_id}/ratings'],
  ['get', '/search/movies'],
  ['post', '/searches'],
  ['post', '/searches/{search_id}/selection'],
  ['get', '/users/{user_id}/searches'],
  ['get', '/searches/trending'],
  ['put', '/movies/{movie_id}/relationships/{type}/{other_movie_id}'],
  ['delete', '/movies/{movie_id}/relationships/{type}/{other_movie_id}'],
  ['get', '/movies/{movie_id}/relationships'],
  ['get', '/movies/{movie_id}/similar'],
  ['get', '/movies/{movie_id}/related'],
  ['get', '/movies/{movie_id}/franchise'],
  ['get', '/paths/shortest'],
  ['get', '/users/{user_id}/recommendations']
]

interface Operation {
  operationId?: string
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>
}

describe('OpenAPI document', () => {
  let app: FastifyInstance
  let doc: OpenApiDocument
  let paths: Record<string, Record<string, Operation>>
  beforeAll(async () => {
    app = await buildTestApp()
    doc = (await app.inject('/openapi.json')).json()
    paths = doc.paths
  })
  afterAll(async () => {
    await app.close()
  })

  it.each(EXPECTED)('lists %s %s with an operation id', (method, path) => {
    expect(paths[path]?.[method], `${method.toUpperCase()} ${path}`).toBeDefined()
    expect(paths[path]?.[method]?.operationId).toMatch(/^[a-z][A-Za-z]+$/)
  })

  it('gives every operation a success response and error responses in the one error shape', () => {
    const ids = new Set<string>()
    for (const [path, methods] of Object.entries(paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const where = `${method.toUpperCase()} ${path}`
        const statuses = Object.keys(op.responses)
        expect(
          statuses.some((s) => s.startsWith('2')),
          where
        ).toBe(true)
        for (const status of statuses) {
          if (status === '204') continue
          const schema = inlineRefs(op.responses[status]?.content?.['application/json']?.schema, doc) as
            { properties?: Record<string, unknown> } | undefined
          expect(schema, `${where} ${status} has a schema`).toBeDefined()
          if (status.startsWith('4') || status.startsWith('5')) {
            expect(Object.keys(schema?.properties ?? {}), `${where} ${status}`).toEqual(['error'])
          }
        }
        if (op.operationId) {
          expect(ids.has(op.operationId), `duplicate operationId ${op.operationId}`).toBe(false)
          ids.add(op.operationId)
        }
      }
    }
  })
})
