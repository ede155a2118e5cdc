/**
 * Opaque keyset cursors. A cursor holds the sort key and the id of the last row of a page, so
 * the next page starts strictly after it: rows inserted or deleted between requests never cause
 * duplicates or gaps among the rows that were already there.
 */
import { invalidCursor } from '../errors.js'

export type CursorValue = string | number | null

export interface Cursor {
  /** The sort the cursor was made for; reusing it under another sort is a client error. */
  sort: string
  /** Sort key of the last row (null sorts last). */
  key: CursorValue
  /** Tie-breaker: the unique id of the last row. */
  id: string
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.key, cursor.id]), 'utf8').toString('base64url')
}

export function decodeCursor(text: string, expectedSort: string): Cursor {
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'))
  } catch {
    throw invalidCursor()
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    typeof parsed[0] !== 'string' ||
    !(typeof parsed[1] === 'string' || typeof parsed[1] === 'number' || parsed[1] === null) ||
    typeof parsed[2] !== 'string'
  ) {
    throw invalidCursor()
  }
  if (parsed[0] !== expectedSort) {
    throw invalidCursor(`was made for sort '${parsed[0]}', not '${expectedSort}'`)
  }
  return { sort: parsed[0], key: parsed[1] as CursorValue, id: parsed[2] }
}
