/**
 * Requests for property-based tests, generated from the OpenAPI document the routes publish:
 * every path, query and body field gets values shaped like its schema but hostile in content
 * (injection syntax, unicode edge cases, lengths and numbers at and past the bounds), and now
 * and then values that break the schema outright (wrong types, unknown keys, deep nesting,
 * huge strings, malformed JSON).
 *
 * Free text carries a placeholder that the test replaces with a marker naming the case, so what
 * a request managed to store can be found in the graph afterwards.
 */
import fc from 'fast-check'
import type { InjectOptions } from 'fastify'

/** Replaced by the case marker before a request is sent. */
export const PLACEHOLDER = '\u{E000}'
/** Length of the marker that replaces the placeholder (see `markerFor`). */
export const MARKER_LENGTH = 16

export function markerFor(run: string, caseNo: number): string {
  return `fz${run}c${String(caseNo).padStart(7, '0')}`
}

export interface JsonSchema {
  type?: string | string[]
  enum?: unknown[]
  const?: unknown
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  properties?: Record<string, JsonSchema>
  required?: string[]
  additionalProperties?: boolean | JsonSchema
  items?: JsonSchema
  minItems?: number
  maxItems?: number
  minLength?: number
  maxLength?: number
  pattern?: string
  format?: string
  minimum?: number
  maximum?: number
}

export interface Operation {
  method: string
  /** OpenAPI form: /movies/{movie_id} */
  path: string
  pathParams: Array<{ name: string; schema: JsonSchema }>
  queryParams: Array<{ name: string; schema: JsonSchema; required: boolean }>
  body?: JsonSchema
}

interface OpenApiParameter {
  in: string
  name: string
  required?: boolean
  schema: JsonSchema
}

interface OpenApiOperation {
  parameters?: OpenApiParameter[]
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> }
}

/** Every operation of an OpenAPI document with the schemas of its inputs. */
export function operationsOf(doc: { paths: Record<string, Record<string, OpenApiOperation>> }): Operation[] {
  const out: Operation[] = []
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const params = op.parameters ?? []
      out.push({
        method: method.toUpperCase(),
        path,
        pathParams: params.filter((p) => p.in === 'path').map((p) => ({ name: p.name, schema: p.schema })),
        queryParams: params
          .filter((p) => p.in === 'query')
          .map((p) => ({ name: p.name, schema: p.schema, required: p.required === true })),
        ...(op.requestBody?.content?.['application/json']?.schema
          ? { body: op.requestBody.content['application/json'].schema }
          : {})
      })
    }
  }
  return out
}

// --- hostile values --------------------------------------------------------------------------

export const INJECTIONS = [
  "'}) MATCH (n) DETACH DELETE n //",
  '"}) MATCH (n) DETACH DELETE n //',
  '`) DETACH DELETE n //',
  "' OR 1=1 //",
  '" OR ""="',
  "x' }) CALL db.labels() YIELD label RETURN label //",
  'MATCH (n) RETURN n',
  'CREATE (:Pwned {at: timestamp()})',
  ']->(x) DELETE x //',
  'SIMILAR_TO|IN_GENRE',
  'SEQUEL_OF]-(x) DETACH DELETE x //',
  ':Movie',
  '$movie_id',
  '$(touch /tmp/pwned)',
  '${7*7}',
  '{{7*7}}',
  '`whoami`',
  '\\',
  "\\'",
  '/* */',
  '// comment',
  '*:*',
  'title:(godfather OR x)~2',
  '"unterminated',
  'a AND NOT b',
  '+-&&||!(){}[]^"~*?:\\/',
  'fo*',
  '?',
  '~',
  '<script>alert(1)</script>',
  "'; DROP TABLE movies; --",
  '../../etc/passwd',
  '%00',
  '%s%n',
  '__proto__',
  'constructor',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '0x1F'
]

