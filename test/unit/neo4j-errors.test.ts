import { describe, expect, it } from 'vitest'
import { Neo4jError } from 'neo4j-driver'
import { constraintFields, mapNeo4jError } from '../../src/db/database.js'
import { ConflictError, TimeoutError, UnavailableError } from '../../src/errors.js'

const neoError = (message: string, code: string) => new Neo4jError(message, code, 'N/A', 'N/A')

describe('mapNeo4jError', () => {
  it.each([
    [
      'a constraint violation',
      neoError('exists', 'Neo.ClientError.Schema.ConstraintValidationFailed'),
      ConflictError
    ],
    [
      'a node deleted by a concurrent transaction',
      neoError('Unable to load NODE 4:abc:1.', 'Neo.ClientError.Statement.EntityNotFound'),
      ConflictError
    ],
    [
      'a transaction timeout',
      neoError('late', 'Neo.ClientError.Transaction.TransactionTimedOut'),
      TimeoutError
    ],
    ['an unreachable server', neoError('down', 'ServiceUnavailable'), UnavailableError],
    [
      'a transient error',
      neoError('deadlock', 'Neo.TransientError.Transaction.DeadlockDetected'),
      UnavailableError
    ],
    ['bad credentials', neoError('no', 'Neo.ClientError.Security.Unauthorized'), UnavailableError],
    [
      'an exhausted connection pool',
      neoError('Connection acquisition timed out in 5000 ms. Pool status: Active conn count = 100', 'N/A'),
      UnavailableError
    ]
  ])('maps %s to a domain error', (_label, err, expected) => {
    expect(mapNeo4jError(err)).toBeInstanceOf(expected)
  })

  it('keeps credentials and server text out of the mapped message', () => {
    const mapped = mapNeo4jError(
      neoError(
        'The client is unauthorized due to authentication failure.',
        'Neo.ClientError.Security.Unauthorized'
      )
    )
    expect((mapped as Error).message).not.toMatch(/unauthorized|authentication/i)
  })

  it('returns unknown errors unchanged', () => {
    const syntax = neoError('Invalid input', 'Neo.ClientError.Statement.SyntaxError')
    expect(mapNeo4jError(syntax)).toBe(syntax)
    const plain = new Error('boom')
    expect(mapNeo4jError(plain)).toBe(plain)
  })
})

describe('constraintFields', () => {
  it('names the properties of the key a uniqueness refusal reports', () => {
    expect(
      constraintFields('Node(42) already exists with label `Genre` and property `tmdb_genre_id` = 18')
    ).toEqual(['tmdb_genre_id'])
    expect(
      constraintFields("Node(7) already exists with label `Movie` and properties `a` = 'x = `y`', `b` = 2")
    ).toEqual(['a', 'b'])
    expect(constraintFields('exists')).toEqual([])
  })

  it('travels in the details of the mapped conflict', () => {
    const mapped = mapNeo4jError(
      neoError(
        "Node(1) already exists with label `Genre` and property `name` = 'Drama'",
        'Neo.ClientError.Schema.ConstraintValidationFailed'
      )
    )
    expect(mapped).toBeInstanceOf(ConflictError)
    expect((mapped as ConflictError).details).toMatchObject({ fields: ['name'] })
  })
})
