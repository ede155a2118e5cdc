/**
 * The one place where Neo4j driver values become plain JSON-ready values.
 * Integers outside the safe range are an error rather than a silent loss of precision;
 * temporal values become ISO-8601 strings.
 */
import neo4j from 'neo4j-driver'
import type { Record as Neo4jRecord } from 'neo4j-driver'

export type Plain = null | boolean | number | string | Plain[] | { [key: string]: Plain }

export class UnsafeIntegerError extends Error {
  constructor(value: string) {
    super(`Neo4j integer ${value} is outside the range a JSON number can hold exactly`)
  }
}

export function toPlain(value: unknown): Plain {
  if (value === null || value === undefined) return null
  if (typeof value === 'string' || typeof value === 'boolean') return value
  if (typeof value === 'number') return value
  if (typeof value === 'bigint') {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new UnsafeIntegerError(value.toString())
    }
    return Number(value)
  }
  if (neo4j.isInt(value)) {
    if (!neo4j.integer.inSafeRange(value)) throw new UnsafeIntegerError(value.toString())
    return value.toNumber()
  }
  if (neo4j.isDate(value)) return value.toString()
  if (neo4j.isDateTime(value)) return dateTimeToIso(value)
  if (neo4j.isLocalDateTime(value) || neo4j.isTime(value) || neo4j.isLocalTime(value)) {
    return value.toString()
  }
  if (neo4j.isDuration(value)) return value.toString()
  if (neo4j.isNode(value) || neo4j.isRelationship(value)) return toPlain(value.properties)
  if (Array.isArray(value)) return value.map(toPlain)
  if (typeof value === 'object') {
    const out: { [key: string]: Plain } = {}
    for (const [k, v] of Object.entries(value as object)) out[k] = toPlain(v)
    return out
  }
  throw new TypeError(`Unsupported Neo4j value of type ${typeof value}`)
}

/** DateTime with a zone offset → UTC ISO string with milliseconds, the form the API speaks. */
function dateTimeToIso(value: InstanceType<typeof neo4j.types.DateTime>): string {
  if (value.timeZoneOffsetSeconds === undefined || value.timeZoneOffsetSeconds === null) {
    return value.toString()
  }
  return value.toStandardDate().toISOString()
}

export function recordToPlain<T>(record: Neo4jRecord): T {
  return toPlain(record.toObject()) as T
}

/** Values going in: integers the schema calls Integer must be sent as Neo4j Integers, not floats. */
export function int(value: number): ReturnType<typeof neo4j.int> {
  return neo4j.int(value)
}