export const UNICODE = [
  '\u202E\u0635\u0648\u0631\u0629', // right-to-left override, Arabic
  '\u05E9\u05DC\u05D5\u05DD', // Hebrew
  'a\u200Bb\u200Cc\u200Dd', // zero-width space, non-joiner, joiner
  '\uFEFF',
  '\uD800', // lone high surrogate
  '\uDFFF', // lone low surrogate
  'x\uDBFFy',
  'e\u0301\u0301\u0301',
  '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}',
  '\u{1F3AC}',
  '\u0000',
  '\u0007\u001B[31m',
  '\u0085\u2028\u2029',
  '\u00A0\u3000',
  'İıẞß',
  'Ｆｕｌｌ',
  '\uFFFD\uFFFF'
]

const NAN_ISH = [
  'NaN',
  'Infinity',
  '-Infinity',
  '1e309',
  '-1e309',
  '0x10',
  '1_000',
  ' 5',
  '5 ',
  '+5',
  '٥',
  '1,2',
  '',
  '-0',
  '1e-400',
  '9'.repeat(400)
]

/**
 * Stand-ins for values too big for fast-check to print in a counterexample; `substitute` turns
 * them into the real thing just before sending.
 */
export class Deep {
  constructor(readonly depth: number) {}
  expand(): unknown {
    let value: unknown = PLACEHOLDER
    for (let i = 0; i < this.depth; i++) value = i % 2 === 0 ? [value] : { a: value }
    return value
  }
  toString(): string {
    return `Deep(${this.depth})`
  }
}

export class Huge {
  constructor(readonly length: number) {}
  expand(): string {
    return PLACEHOLDER + 'x'.repeat(this.length)
  }
  toString(): string {
    return `Huge(${this.length})`
  }
}

const withPlaceholder = (text: string): fc.Arbitrary<string> =>
  fc.constantFrom(PLACEHOLDER + text, text + PLACEHOLDER, PLACEHOLDER + ' ' + text + ' ' + PLACEHOLDER)

const hostileText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...INJECTIONS).chain(withPlaceholder),
  fc.constantFrom(...UNICODE).chain(withPlaceholder),
  fc
    .array(fc.constantFrom(...INJECTIONS, ...UNICODE), { minLength: 2, maxLength: 5 })
    .map((parts) => PLACEHOLDER + parts.join('')),
  fc.string({ unit: 'binary', maxLength: 40 }).map((s) => PLACEHOLDER + s),
  fc.string({ unit: 'grapheme', maxLength: 40 }).map((s) => s + PLACEHOLDER)
)

/** Any JSON whose strings are all marked, so whatever of it gets stored can be found. */
const anyJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom<unknown>(null, true, false),
    fc.double(),
    hostileText,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 8 }), tie('value'), { maxKeys: 4 })
  )
})).value

/** Values of the wrong kind for almost any field. */
export const violating: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, '', [], {}, [null], { $ne: null }, { '': '' }),
  anyJson,
  fc.integer({ min: 50, max: 1_000 }).map((n) => new Deep(n)),
  fc.constantFrom(20_000, 200_000, 2_000_000).map((n) => new Huge(n)),
  hostileText
)

// --- from schema to values -------------------------------------------------------------------

/**
 * valid: inside every bound, hostile only where any text is allowed, so requests get past
 * validation into the handlers and the database; shaped: the schema's types with values at and
 * past its bounds; wild: like shaped, with some leaves and bodies of the wrong kind altogether.
 */
export type Mode = 'valid' | 'shaped' | 'wild'

/** In a `u` pattern a surrogate pair is one code point, so only an unpaired half matches. */
const LONE_SURROGATE = /\p{Cs}/u

/**
 * Ids that other data owns must never be written by a fuzzed request: valid TMDB-style ids are
 * drawn from a range no fixture, demo or other test's movie uses.
 */
function isExternalId(s: JsonSchema): boolean {
  return s.minimum === 1 && s.maximum === 2_147_483_647
}

