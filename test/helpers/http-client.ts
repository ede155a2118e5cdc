/**
 * A bare HTTP client for tests of a service running in another process: plain node:http, so a
 * test decides exactly which connection a request uses and when its body is sent.
 */
import { request } from 'node:http'
import type { Agent } from 'node:http'
import { connect } from 'node:net'
import type { Socket } from 'node:net'

export interface HttpResult {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: unknown
}

function parseBody(text: string): unknown {
  if (text === '') return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

export function send(
  base: URL,
  method: string,
  path: string,
  options: { body?: unknown; agent?: Agent | false; headers?: Record<string, string> } = {}
): Promise<HttpResult> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body)
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: base.hostname,
        port: base.port,
        method,
        path,
        agent: options.agent ?? false,
        headers: {
          ...(payload === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          ...options.headers
        }
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('error', reject)
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: parseBody(Buffer.concat(chunks).toString('utf8'))
          })
        )
      }
    )
    req.on('error', reject)
    req.end(payload)
  })
}

/** Responses read off one raw connection until the server closes it (pipelined requests). */
export interface RawConnection {
  write(text: string): void
  responses(): Promise<HttpResult[]>
}

export function rawConnection(base: URL): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host: base.hostname, port: Number(base.port) })
    const chunks: Buffer[] = []
    const ended = new Promise<void>((done) => socket.on('close', () => done()))
    socket.on('data', (c: Buffer) => chunks.push(c))
    socket.once('error', reject)
    socket.once('connect', () =>
      resolve({
        write: (text) => socket.write(text),
        responses: async () => {
          await ended
          return parseResponses(Buffer.concat(chunks).toString('utf8'))
        }
      })
    )
  })
}

/** Enough of HTTP/1.1 for the JSON responses of this service (Content-Length bodies). */
export function parseResponses(raw: string): HttpResult[] {
  const out: HttpResult[] = []
  let rest = raw
  while (rest.startsWith('HTTP/1.1 ')) {
    const end = rest.indexOf('\r\n\r\n')
    if (end < 0) break
    const [statusLine = '', ...lines] = rest.slice(0, end).split('\r\n')
    const headers: Record<string, string> = {}
    for (const line of lines) {
      const colon = line.indexOf(':')
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
    }
    const length = Number(headers['content-length'] ?? 0)
    const bodyBytes = Buffer.from(rest.slice(end + 4), 'utf8').subarray(0, length)
    out.push({
      status: Number(statusLine.split(' ')[1]),
      headers,
      body: parseBody(bodyBytes.toString('utf8'))
    })
    rest = Buffer.from(rest.slice(end + 4), 'utf8')
      .subarray(length)
      .toString('utf8')
  }
  return out
}
