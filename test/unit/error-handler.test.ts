import { Neo4jError } from 'neo4j-driver'
import { describe, expect, it } from 'vitest'
import { toErrorReply } from '../../src/plugins/app/error-handler.js'
import {
  ForbiddenError,
  NotFoundError,
  OverloadedError,
  RateLimitedError,
  TimeoutError,
  UnauthorizedError,
  UnavailableError
} from '../../src/errors.js'

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

  it('gives every 503 a Retry-After, a query timeout included', () => {
    const reply = toErrorReply(
      new TimeoutError('The query took longer than the configured transaction timeout')
    )
    expect(reply.status).toBe(503)
    expect(reply.retryAfter).toBe(5)
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

  it('maps access control, limits and load shedding with their challenge or Retry-After', () => {
    expect(toErrorReply(new UnauthorizedError('No key', 'Bearer realm="x"'))).toEqual({
      status: 401,
      payload: { error: { code: 'UNAUTHORIZED', message: 'No key' } },
      challenge: 'Bearer realm="x"'
    })
    expect(
      toErrorReply(new ForbiddenError('Read only', 'Bearer error="insufficient_scope"', { s: 1 }))
    ).toEqual({
      status: 403,
      payload: { error: { code: 'FORBIDDEN', message: 'Read only', details: { s: 1 } } },
      challenge: 'Bearer error="insufficient_scope"'
    })
    const limited = toErrorReply(new RateLimitedError({ limit: 5, window_ms: 1000 }))
    expect(limited.status).toBe(429)
    expect(limited.payload.error).toMatchObject({
      code: 'RATE_LIMITED',
      details: { limit: 5, window_ms: 1000 }
    })
    expect(toErrorReply(new OverloadedError(3))).toMatchObject({
      status: 503,
      payload: { error: { code: 'OVERLOADED' } },
      retryAfter: 3
    })
  })

  it('maps a bookmark Neo4j cannot use to 400 INVALID_BOOKMARK, without its parser message', () => {
    const reply = toErrorReply(
      new Neo4jError(
        'Parsing of supplied bookmarks failed with message: UnexpectedTypeException',
        'Neo.ClientError.Transaction.InvalidBookmark',
        '',
        ''
      )
    )
    expect(reply).toEqual({
      status: 400,
      payload: {
        error: { code: 'INVALID_BOOKMARK', message: 'The bookmark does not belong to this database' }
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