function numberArb(s: JsonSchema, integer: boolean, mode: Mode): fc.Arbitrary<number> {
  const lo = s.minimum ?? -1_000_000
  const hi = s.maximum ?? 1_000_000
  const external = isExternalId(s)
  const inside = external
    ? fc.integer({ min: 2_120_000_000, max: hi })
    : integer
      ? fc.integer({ min: Math.max(lo, -2_000_000_000), max: Math.min(hi, 2_000_000_000) })
      : fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true })
  const bounds = external ? [] : [lo, hi]
  if (mode === 'valid') return bounds.length > 0 ? fc.oneof(inside, fc.constantFrom(...bounds)) : inside
  const past = [lo - 1, hi + 1, hi + 0.5, lo - 0.001, -1, 0.5, -0, 2 ** 31, 2 ** 53 + 2, 1e21, -1e21]
  return fc.oneof(
    { weight: 2, arbitrary: inside },
    fc.constantFrom(...bounds, ...past),
    fc.constantFrom(Number.MAX_VALUE, Number.MIN_VALUE, -Number.MAX_VALUE)
  )
}

/** Cut or pad to the schema's length bounds (counted in UTF-16 units, as Ajv does not). */
function clip(text: string, min: number, max: number): string {
  const chars = [...text]
  const cut = chars.length > max ? chars.slice(0, max) : chars
  return cut.join('') + 'x'.repeat(Math.max(0, min - cut.length))
}

/**
 * `text` cut to the length bounds where it still matches `pattern`: a cut at the bound alone can
 * end it mid-pattern (a trailing separator). The longest such cut, else the plain one.
 */
function fitted(text: string, pattern: RegExp, min: number, max: number): string {
  const chars = [...text]
  for (let length = Math.min(chars.length, max); length >= Math.max(min, 1); length--) {
    const cut = chars.slice(0, length).join('')
    if (pattern.test(cut)) return cut
  }
  return clip(text, min, max)
}

const VALID_DATES = ['2001-02-03', '2024-02-29', '1870-01-01', '2100-12-31']
const VALID_DATE_TIMES = [
  '2024-01-01T00:00:00Z',
  '2024-01-01T00:00:00.123456789+05:30',
  '1970-01-01T00:00:00-12:00',
  '2099-12-31T23:59:59.999Z'
]

function stringArb(s: JsonSchema, mode: Mode): fc.Arbitrary<string> {
  const max = s.maxLength ?? 1_000
  const min = s.minLength ?? 0
  let matching: fc.Arbitrary<string> | undefined
  if (s.pattern) {
    try {
      const generated = fc.stringMatching(new RegExp(s.pattern))
      // The marker is letters and digits: it keeps ids and unanchored patterns valid.
      const markable = s.pattern.startsWith('^[A-Za-z0-9]') || !s.pattern.startsWith('^')
      matching = markable ? generated.map((v) => PLACEHOLDER + v) : generated
    } catch {
      // fast-check cannot generate from every pattern (lookaheads); the other options remain.
    }
  }
  if (mode === 'valid') {
    if (s.format === 'date') return fc.constantFrom(...VALID_DATES)
    if (s.format === 'date-time') return fc.constantFrom(...VALID_DATE_TIMES)
    if (s.format === 'uri') return fc.constant(`https://example.test/${PLACEHOLDER}?q=%27%22%60$(x)`)
    if (matching) {
      const pattern = new RegExp(s.pattern!)
      return matching.map((v) => fitted(v, pattern, min, max))
    }
    // Free text (or a pattern fast-check cannot follow): printable injection syntax fits both.
    // Text with a lone surrogate breaks a rule of the API's own (well-formed Unicode), not the
    // schema's, so a valid request never carries one.
    const text = s.pattern ? fc.constantFrom(...INJECTIONS).chain(withPlaceholder) : hostileText
    return text.map((v) => clip(v, Math.max(min, 1), max)).filter((v) => !LONE_SURROGATE.test(v))
  }
  const lengths = [...new Set([min - 1, min, max, max + 1])].filter((n) => n >= 0)
  const options: Array<fc.Arbitrary<string>> = [
    hostileText,
    fc
      .constantFrom(...lengths)
      // Too short for the marker: blanks, which no free-text field accepts on its own.
      .map((n) => (n >= MARKER_LENGTH ? PLACEHOLDER + 'x'.repeat(n - MARKER_LENGTH) : ' '.repeat(n)))
  ]
  if (matching) options.push(matching)
  if (!s.pattern) options.push(fc.string({ maxLength: Math.min(max, 50) }).map((v) => PLACEHOLDER + v))
  if (s.format === 'date') {
    options.push(
      fc.constantFrom(...VALID_DATES, '2023-02-29', '1869-12-31', '2101-01-01', '0000-00-00', '2001-2-3')
    )
  }
  if (s.format === 'date-time') {
    options.push(
      fc.constantFrom(
        ...VALID_DATE_TIMES,
        '2016-12-31T23:59:60Z',
        '2024-01-01T24:00:00Z',
        '2024-13-01T00:00:00Z',
        '9999-12-31T23:59:59Z',
        '0001-01-01T00:00:00Z',
        '2024-01-01T00:00:00Z[Europe/Paris]',
        '2024-01-01'
      )
    )
  }
  if (s.format === 'uri') {
    options.push(
      fc.constantFrom(
        'javascript:alert(1)',
        'data:text/html,x',
        'http://',
        'https://a.test/' + PLACEHOLDER,
        'https://a.test/' + 'x'.repeat(3_000)
      )
    )
  }
  return fc.oneof(...options)
}

