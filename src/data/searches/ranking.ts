/**
 * The order of title hits. Lucene's score says how well a title matches, but a typo-tolerant
 * clause lets titles that merely look like a word in ("matrix" finds "Martin" and "Marie"), and
 * such a hit can outscore an exact one in a longer title. So a hit is classed by how each word of
 * the query met the movie's names (title, original title, other titles): exactly or as the start
 * of a word, or only within the typos allowed. Exact and prefix hits come first, by score; typo
 * hits follow, and those scoring less than FUZZY_FLOOR of the best hit are dropped, since a query
 * that found its movie does not need them and one that found nothing better keeps its best.
 */
import { searchTerms } from '../../lib/lucene.js'

/** A typo-only hit is kept when it scores at least this share of the best hit. */
export const FUZZY_FLOOR = 1 / 3

/** Candidates read per result asked for: enough room to reorder within. */
export const CANDIDATES_PER_RESULT = 3

export interface TitleHit {
  movie_id: string
  title: string | null
  year: number | null
  score: number
  popularity: number
  /** The other names the index searches beside the title. */
  original_title?: string | null
  aka_titles?: readonly string[] | null
}

export type HitClass = 'exact' | 'prefix' | 'fuzzy'

/** The words of the names, as the query's words are found (lower case, NFC). */
function nameWords(hit: TitleHit): string[] {
  const names = [hit.title, hit.original_title, ...(hit.aka_titles ?? [])]
  return names.flatMap((name) =>
    typeof name === 'string' ? searchTerms(name, Number.POSITIVE_INFINITY) : []
  )
}

/** The weakest way any word of the query met the hit's names. */
export function hitClass(terms: readonly string[], hit: TitleHit): HitClass {
  const words = nameWords(hit)
  let weakest: HitClass = 'exact'
  for (const term of terms) {
    if (words.includes(term)) continue
    if (!words.some((word) => word.startsWith(term))) return 'fuzzy'
    weakest = 'prefix'
  }
  return weakest
}

const byScore = (a: TitleHit, b: TitleHit): number =>
  b.score - a.score ||
  b.popularity - a.popularity ||
  (a.movie_id < b.movie_id ? -1 : a.movie_id > b.movie_id ? 1 : 0)

/** At most `limit` hits of `text`: exact and prefix hits by score, then the typo hits kept. */
export function rankHits<T extends TitleHit>(text: string, hits: readonly T[], limit: number): T[] {
  const terms = searchTerms(text)
  const best = hits.reduce((top, hit) => Math.max(top, hit.score), 0)
  const direct: T[] = []
  const fuzzy: T[] = []
  for (const hit of hits) {
    if (hitClass(terms, hit) !== 'fuzzy') direct.push(hit)
    else if (hit.score >= best * FUZZY_FLOOR) fuzzy.push(hit)
  }
  return [...direct.sort(byScore), ...fuzzy.sort(byScore)].slice(0, limit)
}
