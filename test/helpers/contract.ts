/**
 * The API contract as clients check it, with tools nobody here wrote: openapi-typescript turns
 * the OpenAPI document into types, tsc checks a program that calls the API through openapi-fetch
 * with them, and Redocly lints the document with its recommended rules. Also: the schema of one
 * response of the document, compiled with Ajv, for tests that check bodies against it.
 */
import { execFile } from 'node:child_process'
import { mkdir, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { Ajv } from 'ajv'
import type { ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import openapiTS, { astToString } from 'openapi-typescript'
import type { OpenAPI3 } from 'openapi-typescript'
import { PROJECT_ROOT } from '../../src/project-root.js'

const run = promisify(execFile)
const BIN = join(PROJECT_ROOT, 'node_modules', '.bin')

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>
  components?: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, unknown> }
  servers?: Array<{ url: string }>
  [key: string]: unknown
}

export interface OpenApiOperation {
  operationId?: string
  security?: Array<Record<string, string[]>>
  parameters?: Array<{ in: string; name: string; required?: boolean; schema?: Record<string, unknown> }>
  requestBody?: { required?: boolean; content?: Record<string, { schema?: unknown }> }
  responses: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>
}

export interface Outcome {
  code: number
  output: string
}

async function outcome(
  file: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}
) {
  try {
    const { stdout, stderr } = await run(file, args, { maxBuffer: 64 * 1024 * 1024, ...options })
    return { code: 0, output: stdout + stderr }
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string; stderr?: string }
    return { code: typeof e.code === 'number' ? e.code : 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` }
  }
}

/**
 * A directory a client program can live in: ESM, strict TypeScript, and the project's
 * node_modules (openapi-fetch, @types/node) linked in as a client project would install them.
 */
export async function clientProject(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true })
  await symlink(join(PROJECT_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir')
  await writeFile(join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }))
  await writeFile(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        lib: ['ES2023', 'DOM'],
        types: ['node'],
        strict: true,
        noUncheckedIndexedAccess: true,
        skipLibCheck: true,
        noEmit: true
      },
      include: ['*.ts']
    })
  )
}

/** openapi-typescript's types for the document, as `schema.d.ts` in `dir`. */
export async function generateClientTypes(doc: OpenApiDocument, dir: string): Promise<string> {
  const ast = await openapiTS(structuredClone(doc) as unknown as OpenAPI3)
  const file = join(dir, 'schema.d.ts')
  await writeFile(file, astToString(ast))
  return file
}

/** `tsc --noEmit` over the client project in `dir`. */
export function typeCheck(dir: string): Promise<Outcome> {
  return outcome(join(BIN, 'tsc'), ['--noEmit', '-p', join(dir, 'tsconfig.json')], { cwd: dir })
}

/** Runs a TypeScript program of the client project (through tsx, as a client's script would). */
export function runProgram(dir: string, file: string, env: Record<string, string>): Promise<Outcome> {
  return outcome(join(BIN, 'tsx'), [join(dir, file)], { cwd: dir, env: { ...process.env, ...env } })
}

export interface LintReport {
  errors: number
  warnings: number
  /** `ruleId: message` of every problem. */
  problems: Array<{ ruleId: string; severity: string; message: string }>
}

/** Redocly's recommended rules over a document file. */
export async function lint(file: string): Promise<LintReport> {
  const { output } = await outcome(
    join(BIN, 'redocly'),
    ['lint', '--extends', 'recommended', '--format', 'json', file],
    {
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' }
    }
  )
  const json = output.slice(output.indexOf('{'), output.lastIndexOf('}') + 1)
  const report = JSON.parse(json) as {
    totals: { errors: number; warnings: number }
    problems: Array<{ ruleId: string; severity: string; message: string }>
  }
  return {
    errors: report.totals.errors,
    warnings: report.totals.warnings,
    problems: report.problems.map(({ ruleId, severity, message }) => ({ ruleId, severity, message }))
  }
}

/** The schema with every `#/components/schemas/...` reference replaced by what it names. */
export function inlineRefs(schema: unknown, doc: OpenApiDocument): unknown {
  if (Array.isArray(schema)) return schema.map((s) => inlineRefs(s, doc))
  if (typeof schema !== 'object' || schema === null) return schema
  const ref = (schema as { $ref?: unknown }).$ref
  if (typeof ref === 'string' && ref.startsWith('#/components/schemas/')) {
    return inlineRefs(doc.components?.schemas?.[ref.slice('#/components/schemas/'.length)], doc)
  }
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, inlineRefs(v, doc)]))
}

const ajv = new Ajv({ strict: false, allErrors: true })
addFormats.default(ajv)
const compiled = new WeakMap<OpenApiDocument, Map<string, ValidateFunction | null>>()

/**
 * The validator of a response the document declares (null when the status is not declared or
 * has no JSON body), compiled once per document.
 */
export function responseValidator(
  doc: OpenApiDocument,
  method: string,
  path: string,
  status: number | string
): ValidateFunction | null {
  let cache = compiled.get(doc)
  if (!cache) compiled.set(doc, (cache = new Map()))
  const key = `${method.toLowerCase()} ${path} ${status}`
  if (!cache.has(key)) {
    const schema =
      doc.paths[path]?.[method.toLowerCase()]?.responses[String(status)]?.content?.['application/json']
        ?.schema
    cache.set(key, schema === undefined ? null : ajv.compile(inlineRefs(schema, doc) as object))
  }
  return cache.get(key) ?? null
}