/**
 * A value for the schema in the given mode. With `fixtures`, valid objects take known values for
 * properties named like them now and then, so valid bodies reach stored data (a selection names
 * a movie that exists, a body tmdb_id matches the path's): name only properties that refer to
 * data, not ones that name what a request creates (a known review_id is a 409).
 */
export function valueArb(s: JsonSchema, mode: Mode, fixtures?: FixtureValues): fc.Arbitrary<unknown> {
  const shaped = shapedArb(s, mode, fixtures)
  return mode === 'wild'
    ? fc.oneof({ weight: 6, arbitrary: shaped }, { weight: 1, arbitrary: violating })
    : shaped
}

function shapedArb(s: JsonSchema, mode: Mode, fixtures?: FixtureValues): fc.Arbitrary<unknown> {
  const hostile = mode !== 'valid'
  if (s.const !== undefined)
    return hostile ? fc.oneof(fc.constant(s.const), hostileText) : fc.constant(s.const)
  if (s.enum) {
    const allowed = fc.constantFrom(...s.enum)
    return hostile ? fc.oneof({ weight: 3, arbitrary: allowed }, hostileText) : allowed
  }
  const branches = s.anyOf ?? s.oneOf
  if (branches) return fc.oneof(...branches.map((b) => valueArb(b, mode, fixtures)))
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : []
  if (types.length > 1) return fc.oneof(...types.map((t) => shapedArb({ ...s, type: t }, mode, fixtures)))
  switch (types[0]) {
    case 'string':
      return stringArb(s, mode)
    case 'integer':
      return numberArb(s, true, mode)
    case 'number':
      return numberArb(s, false, mode)
    case 'boolean':
      return fc.boolean()
    case 'null':
      return fc.constant(null)
    case 'array':
      return fc.array(valueArb(s.items ?? {}, mode), {
        minLength: hostile ? 0 : (s.minItems ?? 0),
        maxLength: hostile ? Math.min((s.maxItems ?? 5) + 1, 25) : Math.min(s.maxItems ?? 5, 5)
      })
    case 'object':
      return objectArb(s, mode, fixtures)
    default:
      return anyJson
  }
}

