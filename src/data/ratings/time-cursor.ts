/**
 * Keyset cursors for newest-first pages sorted on a stored datetime. The position is the
 * instant as "epochSeconds:nanosecond", read from the stored value in Cypher, so it is exact at
 * any precision and any zone (an ISO string in milliseconds would skip rows within one ms).
 * Queries return it as `toString(x.epochSeconds) + ':' + toString(x.nanosecond)` and filter with
 * `datetime({epochSeconds: $after_seconds, nanosecond: $after_nanos})`.
 */
import { invalidCursor } from '../../errors.js'
import { decodeCursor, encodeCursor } from '../../lib/cursor.js'
import { int } from '../../db/convert.js'

/** Years 0001..9999, the range the API accepts, with room for a zone offset. */
const MIN_SECONDS = -62_135_596_800 - 86_400
const MAX_SECONDS = 253_402_300_799 + 86_400

export interface AfterParams {
  after_seconds: ReturnType<typeof int> | null
  after_nanos: ReturnType<typeof int> | null
  after_id: string | null
}

/** Query parameters for "strictly after this cursor"; all null for the first page. */
export function afterParams(cursor: string | undefined, sort: string): AfterParams {
  if (cursor === undefined) return { after_seconds: null, after_nanos: null, after_id: null }
  const { key, id } = decodeCursor(cursor, sort)
  const match = typeof key === 'string' ? /^(-?\d{1,12}):(\d{1,9})$/.exec(key) : null
  const seconds = Number(match?.[1])
  if (!match || seconds < MIN_SECONDS || seconds > MAX_SECONDS) {
    throw invalidCursor()
  }
  return { after_seconds: int(seconds), after_nanos: int(Number(match[2])), after_id: id }
}

/** The next cursor when the query fetched one row more than the page holds. */
export function nextCursor<T>(
  fetched: T[],
  limit: number,
  sort: string,
  position: (row: T) => { key: string; id: string }
): { page: T[]; next_cursor: string | null } {
  if (fetched.length <= limit) return { page: fetched, next_cursor: null }
  const page = fetched.slice(0, limit)
  const last = page[page.length - 1] as T
  const { key, id } = position(last)
  return { page, next_cursor: encodeCursor({ sort, key, id }) }
}
