import { Neo4jError } from 'neo4j-driver'
import { describe, expect, it } from 'vitest'
import { RouteTable, clientErrorHandler, toErrorReply } from '../../src/plugins/app/error-handler.js'
import {
  ForbiddenError,
  NotFoundError,
  OverloadedError,
  RateLimitedError,
  TimeoutError,
  UnauthorizedError,
  UnavailableError,
  invalidCursor,
  violation
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

describe('client mistakes', () => {
  it('are 400 VALIDATION_FAILED with each broken rule in details, as schema validation reports them', () => {
    expect(toErrorReply(violation('querystring', '/year_from', 'must not be after year_to'))).toEqual({
      status: 400,
      payload: {
        error: {
          code: 'VALIDATION_FAILED',
          message: 'querystring/year_from must not be after year_to',
          details: [{ in: 'querystring', path: '/year_from', message: 'must not be after year_to' }]
        }
      }
    })
    expect(toErrorReply(invalidCursor()).payload.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ in: 'querystring', path: '/cursor' }]
    })
  })

  it('never answer with the retired BAD_REQUEST code', () => {
    for (const code of [
      'FST_ERR_CTP_EMPTY_JSON_BODY',
      'FST_ERR_CTP_INVALID_CONTENT_LENGTH',
      'FST_ERR_SOMETHING_NEW'
    ]) {
      const err = Object.assign(new Error('x'), { code, statusCode: 400 })
      expect(toErrorReply(err).payload.error.code, code).not.toBe('BAD_REQUEST')
    }
  })
})

describe('RouteTable', () => {
  const table = new RouteTable()
  table.add(['GET', 'HEAD'], '/movies/:movie_id')
  table.add('DELETE', '/movies/:movie_id')
  table.add('GET', '/movies/:movie_id/similar')
  table.add('OPTIONS', '*')
  table.add('GET', '/docs/*')

  it('names the methods served at a path, whatever its parameters hold', () => {
    expect(table.allowed('/movies/m-1')).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS'])
    expect(table.allowed('/movies/m-1/similar')).toEqual(['GET', 'OPTIONS'])
    expect(table.allowed('/movies/')).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS'])
    expect(table.allowed('/docs/static/index.css')).toEqual(['GET', 'OPTIONS'])
  })

  it('knows no path that only a catch-all route matches', () => {
    expect(table.allowed('/nowhere')).toEqual([])
    expect(table.allowed('/movies/m-1/similar/more')).toEqual([])
    expect(table.allowed('/movies.json')).toEqual([])
  })
})

describe('clientErrorHandler', () => {
  function answer(code: string | undefined): string {
    let written = ''
    const socket = {
      destroyed: false,
      writable: true,
      write: (t: string) => (written += t),
      destroy: () => {}
    }
    clientErrorHandler(Object.assign(new Error('x'), code === undefined ? {} : { code }), socket as never)
    return written
  }

  it('answers what Node refuses in the one error shape', () => {
    for (const [code, status, errorCode] of [
      ['HPE_HEADER_OVERFLOW', 431, 'HEADERS_TOO_LARGE'],
      ['ERR_HTTP_REQUEST_TIMEOUT', 408, 'REQUEST_TIMEOUT'],
      ['HPE_INVALID_METHOD', 400, 'MALFORMED_REQUEST']
    ] as const) {
      const raw = answer(code)
      expect(raw.startsWith(`HTTP/1.1 ${status} `), raw).toBe(true)
      const [head = '', body = ''] = raw.split('\r\n\r\n')
      expect(JSON.parse(body)).toMatchObject({ error: { code: errorCode } })
      expect(head).toContain(`Content-Length: ${Buffer.byteLength(body)}`)
    }
  })

  it('writes nothing to a connection the client reset', () => {
    expect(answer('ECONNRESET')).toBe('')
  })
})
