/**
 * List parameters of the graph reads and relationship listings. They arrive comma-separated or repeated; the items
 * are checked here so that a 400 names the offending one and, for types, the allowed values. The
 * year range of the movie listing and of searches is checked here too.
 */
import { RELATIONSHIP_TYPES, isRelationshipType } from '../domain/relationship-types.js'
import type { RelationshipType } from '../domain/relationship-types.js'
import { violation } from '../errors.js'
import type { Violation } from '../errors.js'
import { Id, TRAVERSAL_BOUNDS } from '../schemas/common.js'

const ID_PATTERN = new RegExp((Id as unknown as { pattern: string }).pattern)
const ID_MAX_LENGTH = (Id as unknown as { maxLength: number }).maxLength

/** Splits on commas, trims, drops empty items and repeats (first occurrence kept). */
export function splitList(raw: readonly string[] | string | undefined): string[] {
  if (raw === undefined) return []
  const values = typeof raw === 'string' ? [raw] : raw
  const out: string[] = []
  for (const value of values) {
    for (const item of value.split(',')) {
      const trimmed = item.trim()
      if (trimmed !== '' && !out.includes(trimmed)) out.push(trimmed)
    }
  }
  return out
}

/** Relationship types from the allow-list; none given means every type. */
export function parseTypes(raw: readonly string[] | string | undefined, name = 'types'): RelationshipType[] {
  const items = splitList(raw)
  if (items.length === 0) return [...RELATIONSHIP_TYPES]
  if (items.length > RELATIONSHIP_TYPES.length) {
    throw violation(
      'querystring',
      `/${name}`,
      `names more than the ${RELATIONSHIP_TYPES.length} relationship types`
    )
  }
  const bad = items.filter((t) => !isRelationshipType(t))
  if (bad.length > 0) {
    throw violation(
      'querystring',
      `/${name}`,
      `${bad.map((t) => JSON.stringify(t)).join(', ')} ${bad.length === 1 ? 'is' : 'are'} not ` +
        `a relationship type; allowed: ${RELATIONSHIP_TYPES.join(', ')}`
    )
  }
  return items as RelationshipType[]
}

/** movie_ids, each a valid id, at most `max` of them. */
export function parseMovieIds(
  raw: readonly string[] | string | undefined,
  name: string,
  max: number = TRAVERSAL_BOUNDS.maxExclude
): string[] {
  const items = splitList(raw)
  if (items.length > max) {
    throw violation('querystring', `/${name}`, `lists ${items.length} movie ids; at most ${max} are allowed`)
  }
  const bad = items.filter((id) => id.length > ID_MAX_LENGTH || !ID_PATTERN.test(id))
  if (bad.length > 0) {
    throw violation('querystring', `/${name}`, `${JSON.stringify(bad[0])} is not a valid movie id`)
  }
  return items
}

/**
 * year_from after year_to matches nothing: a mistake to fix, not an empty page. The one check
 * of the rule for every route with a year range (`prefix` is where the range sits in a body).
 */
export function checkYearRange(
  range: { year_from?: number | undefined; year_to?: number | undefined },
  at: Violation['in'],
  prefix = ''
): void {
  if (range.year_from !== undefined && range.year_to !== undefined && range.year_from > range.year_to) {
    throw violation(at, `${prefix}/year_from`, 'must not be after year_to')
  }
}
