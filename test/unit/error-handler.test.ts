import { Neo4jError } from 'neo4j-driver'
import { describe, expect, it } from 'vitest'
import { toErrorReply } from '../../src/plugins/app/error-handler.js'
import { NotFoundError, UnavailableError } from '../../src/errors.js'

describe('toErrorReply', () => {
  it('maps a constraint violation from Neo4j to 409 by its code', () => {
    const err = new Neo4jError(
      'Node(1) already exists with label `Movie`',
      'Neo.ClientError.Schema.ConstraintValidationFailed',
      '',
      ''
    )
    const reply = toErrorReply(err)
    expect(reply.status).toBe(409)
    expect(reply.payload.error.code).toBe('CONFLICT')
    expect(JSON.stringify(reply.payload)).not.toContain('Node(1)')
  })

  it('maps an unreachable database to 503 with Retry-After', () => {
    const reply = toErrorReply(
      new Neo4jError('connect ECONNREFUSED 127.0.0.1:7687', 'ServiceUnavailable', '', '')
    )
    expect(reply.status).toBe(503)
    expect(reply.retryAfter).toBeGreaterThan(0)
    expect(JSON.stringify(reply.payload)).not.toContain('ECONNREFUSED')
    expect(toErrorReply(new UnavailableError('x', 7)).retryAfter).toBe(7)
  })

  it('keeps auth failures of the service away from clients', () => {
    const reply = toErrorReply(
      new Neo4jError(
        'The client is unauthorized due to authentication failure.',
        'Neo.ClientError.Security.Unauthorized',
        '',
        ''
      )
    )
    expect(reply.status).toBe(503)
    expect(JSON.stringify(reply.payload)).not.toMatch(/unauthorized/i)
  })

  it('passes domain errors through with their code and details', () => {
    expect(toErrorReply(new NotFoundError('Movie m-1 does not exist', { movie_id: 'm-1' }))).toEqual({
      status: 404,
      payload: {
        error: { code: 'NOT_FOUND', message: 'Movie m-1 does not exist', details: { movie_id: 'm-1' } }
      }
    })
  })

  it('hides the internals of anything unexpected behind a 500', () => {
    const reply = toErrorReply(new TypeError("Cannot read properties of undefined (reading 'secret')"))
    expect(reply).toEqual({
      status: 500,
      payload: { error: { code: 'INTERNAL', message: 'Internal server error' } }
    })
  })
})