function objectArb(s: JsonSchema, mode: Mode, fixtures?: FixtureValues): fc.Arbitrary<unknown> {
  const properties = s.properties ?? {}
  const required = s.required ?? []
  const model: Record<string, fc.Arbitrary<unknown>> = {}
  for (const [key, schema] of Object.entries(properties)) {
    const generated = valueArb(schema, mode, fixtures)
    const known = mode === 'valid' ? fixtures?.[key] : undefined
    const types = Array.isArray(schema.type) ? schema.type : [schema.type]
    const numeric = types.includes('integer') || types.includes('number')
    model[key] =
      known && known.length > 0
        ? fc.oneof(
            { weight: 3, arbitrary: fc.constantFrom(...known.map((v) => (numeric ? Number(v) : v))) },
            { weight: 1, arbitrary: generated }
          )
        : generated
  }
  const record = fc.record(model, { requiredKeys: required.filter((k) => k in model) })
  if (mode !== 'wild') return record
  const keys = fc.constantFrom('extra', '__proto__', 'constructor', '$where', 'movie_id', PLACEHOLDER)
  return fc
    .tuple(
      record,
      required.length > 0 ? fc.option(fc.constantFrom(...required), { freq: 8 }) : fc.constant(null),
      fc.option(fc.tuple(keys, violating), { freq: 8 })
    )
    .map(([value, drop, extra]) => {
      const out: Record<string, unknown> = { ...(value as Record<string, unknown>) }
      if (drop !== null) delete out[drop]
      if (extra !== null) {
        Object.defineProperty(out, extra[0], {
          value: extra[1],
          enumerable: true,
          writable: true,
          configurable: true
        })
      }
      return out
    })
}

// --- whole requests --------------------------------------------------------------------------

export type Body =
  { kind: 'none' } | { kind: 'json'; value: unknown } | { kind: 'raw'; text: string; contentType: string }

export interface FuzzRequest {
  mode: Mode
  path: Record<string, string>
  query: Array<[string, string]>
  body: Body
}

const RAW_BODIES: Array<[string, string]> = [
  ['{"score": NaN}', 'application/json'],
  ['{"score": 1e999}', 'application/json'],
  ['{"title": "a", "title": "b"}', 'application/json'],
  ['{"__proto__": {"polluted": true}, "title": "x"}', 'application/json'],
  ['{"constructor": {"prototype": {"polluted": true}}}', 'application/json'],
  ['{"title": "unterminated', 'application/json'],
  ['', 'application/json'],
  ['null', 'application/json'],
  ['[]', 'application/json'],
  ['"just a string"', 'application/json'],
  ['{"title": "x"}', 'text/plain'],
  ['title=x&movie_id=y', 'application/x-www-form-urlencoded'],
  ['{"title": "x"}', 'application/json; charset=utf-16'],
  ['\u0000\u0001\u0002', 'application/octet-stream'],
  [`{"title": "${PLACEHOLDER}\\ud800"}`, 'application/json']
]

/** A query or path value as text, the way a client would put it in a URL. */
function asText(value: unknown): string {
  if (typeof value === 'string') return value
  if (value instanceof Deep || value instanceof Huge) return value.toString()
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value)
  return JSON.stringify(value) ?? ''
}

function forgedCursor(): fc.Arbitrary<string> {
  const sort = fc.constantFrom(
    'title:asc',
    'year:desc',
    'created:asc',
    'rating:desc',
    'name',
    'time',
    'type/direction',
    PLACEHOLDER
  )
  const key = fc.oneof(hostileText, numberArb({}, false, 'shaped'), fc.constant(null), violating)
  const id = fc.oneof(hostileText, violating)
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value) ?? '').toString('base64url')
  return fc.oneof(
    fc.tuple(sort, key, id).map(encode),
    fc.array(fc.oneof(sort, key, id), { maxLength: 5 }).map(encode),
    hostileText,
    fc.string({ unit: 'binary', maxLength: 600 }).map((s) => Buffer.from(s).toString('base64url'))
  )
}

export interface FixtureValues {
  /** Known values per parameter name, so requests reach stored data and not only 404s. */
  [name: string]: string[]
}

