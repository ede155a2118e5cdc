/**
 * Domain errors. Data access throws these; the error-handler plugin turns them into the one
 * error shape of the API. Routes never inspect driver errors themselves.
 */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown
  ) {
    super(message)
    this.name = new.target.name
  }
}

export class NotFoundError extends AppError {
  constructor(message: string, details?: unknown) {
    super(404, 'NOT_FOUND', message, details)
  }
}

export class ConflictError extends AppError {
  constructor(message: string, details?: unknown) {
    super(409, 'CONFLICT', message, details)
  }
}

/** Where a request breaks a rule, as schema validation reports it: part of the request, JSON pointer, why. */
export interface Violation {
  in: 'body' | 'querystring' | 'params' | 'headers'
  path: string
  message: string
}

/**
 * A request the client must change: the one 400 for rules the schema states and for rules it can
 * only describe (a cursor from another sort, year_from after year_to, a movie related to itself),
 * with each broken rule in `details` as schema validation reports it.
 */
export class ValidationError extends AppError {
  constructor(
    message: string,
    readonly violations: Violation[]
  ) {
    super(400, 'VALIDATION_FAILED', message, violations)
  }
}

/** One broken rule: the message names the field, as Ajv's do (`querystring/cursor is not valid`). */
export function violation(at: Violation['in'], path: string, message: string): ValidationError {
  return new ValidationError(`${at}${path} ${message}`, [{ in: at, path, message }])
}

/** A cursor that is not the next_cursor of a previous page of the same listing. */
export function invalidCursor(
  message = 'is not valid; pass next_cursor from the previous page unchanged'
): ValidationError {
  return violation('querystring', '/cursor', message)
}

export class UnavailableError extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds = 5,
    code = 'SERVICE_UNAVAILABLE'
  ) {
    super(503, code, message)
  }
}

/** A query ran past the configured transaction timeout. */
export class TimeoutError extends AppError {
  constructor(message: string) {
    super(503, 'QUERY_TIMEOUT', message)
  }
}

/** No usable API key: the challenge goes out as `WWW-Authenticate`. */
export class UnauthorizedError extends AppError {
  constructor(
    message: string,
    readonly challenge: string
  ) {
    super(401, 'UNAUTHORIZED', message)
  }
}

/** A valid API key without the scope the request needs. */
export class ForbiddenError extends AppError {
  constructor(
    message: string,
    readonly challenge: string,
    details?: unknown
  ) {
    super(403, 'FORBIDDEN', message, details)
  }
}

/** Over the rate limit; the limiter has already set `Retry-After` and the `x-ratelimit-*` headers. */
export class RateLimitedError extends AppError {
  constructor(details: { limit: number; window_ms: number }) {
    super(429, 'RATE_LIMITED', 'Too many requests; retry after the number of seconds in Retry-After', details)
  }
}

/** The process sheds load: its event loop or heap is past the configured threshold. */
export class OverloadedError extends UnavailableError {
  constructor(retryAfterSeconds: number) {
    super('The service is overloaded; try again shortly', retryAfterSeconds, 'OVERLOADED')
  }
}

/** An `x-neo4j-bookmark` header this service did not issue, or one Neo4j cannot use. */
export class InvalidBookmarkError extends AppError {
  constructor(message: string) {
    super(400, 'INVALID_BOOKMARK', message)
  }
}
