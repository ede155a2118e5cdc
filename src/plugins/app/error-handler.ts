/**
 * The one error shape: `{ error: { code, message, details? } }` for every failure, whether it
 * came from schema validation, Fastify's body parsing, a domain error, or a bug. A 5xx never
 * carries internals to the client; it is logged with the request id instead.
 */
import fp from 'fastify-plugin'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { AppError, ForbiddenError, UnauthorizedError, UnavailableError } from '../../errors.js'
import { mapNeo4jError } from '../../db/database.js'
import { UnsafeIntegerError } from '../../db/convert.js'
import type { ErrorResponseBody } from '../../schemas/common.js'

const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_MAX_PARAM_LENGTH: 'URI_TOO_LONG',
  FST_ERR_BAD_URL: 'BAD_URL'
}

/** What a 503 tells clients to wait when nothing more specific is known. */
const RETRY_AFTER_SECONDS = 5

function body(code: string, message: string, details?: unknown): ErrorResponseBody {
  return details === undefined ? { error: { code, message } } : { error: { code, message, details } }
}

export function toErrorReply(err: unknown): {
  status: number
  payload: ErrorResponseBody
  retryAfter?: number
  /** An authentication challenge for `WWW-Authenticate`. */
  challenge?: string
} {
  const mapped = mapNeo4jError(err)
  if (mapped instanceof AppError) {
    return {
      status: mapped.statusCode,
      payload: body(mapped.code, mapped.message, mapped.details),
      ...(mapped.statusCode === 503
        ? { retryAfter: mapped instanceof UnavailableError ? mapped.retryAfterSeconds : RETRY_AFTER_SECONDS }
        : {}),
      ...(mapped instanceof UnauthorizedError || mapped instanceof ForbiddenError
        ? { challenge: mapped.challenge }
        : {})
    }
  }
  const fe = mapped as Partial<FastifyError>
  if (fe.validation) {
    const details = fe.validation.map((v) => ({
      in: fe.validationContext ?? 'request',
      path: v.instancePath || '/',
      message: v.message ?? 'is invalid'
    }))
    return { status: 400, payload: body('VALIDATION_FAILED', fe.message ?? 'Request is invalid', details) }
  }
  if (mapped instanceof SyntaxError && fe.statusCode === 400) {
    return { status: 400, payload: body('INVALID_JSON', 'Request body is not valid JSON') }
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const code = (fe.code && FASTIFY_CODES[fe.code]) ?? 'BAD_REQUEST'
    return { status: fe.statusCode, payload: body(code, fe.message ?? 'Bad request') }
  }
  if (mapped instanceof UnsafeIntegerError) {
    return { status: 500, payload: body('INTERNAL', 'A stored value cannot be represented in JSON') }
  }
  return { status: 500, payload: body('INTERNAL', 'Internal server error') }
}

export default fp(
  async (app) => {
    app.setErrorHandler((err: unknown, request: FastifyRequest, reply: FastifyReply) => {
      const { status, payload, retryAfter, challenge } = toErrorReply(err)
      if (status >= 500) request.log.error({ err }, 'request failed')
      else request.log.info({ code: payload.error.code }, 'request rejected')
      if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter))
      if (challenge !== undefined) reply.header('www-authenticate', challenge)
      return reply.code(status).send(payload)
    })
    // Requests reaching a draining server answer in the one shape too (app.ts turns off
    // Fastify's own 503 for them, which has another body and no Retry-After).
    let closing = false
    app.addHook('preClose', async () => {
      closing = true
    })
    app.addHook('onRequest', async (_request, reply) => {
      if (!closing) return
      reply.header('retry-after', String(RETRY_AFTER_SECONDS))
      return reply.code(503).send(body('SHUTTING_DOWN', 'The service is shutting down; try again shortly'))
    })
    app.setNotFoundHandler((request, reply) => {
      return reply
        .code(404)
        .send(body('NOT_FOUND', `Route ${request.method} ${request.url.split('?')[0]} does not exist`))
    })
  },
  { name: 'error-handler' }
)
