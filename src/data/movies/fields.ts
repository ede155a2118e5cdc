/**
 * Pure rules for the descriptive fields of a movie: the agreement of year and release_date, the
 * complete property map a create or replace writes, the subset a patch writes, and the Neo4j
 * types those values travel as.
 */
import { int } from '../../db/convert.js'
import type { ValidationError } from '../../errors.js'
import { violation } from '../../errors.js'
import type { MovieCreateBody, MoviePatchBody } from '../../schemas/movie.js'

/** What clients may write; every other property on the node belongs to the service. */
export const WRITABLE_FIELDS = [
  'tmdb_id',
  'imdb_id',
  'movielens_id',
  'title',
  'original_title',
  'overview',
  'release_date',
  'year',
  'runtime',
  'original_language',
  'popularity',
  'poster_path'
] as const
export type WritableField = (typeof WRITABLE_FIELDS)[number]

export type MovieFields = Required<{ [K in WritableField]: MovieCreateBody[K] | null }>
export type MovieFieldChanges = Partial<MovieFields>

/** Sent as Neo4j Integers; a JS number would otherwise arrive as a Float. */
const INTEGER_FIELDS: ReadonlySet<WritableField> = new Set(['tmdb_id', 'movielens_id', 'year', 'runtime'])

export function yearOf(releaseDate: string): number {
  return Number(releaseDate.slice(0, 4))
}

function disagreement(year: number, releaseDate: string): ValidationError {
  return violation('body', '/year', `${year} does not agree with release_date ${releaseDate}`)
}

/** The year to store when both are given at once: derived from the date, or checked against it. */
export function resolveYear(
  releaseDate: string | null | undefined,
  year: number | null | undefined
): number | null {
  if (releaseDate) {
    const derived = yearOf(releaseDate)
    if (year !== null && year !== undefined && year !== derived) throw disagreement(year, releaseDate)
    return derived
  }
  return year ?? null
}

/** Every writable field of a create or full replace; what the body leaves out is null. */
export function completeFields(body: MovieCreateBody): MovieFields {
  const out = {} as Record<WritableField, unknown>
  for (const field of WRITABLE_FIELDS) out[field] = body[field] ?? null
  out.title = body.title.trim()
  out.year = resolveYear(body.release_date, body.year)
  return out as MovieFields
}

/**
 * The fields a patch writes, given the stored ones. The stored pair must stay in agreement: a new
 * date brings its year along, a new year must match the date that will be stored, and the year
 * cannot be cleared while a date says what it is.
 */
export function patchFields(patch: MoviePatchBody, current: MovieFields): MovieFieldChanges {
  const set: Record<string, unknown> = {}
  for (const field of WRITABLE_FIELDS) {
    if (patch[field] !== undefined) set[field] = patch[field]
  }
  if (typeof set.title === 'string') set.title = set.title.trim()

  const dateGiven = patch.release_date !== undefined
  const finalDate = dateGiven ? (patch.release_date ?? null) : current.release_date
  if (patch.year !== undefined && patch.year !== null) {
    if (finalDate && yearOf(finalDate) !== patch.year) throw disagreement(patch.year, finalDate)
  } else if (patch.year === null) {
    if (finalDate) {
      throw violation('body', '/year', 'cannot be cleared while release_date is set')
    }
  } else if (dateGiven && finalDate) {
    set.year = yearOf(finalDate)
  }
  return set as MovieFieldChanges
}

/** True when writing `set` over `current` would change a stored value. */
export function changesAnything(set: MovieFieldChanges, current: MovieFields): boolean {
  return (Object.keys(set) as WritableField[]).some((k) => (set[k] ?? null) !== (current[k] ?? null))
}

/** Field values as Cypher parameters: integers as Neo4j Integers, dates still as 'YYYY-MM-DD'. */
export function toParams(fields: MovieFieldChanges): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(fields) as [WritableField, unknown][]) {
    out[key] = typeof value === 'number' && INTEGER_FIELDS.has(key) ? int(value) : value
  }
  return out
}
