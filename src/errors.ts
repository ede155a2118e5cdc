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

export class BadRequestError extends AppError {
  constructor(message: string, details?: unknown) {
    super(400, 'BAD_REQUEST', message, details)
  }
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
