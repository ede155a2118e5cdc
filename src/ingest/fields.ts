/**
 * The result type every ingestion parser returns, and the field checks they share. A parser never
 * throws on bad data: a row either becomes a clean value or a reason a person can act on.
 */

export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string }

export function ok<T>(value: T): ParseResult<T> {
  return { ok: true, value }
}

export function fail<T = never>(reason: string): ParseResult<T> {
  return { ok: false, reason }
}

/** Quotes a bad value for a reason, short enough that one huge field cannot flood the rejects file. */
export function show(value: unknown): string {
  if (typeof value === 'string') {
    return value.length > 50 ? `${JSON.stringify(value.slice(0, 50))}…` : JSON.stringify(value)
  }
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 60 ? `${text.slice(0, 59)}…` : text
}

const INTEGER = /^[+-]?\d+$/
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)$/

/** A non-empty (after trimming) text field of a CSV record. */
export function requiredText(
  record: Readonly<Record<string, string | undefined>>,
  name: string
): ParseResult<string> {
  const value = record[name]
  if (value === undefined || value.trim() === '') return fail(`missing field ${name}`)
  return ok(value.trim())
}

/** A whole number written in decimal digits, at least `min`; floats, hex and exponents are refused. */
export function integerText(text: string, name: string, min = 1): ParseResult<number> {
  if (!INTEGER.test(text)) return fail(`${name} must be an integer, got ${show(text)}`)
  const value = Number(text)
  if (!Number.isSafeInteger(value)) return fail(`${name} ${text} is too large`)
  if (value < min) return fail(`${name} must be at least ${min}, got ${text}`)
  return ok(value)
}

/** A plain decimal number such as `3.5`; `NaN`, `Infinity`, `1e3` and empty text are refused. */
export function decimalText(text: string, name: string): ParseResult<number> {
  if (!DECIMAL.test(text)) return fail(`${name} must be a number, got ${show(text)}`)
  return ok(Number(text))
}

/** Largest unix time (seconds) whose ISO form still has a four-digit year. */
const MAX_UNIX_SECONDS = 253_402_300_799

export function unixSecondsToIso(text: string, name: string): ParseResult<string> {
  const seconds = integerText(text, name, 0)
  if (!seconds.ok) return seconds
  if (seconds.value > MAX_UNIX_SECONDS) return fail(`${name} ${text} is after the year 9999`)
  return ok(new Date(seconds.value * 1000).toISOString())
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Parses one JSON line into an object, with the engine's own message as the detail. */
export function jsonObject(line: string): ParseResult<Record<string, unknown>> {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch (error) {
    return fail(`invalid JSON: ${error instanceof Error ? error.message : String(error)}`)
  }
  if (!isRecord(value))
    return fail(`expected a JSON object, got ${Array.isArray(value) ? 'an array' : show(value)}`)
  return ok(value)
}

export function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0
}

/** A JSON field that must be a positive integer (TMDB ids, counts written by people). */
export function positiveIntegerField(value: unknown, name: string): ParseResult<number> {
  if (value === undefined || value === null) return fail(`missing field ${name}`)
  if (!isPositiveInteger(value)) return fail(`${name} must be a positive integer, got ${show(value)}`)
  return ok(value)
}

/** An optional JSON number within [min, max]; absent and null both become null. */
export function optionalNumberField(
  value: unknown,
  name: string,
  range: { min: number; max?: number; integer?: boolean }
): ParseResult<number | null> {
  if (value === undefined || value === null) return ok(null)
  if (typeof value !== 'number' || !Number.isFinite(value))
    return fail(`${name} must be a number, got ${show(value)}`)
  if (range.integer && !Number.isInteger(value)) return fail(`${name} must be an integer, got ${value}`)
  if (value < range.min || (range.max !== undefined && value > range.max)) {
    return fail(`${name} ${value} is outside ${range.min}..${range.max ?? '∞'}`)
  }
  return ok(value)
}

/** An optional JSON string; absent, null and blank all become null. */
export function optionalStringField(value: unknown, name: string): ParseResult<string | null> {
  if (value === undefined || value === null) return ok(null)
  if (typeof value !== 'string') return fail(`${name} must be a string, got ${show(value)}`)
  const trimmed = value.trim()
  return ok(trimmed === '' ? null : trimmed)
}

export function requiredStringField(value: unknown, name: string): ParseResult<string> {
  const text = optionalStringField(value, name)
  if (!text.ok) return text
  if (text.value === null) return fail(`missing field ${name}`)
  return ok(text.value)
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** A calendar date `YYYY-MM-DD` that exists (no 2021-02-30). */
export function isoDate(text: string, name: string): ParseResult<{ date: string; year: number }> {
  const match = ISO_DATE.exec(text)
  if (!match) return fail(`${name} must be YYYY-MM-DD, got ${show(text)}`)
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const probe = new Date(Date.UTC(year, month - 1, day))
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) {
    return fail(`${name} ${text} is not a calendar date`)
  }
  return ok({ date: text, year })
}

// RFC 3339 timestamps with an explicit zone, as the Twitter API writes them.
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/

export function isoTimestamp(value: unknown, name: string): ParseResult<string> {
  if (value === undefined || value === null || value === '') return fail(`missing field ${name}`)
  if (typeof value !== 'string' || !TIMESTAMP.test(value)) {
    return fail(`${name} must be an ISO 8601 timestamp with a zone, got ${show(value)}`)
  }
  // Date.parse rolls 2021-02-30 over into March instead of refusing it.
  const day = isoDate(value.slice(0, 10), name)
  if (!day.ok) return fail(`${name} ${value} is not a calendar date`)
  const ms = Date.parse(value)
  if (Number.isNaN(ms)) return fail(`${name} ${value} is not a valid time`)
  return ok(new Date(ms).toISOString())
}