function paramArb(
  name: string,
  schema: JsonSchema,
  fixtures: FixtureValues,
  mode: Mode
): fc.Arbitrary<unknown> {
  if (name === 'cursor') return forgedCursor()
  const known = fixtures[name]
  const generated = valueArb(schema, mode)
  if (!known || known.length === 0) return generated
  return fc.oneof({ weight: mode === 'valid' ? 3 : 1, arbitrary: fc.constantFrom(...known) }, generated)
}

const MALFORMED_SEGMENTS = ['..', '%zz', '%', '.', ' ', '%2F', '%00']

/** A path with a dot segment is resolved to another path before routing: it is not the operation's. */
export function leavesThePath(req: FuzzRequest): boolean {
  return Object.values(req.path).some((segment) => segment === '.' || segment === '..')
}

/**
 * `pathSets` are path parameters that belong together (a movie with the rating a user gave it,
 * an edge's start, type and end): valid requests mostly take one of them, so every route gets
 * requests that name something that exists, not only values that each exist on their own.
 * `bodyFixtures` are known values for body properties that refer to stored data; `only` limits
 * the requests to the given modes.
 */
export function requestArb(
  op: Operation,
  fixtures: FixtureValues,
  pathSets: Array<Record<string, string>> = [],
  bodyFixtures: FixtureValues = {},
  only?: Mode[]
): fc.Arbitrary<FuzzRequest> {
  const modes = only
    ? fc.constantFrom(...only)
    : fc.oneof(
        { weight: 4, arbitrary: fc.constant<Mode>('valid') },
        { weight: 3, arbitrary: fc.constant<Mode>('shaped') },
        { weight: 3, arbitrary: fc.constant<Mode>('wild') }
      )
  return modes.chain((mode) => {
    const segment = (p: { name: string; schema: JsonSchema }) => {
      const value = paramArb(p.name, p.schema, fixtures, mode).map(asText)
      return mode === 'wild'
        ? fc.oneof({ weight: 4, arbitrary: value }, fc.constantFrom(...MALFORMED_SEGMENTS))
        : value
    }
    const generatedPath = fc.record(
      Object.fromEntries(op.pathParams.map((p) => [p.name, segment(p)]))
    ) as fc.Arbitrary<Record<string, string>>
    const sets = pathSets.filter((set) => op.pathParams.every((p) => set[p.name] !== undefined))
    const path =
      mode === 'valid' && op.pathParams.length > 0 && sets.length > 0
        ? fc.oneof(
            { weight: 3, arbitrary: fc.constantFrom(...sets) },
            { weight: 1, arbitrary: generatedPath }
          )
        : generatedPath
    const pairs = (name: string, value: unknown): Array<[string, string]> =>
      Array.isArray(value) ? value.map((x) => [name, asText(x)]) : [[name, asText(value)]]
    const params = op.queryParams.map((p) => {
      const value = paramArb(p.name, p.schema, fixtures, mode).map((v) => pairs(p.name, v))
      const nanIsh = fc.constantFrom(...NAN_ISH).map((v) => pairs(p.name, v))
      const freq = mode === 'valid' ? (p.required ? 100 : 2) : p.required ? 6 : 2
      return fc.option(mode === 'valid' ? value : fc.oneof(value, nanIsh), { freq })
    })
    const extraKeys = fc.constantFrom(
      'unknown',
      '__proto__',
      'constructor[prototype]',
      'limit[]',
      'sort[$ne]',
      PLACEHOLDER
    )
    const extra =
      mode === 'wild' ? fc.option(fc.tuple(extraKeys, hostileText), { freq: 3 }) : fc.constant(null)
    const query = fc.tuple(fc.tuple(...params), extra).map(([parts, more]) => {
      const flat = parts.flatMap((p) => p ?? [])
      return more ? [...flat, more] : flat
    })
    const json = (value: unknown): Body => ({ kind: 'json', value })
    const body: fc.Arbitrary<Body> = !op.body
      ? fc.constant<Body>({ kind: 'none' })
      : mode === 'wild'
        ? fc.oneof(
            { weight: 5, arbitrary: valueArb(op.body, 'wild', bodyFixtures).map(json) },
            { weight: 1, arbitrary: violating.map(json) },
            {
              weight: 1,
              arbitrary: fc
                .constantFrom(...RAW_BODIES)
                .map(([text, contentType]): Body => ({ kind: 'raw', text, contentType }))
            }
          )
        : valueArb(op.body, mode, bodyFixtures).map(json)
    const request = fc.record({ mode: fc.constant(mode), path, query, body })
    return mode === 'valid' ? request.map(keepStatedRules) : request
  })
}

