/** Shared schema primitives: ids, the error shape, pagination, the bounds of graph reads. */
import { Type } from 'typebox'
import type { Static, TSchema } from 'typebox'

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable, machine-readable error code' }),
      message: Type.String(),
      details: Type.Optional(Type.Unknown())
    })
  },
  { title: 'ErrorResponse', description: 'The one error shape of every failure' }
)
export type ErrorResponseBody = Static<typeof ErrorResponse>

/** What each error status means in this API, with the codes it carries. */
export const ERROR_STATUS_DESCRIPTIONS: Record<number, string> = {
  400:
    'The client must change the request: a value breaks a rule of the schema or of a description ' +
    '(VALIDATION_FAILED, each broken rule in details as { in, path, message }), the body is not JSON ' +
    '(INVALID_JSON), the URL cannot be decoded (BAD_URL), x-neo4j-bookmark is not one this service ' +
    'issued (INVALID_BOOKMARK), or the request is not valid HTTP (INVALID_CONTENT_LENGTH, MALFORMED_REQUEST)',
  401:
    'UNAUTHORIZED: no API key where one is needed, or a malformed or unknown one; WWW-Authenticate ' +
    'carries the challenge',
  403: 'FORBIDDEN: the API key may only read',
  404: 'NOT_FOUND: something the request names does not exist',
  408: 'REQUEST_TIMEOUT: the request did not arrive within HTTP_REQUEST_TIMEOUT_MS',
  409: 'CONFLICT: the request clashes with what is stored; details.fields names the clashing key',
  413: 'PAYLOAD_TOO_LARGE: the body is over the size limit',
  414: 'URI_TOO_LONG: a path parameter is longer than the router accepts',
  415: 'UNSUPPORTED_MEDIA_TYPE: the body is not application/json',
  429: 'RATE_LIMITED: over the rate limit; Retry-After says when to try again',
  431: 'HEADERS_TOO_LARGE: the request headers are over the size limit',
  503:
    'The service cannot answer now (Neo4j unavailable, a query over its time limit, load shedding, ' +
    'shutting down); Retry-After says when to try again'
}

/** The error shape as the response of one status, described for that status. */
export function errorResponse(status: number) {
  return Type.Object(ErrorResponse.properties, {
    title: 'ErrorResponse',
    description: ERROR_STATUS_DESCRIPTIONS[status] ?? 'The one error shape of every failure'
  })
}

/** Response schemas for the error statuses a route can answer with. */
export function errorResponses<S extends number>(
  ...statuses: S[]
): Record<S, ReturnType<typeof errorResponse>> {
  const out = {} as Record<S, ReturnType<typeof errorResponse>>
  for (const s of statuses) out[s] = errorResponse(s)
  return out
}

/**
 * Marks a body schema whose route also takes a request without a body (as an empty object):
 * the OpenAPI document then says the body is not required.
 */
export const OPTIONAL_BODY = 'x-optional-body'

/** Service ids: URL-safe, bounded; generated ids are UUIDs but callers may bring their own. */
export const Id = Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$' })

/**
 * A list query parameter: comma-separated (`types=SEQUEL_OF,REMAKE_OF`) or repeated
 * (`types=SEQUEL_OF&types=REMAKE_OF`), the one convention of every list parameter. Its items are
 * checked after splitting, so a bad one is named in the 400 rather than reported as a pattern
 * mismatch.
 */
export function ListParam(description: string, maxItems: number) {
  return Type.Array(Type.String({ maxLength: 4096 }), { minItems: 1, maxItems, description })
}

export const Timestamp = Type.String({ format: 'date-time', description: 'ISO-8601 date-time, UTC' })
export const DateOnly = Type.String({ format: 'date', description: 'ISO-8601 calendar date' })

export const PageQuery = {
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  cursor: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 512,
      description:
        'next_cursor of the previous page, sent back unchanged with the same sort and order; any other ' +
        'value is a 400 VALIDATION_FAILED'
    })
  )
}

export function Page<T extends TSchema>(item: T) {
  return Type.Object({
    items: Type.Array(item),
    next_cursor: Type.Union([Type.String(), Type.Null()])
  })
}

export const MovieIdParams = Type.Object({ movie_id: Id })
export type MovieIdParams = Static<typeof MovieIdParams>

export const UserIdParams = Type.Object({ user_id: Id })
export type UserIdParams = Static<typeof UserIdParams>

/** What a request to a graph read may ask for; beyond these a request is a 400, never a bigger query. */
export const TRAVERSAL_BOUNDS = {
  maxLimit: 100,
  defaultLimit: 20,
  maxRelatedDepth: 3,
  defaultRelatedDepth: 1,
  maxPathDepth: 3,
  defaultPathDepth: 3,
  maxExclude: 100
} as const

/** `limit` of the graph reads (similar, related, recommendations). */
export const GraphLimit = Type.Integer({
  minimum: 1,
  maximum: TRAVERSAL_BOUNDS.maxLimit,
  default: TRAVERSAL_BOUNDS.defaultLimit,
  description: `How many items (at most ${TRAVERSAL_BOUNDS.maxLimit})`
})

/** A movie as graph reads name it: enough to label a node. */
export const MovieRef = Type.Object({
  movie_id: Type.String(),
  title: Type.Union([Type.String(), Type.Null()]),
  year: Type.Union([Type.Integer(), Type.Null()])
})
export type MovieRef = Static<typeof MovieRef>
