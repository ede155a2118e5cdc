import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { buildTestApp } from '../helpers/app.js'

describe('service skeleton', () => {
  let app: FastifyInstance
  beforeAll(async () => {
    app = await buildTestApp()
  })
  afterAll(async () => {
    await app.close()
  })

  it('answers /health while the process is alive', async () => {
    const res = await app.inject('/health')
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ status: 'ok' })
  })

  it('is ready once Neo4j answers and every migration is applied', async () => {
    const res = await app.inject('/ready')
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.status).toBe('ready')
    expect(body.migrations.pending).toEqual([])
    expect(body.migrations.applied).toBeGreaterThanOrEqual(2)
  })

  it('answers unknown routes with the one error shape', async () => {
    const res = await app.inject('/no-such-route?x=1')
    expect(res.statusCode).toBe(404)
    expect(res.json()).toEqual({
      error: { code: 'NOT_FOUND', message: 'Route GET /no-such-route does not exist' }
    })
  })

  it('gives every response a request id, and echoes a sane one the client sent', async () => {
    const generated = await app.inject('/health')
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
    const echoed = await app.inject({ url: '/health', headers: { 'x-request-id': 'client-abc.1' } })
    expect(echoed.headers['x-request-id']).toBe('client-abc.1')
    const refused = await app.inject({ url: '/health', headers: { 'x-request-id': 'bad id with spaces' } })
    expect(refused.headers['x-request-id']).not.toBe('bad id with spaces')
  })

  it('serves the OpenAPI document and the interactive docs', async () => {
    const doc = await app.inject('/openapi.json')
    expect(doc.statusCode).toBe(200)
    const spec = doc.json()
    expect(spec.openapi).toMatch(/^3\./)
    expect(spec.paths['/ready'].get.responses).toHaveProperty('503')
    const docs = await app.inject('/docs/')
    expect(docs.statusCode).toBe(200)
    expect(docs.headers['content-type']).toMatch(/text\/html/)
  })
})