/**
 * The rules between fields that a JSON schema cannot express, as the API states them in its
 * parameter and body descriptions: a valid request keeps them too, so that it can succeed.
 */
export function keepStatedRules(req: FuzzRequest): FuzzRequest {
  const query = [...req.query]
  const from = query.findIndex(([name]) => name === 'year_from')
  const to = query.findIndex(([name]) => name === 'year_to')
  if (from >= 0 && to >= 0 && Number(query[from]![1]) > Number(query[to]![1])) {
    // year_from must not be after year_to.
    ;[query[from], query[to]] = [
      ['year_from', query[to]![1]],
      ['year_to', query[from]![1]]
    ]
  }
  const value = req.body.kind === 'json' ? req.body.value : undefined
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ...req, query }
  const body = { ...(value as Record<string, unknown>) }
  // A body tmdb_id must be the path's.
  if (body.tmdb_id !== undefined && req.path.tmdb_id !== undefined) body.tmdb_id = Number(req.path.tmdb_id)
  // A year must agree with the release date.
  if (typeof body.release_date === 'string' && typeof body.year === 'number') {
    body.year = Number(body.release_date.slice(0, 4))
  }
  return { ...req, query, body: { kind: 'json', value: body } }
}

// --- sending ---------------------------------------------------------------------------------

/** Every string (and key) with the placeholder replaced. */
export function substitute<T>(value: T, marker: string): T {
  if (value instanceof Deep || value instanceof Huge) return substitute(value.expand(), marker) as T
  if (typeof value === 'string') return value.split(PLACEHOLDER).join(marker) as T
  if (Array.isArray(value)) return value.map((v: unknown) => substitute(v, marker)) as T
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) {
      Object.defineProperty(out, substitute(k, marker), {
        value: substitute(v, marker),
        enumerable: true,
        writable: true,
        configurable: true
      })
    }
    return out as T
  }
  return value
}

function hex(byte: number): string {
  return `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
}

/**
 * Percent-encoding that also carries lone surrogates, as the (invalid) UTF-8 bytes a careless
 * client would send; `encodeURIComponent` refuses them. Values that already look encoded are
 * left as they are, so malformed escapes reach the server.
 */
export function encodeLoose(text: string): string {
  if (/^%[0-9A-Za-z]{0,2}$/.test(text)) return text
  let out = ''
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number
    out +=
      cp >= 0xd800 && cp <= 0xdfff
        ? hex(0xed) + hex(0xa0 | ((cp >> 6) & 0x1f)) + hex(0x80 | (cp & 0x3f))
        : encodeURIComponent(ch)
  }
  return out
}

export function toInject(op: Operation, req: FuzzRequest): InjectOptions & { url: string; payload?: string } {
  const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeLoose(req.path[name] ?? ''))
  const query = req.query.map(([k, v]) => `${encodeLoose(k)}=${encodeLoose(v)}`).join('&')
  const url = query ? `${path}?${query}` : path
  const method = op.method as NonNullable<InjectOptions['method']>
  if (req.body.kind === 'none') return { method, url }
  if (req.body.kind === 'raw') {
    return { method, url, payload: req.body.text, headers: { 'content-type': req.body.contentType } }
  }
  return {
    method,
    url,
    payload: JSON.stringify(req.body.value) ?? 'null',
    headers: { 'content-type': 'application/json' }
  }
}
