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

/** Response schemas for the error statuses a route can answer with. */
export function errorResponses<S extends number>(...statuses: S[]): Record<S, typeof ErrorResponse> {
  const out = {} as Record<S, typeof ErrorResponse>
  for (const s of statuses) out[s] = ErrorResponse
  return out
}

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
    Type.String({ minLength: 1, maxLength: 512, description: 'next_cursor of the previous page' })
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
