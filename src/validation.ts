/**
 * Request validation with two Ajv instances: query strings, params and headers arrive as text
 * and are coerced to the schema's types; JSON bodies are taken as sent, so `"5"` or `null` for a
 * number is a 400 rather than a silent conversion. Unknown properties are never dropped quietly.
 */
import { Ajv } from 'ajv'
import type { Options, ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifySchemaCompiler } from 'fastify'

function makeAjv(options: Options): Ajv {
  const ajv = new Ajv({
    removeAdditional: false,
    useDefaults: true,
    allErrors: false,
    strict: false,
    ...options
  })
  addFormats.default(ajv)
  return ajv
}

const textual = makeAjv({ coerceTypes: 'array' })
const json = makeAjv({ coerceTypes: false })

const LONE_SURROGATE = /\p{Surrogate}/u

/** Where a JSON value holds a string (or key) with a lone surrogate, as a JSON pointer. */
export function loneSurrogateAt(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? path : undefined
  if (typeof value !== 'object' || value === null) return undefined
  for (const [key, item] of Object.entries(value)) {
    const at = `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`
    if (LONE_SURROGATE.test(key)) return at
    const found = loneSurrogateAt(item, at)
    if (found !== undefined) return found
  }
  return undefined
}

/**
 * JSON can carry a lone surrogate (`"\ud800"`) but Neo4j stores UTF-8, which cannot: the driver
 * would silently store U+FFFD instead. Such text is refused, so what is stored is what was sent.
 */
function wellFormedFirst(validate: ValidateFunction): ValidateFunction {
  const check = ((data: unknown, context?: Parameters<ValidateFunction>[1]) => {
    const at = loneSurrogateAt(data)
    if (at !== undefined) {
      check.errors = [
        {
          instancePath: at,
          schemaPath: '#',
          keyword: 'wellFormed',
          params: {},
          message: 'must be well-formed Unicode text (no lone surrogates)'
        }
      ]
      return false
    }
    const valid = validate(data, context)
    check.errors = validate.errors
    return valid
  }) as ValidateFunction
  return Object.assign(check, { schema: validate.schema, schemaEnv: validate.schemaEnv })
}

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) =>
  (httpPart === 'body'
    ? wellFormedFirst(json.compile(schema as object))
    : textual.compile(schema as object)) as ReturnType<FastifySchemaCompiler<unknown>>
