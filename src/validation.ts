/**
 * Request validation with two Ajv instances: query strings, params and headers arrive as text
 * and are coerced to the schema's types; JSON bodies are taken as sent, so `"5"` or `null` for a
 * number is a 400 rather than a silent conversion. Unknown properties are never dropped quietly.
 */
import { Ajv } from 'ajv'
import type { Options } from 'ajv'
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

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? json : textual).compile(schema as object) as ReturnType<
    FastifySchemaCompiler<unknown>
  >
