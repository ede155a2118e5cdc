/**
 * The page's only way to the service: the public HTTP API, same origin, with the API key from
 * the key field (kept in sessionStorage, so it goes when the tab does) as a Bearer token. Every
 * failure becomes an ApiError whose message a person can act on; 401, 429 and 503 say what
 * happened and what to do.
 */
import type { ErrorResponseBody } from '../../src/schemas/common.js'
import type { FranchiseResponse } from '../../src/schemas/franchise.js'
import type { MovieDetailBody } from '../../src/schemas/movie.js'
import type { RecommendationResponse } from '../../src/schemas/recommendations.js'
import type { RelatedResponse } from '../../src/schemas/related.js'
import type { MovieSearchResultsValue } from '../../src/schemas/search.js'
import type { SimilarResponse } from '../../src/schemas/similar.js'

const KEY_STORAGE = 'cinegraph.explore.apiKey'

export function storedKey(): string {
  try {
    return sessionStorage.getItem(KEY_STORAGE) ?? ''
  } catch {
    return ''
  }
}

export function storeKey(key: string): void {
  try {
    if (key) sessionStorage.setItem(KEY_STORAGE, key)
    else sessionStorage.removeItem(KEY_STORAGE)
  } catch {
    // Storage refused (a privacy mode): the key still works for this page's life.
  }
  currentKey = key
}

let currentKey = storedKey()

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string
  ) {
    super(message)
  }
}

function retryHint(response: Response): string {
  const seconds = Number(response.headers.get('retry-after'))
  return Number.isFinite(seconds) && seconds > 0 ? ` Try again in ${seconds} s.` : ' Try again shortly.'
}

/** What to tell a person about a failed answer. */
function explain(response: Response, body: ErrorResponseBody | undefined): ApiError {
  const code = body?.error.code ?? `HTTP_${response.status}`
  const said = body?.error.message ?? response.statusText
  switch (response.status) {
    case 401:
      return new ApiError(
        401,
        code,
        currentKey
          ? `The API refused the key (401 ${code}): check the API key field.`
          : 'The API needs a key for reads (401): enter a read key in the API key field.'
      )
    case 403:
      return new ApiError(403, code, `The key may not do this (403 ${code}): ${said}`)
    case 429:
      return new ApiError(
        429,
        code,
        `Too many requests: the API's rate limit was reached (429).${retryHint(response)}`
      )
    case 503:
      return new ApiError(
        503,
        code,
        `The service is unavailable (503 ${code}): ${said.replace(/\.$/, '')}.${retryHint(response)}`
      )
    default:
      return new ApiError(response.status, code, `${said} (${response.status} ${code})`)
  }
}

type Query = Record<string, string | number | undefined>

async function get<T>(path: string, query: Query = {}): Promise<T> {
  const params = new URLSearchParams()
  for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value))
  const url = params.size > 0 ? `${path}?${params.toString()}` : path
  const headers: Record<string, string> = { accept: 'application/json' }
  if (currentKey) headers.authorization = `Bearer ${currentKey}`
  let response: Response
  try {
    response = await fetch(url, { headers })
  } catch {
    throw new ApiError(0, 'NETWORK', 'The API cannot be reached: check that the service is running.')
  }
  const body = (await response.json().catch(() => undefined)) as unknown
  if (!response.ok) throw explain(response, body as ErrorResponseBody | undefined)
  return body as T
}

const movie = (id: string): string => `/movies/${encodeURIComponent(id)}`

export const api = {
  search: (q: string) => get<MovieSearchResultsValue>('/search/movies', { q, limit: 10 }),
  movie: (id: string) => get<MovieDetailBody>(movie(id)),
  similar: (id: string, limit = 12) => get<SimilarResponse>(`${movie(id)}/similar`, { limit }),
  related: (id: string) => get<RelatedResponse>(`${movie(id)}/related`, { depth: 1, limit: 30 }),
  franchise: (id: string) => get<FranchiseResponse>(`${movie(id)}/franchise`),
  recommendations: (userId: string) =>
    get<RecommendationResponse>(`/users/${encodeURIComponent(userId)}/recommendations`, { limit: 10 })
}
