/**
 * A stored similar list with the deleted movies taken out. The three stored arrays run entry for
 * entry (similar_ids, similar_scores, and the JSON `similar`), so an entry goes from all three or
 * from none; a list whose arrays are already out of step cannot be mended and is dropped whole,
 * as is one left empty (a rebuild finds the movie by its missing list and scores it again).
 */

export interface StoredList {
  movie_id: string
  ids: string[]
  scores: number[] | null
  list: string | null
  dead: string[]
}

export interface RepairedList {
  movie_id: string
  /** Null: the list is removed. */
  ids: string[] | null
  scores: number[] | null
  list: string | null
}

function parseEntries(list: string | null): unknown[] | null | undefined {
  if (list === null) return null
  try {
    const parsed: unknown = JSON.parse(list)
    return Array.isArray(parsed) ? parsed : undefined
  } catch {
    return undefined
  }
}

export function repairList(stored: StoredList): RepairedList {
  const drop = { movie_id: stored.movie_id, ids: null, scores: null, list: null }
  const { ids, scores } = stored
  // undefined: `similar` is there but unreadable; null: the movie has no JSON list at all.
  const entries = parseEntries(stored.list)
  if (scores === null || scores.length !== ids.length) return drop
  if (entries === undefined || (entries !== null && entries.length !== ids.length)) return drop
  const dead = new Set(stored.dead)
  const keep = ids.map((id, i) => (dead.has(id) ? -1 : i)).filter((i) => i >= 0)
  if (keep.length === 0) return drop
  return {
    movie_id: stored.movie_id,
    ids: keep.map((i) => ids[i] as string),
    scores: keep.map((i) => scores[i] as number),
    list: entries === null ? null : JSON.stringify(keep.map((i) => entries[i]))
  }
}
