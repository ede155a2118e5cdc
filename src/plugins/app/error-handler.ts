/**
 * The one error shape: `{ error: { code, message, details? } }` for every failure, whether it
 * came from schema validation, Fastify's body parsing, a domain error, Node's HTTP parser, or a
 * bug. A 5xx never carries internals to the client; it is logged with the request id instead.
 * A known path called with a method it does not serve is a 405 naming the methods it does.
 */
import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import fp from 'fastify-plugin'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { AppError, ForbiddenError, UnauthorizedError, UnavailableError } from '../../errors.js'
import { mapNeo4jError } from '../../db/database.js'
import { UnsafeIntegerError } from '../../db/convert.js'
import type { ErrorResponseBody } from '../../schemas/common.js'

const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'INVALID_CONTENT_LENGTH',
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
    const code = (fe.code && FASTIFY_CODES[fe.code]) ?? 'INVALID_REQUEST'
    return { status: fe.statusCode, payload: body(code, fe.message ?? 'Bad request') }
  }
  if (mapped instanceof UnsafeIntegerError) {
    return { status: 500, payload: body('INTERNAL', 'A stored value cannot be represented in JSON') }
  }
  return { status: 500, payload: body('INTERNAL', 'Internal server error') }
}

/**
 * Matches a concrete path against the route patterns it was registered with, so the not-found
 * handler can tell an unknown path (404) from a known one called with another method (405).
 */
export class RouteTable {
  private readonly routes: Array<{ pattern: RegExp; method: string; catchAll: boolean }> = []

  add(methods: string | string[], url: string): void {
    const pattern = new RegExp(
      `^${url
        .split('/')
        .map((segment) =>
          // As the router does, a parameter may be empty (`/movies/` reaches `/movies/:movie_id`).
          segment.startsWith(':')
            ? '[^/]*'
            : segment === '*'
              ? '.*'
              : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        )
        .join('/')}$`
    )
    const catchAll = url === '*' || url === '/*'
    for (const method of Array.isArray(methods) ? methods : [methods]) {
      this.routes.push({ pattern, method, catchAll })
    }
  }

  /** The methods served at `path`, sorted; empty when only catch-all routes (CORS preflight) match. */
  allowed(path: string): string[] {
    const matching = this.routes.filter((r) => r.pattern.test(path))
    if (!matching.some((r) => !r.catchAll)) return []
    return [...new Set(matching.map((r) => r.method))].sort()
  }
}

/**
 * Node's HTTP parser refuses some requests before Fastify sees them (headers over the size
 * limit, a request slower than HTTP_REQUEST_TIMEOUT_MS, malformed HTTP); this answers those in
 * the one error shape instead of Fastify's own.
 */
export function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  const [status, code, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'HEADERS_TOO_LARGE', 'The request headers are larger than the server accepts']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'REQUEST_TIMEOUT', 'The request did not arrive in time']
        : [400, 'MALFORMED_REQUEST', 'The request is not valid HTTP']
  const payload = JSON.stringify(body(code, message))
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\n` +
        `Content-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(payload)}\r\n\r\n${payload}`
    )
  }
  socket.destroy(err)
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route's method and URL pattern, for telling a 405 from a 404. */
    routeTable: RouteTable
  }
}

/** 405 with Allow for a known path called with a method it does not serve, else 404. */
function answerNoRoute(routeTable: RouteTable, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const path = request.url.split('?')[0] ?? ''
  const allowed = routeTable.allowed(path)
  if (allowed.length > 0 && !allowed.includes(request.method)) {
    return reply
      .code(405)
      .header('allow', allowed.join(', '))
      .send(
        body('METHOD_NOT_ALLOWED', `${path} does not serve ${request.method}`, { allowed_methods: allowed })
      )
  }
  return reply.code(404).send(body('NOT_FOUND', `Route ${request.method} ${path} does not exist`))
}

export default fp(
  async (app) => {
    const routeTable = new RouteTable()
    app.decorate('routeTable', routeTable)
    app.addHook('onRoute', (route) => {
      routeTable.add(route.method, route.url ?? route.path)
    })
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
    app.setNotFoundHandler((request, reply) => answerNoRoute(routeTable, request, reply))
  },
  { name: 'error-handler' }
)

/**
 * Answers a request no route serves before its body is read (a malformed body to a method the
 * path does not serve is still a 405). Registered after auth and the rate limiter, whose hooks
 * run first: a write to a path that is not there needs a key like any other, so the route table
 * cannot be probed without one.
 */
export const noRoute = fp(
  async (app) => {
    app.addHook('preParsing', async (request, reply) => {
      if (request.is404) return answerNoRoute(app.routeTable, request, reply)
    })
  },
  { name: 'no-route', dependencies: ['error-handler', 'auth', 'rate-limit'] }
)
