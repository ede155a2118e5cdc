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
    readonly retryAfterSeconds = 5
  ) {
    super(503, 'SERVICE_UNAVAILABLE', message)
  }
}

/** A query ran past the configured transaction timeout. */
export class TimeoutError extends AppError {
  constructor(message: string) {
    super(503, 'QUERY_TIMEOUT', message)
  }
}
