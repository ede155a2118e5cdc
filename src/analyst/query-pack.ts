/**
 * The analyst query pack in cypher/queries/: one NN-kebab-name.cypher file per question. Each file
 * opens with a `//` comment block (title, what it answers, a `Parameters:` list), then a Neo4j
 * Browser `:param {...};` line with example values, then one query, so it runs as-is when pasted
 * into Browser. This module reads those files back so tests can run every query with its own
 * example parameters.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Database } from '../db/database.js'
import { recordToPlain } from '../db/convert.js'
import { splitCypher } from '../db/cypher-script.js'
import { PROJECT_ROOT } from '../project-root.js'
import { parseParamMap } from './param-map.js'
import type { ParamValue } from './param-map.js'

export const DEFAULT_QUERY_DIR = join(PROJECT_ROOT, 'cypher', 'queries')
export const QUERY_FILE_PATTERN = /^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.cypher$/

export interface PackQuery {
  /** The file name without `.cypher`, e.g. `06-franchise-chain`. */
  name: string
  file: string
  number: number
  title: string
  description: string
  /** What the header says about each parameter, by name. */
  paramDocs: Record<string, string>
  /** The example values of the `:param` line, integers as Neo4j Integers as Browser sends them. */
  params: Record<string, ParamValue>
  query: string
}

export class QueryPackError extends Error {}

const PARAM_COMMAND = /^:param\s+(\{[\s\S]*\})\s*$/

interface Header {
  title: string
  description: string
  paramDocs: Record<string, string>
}

function parseHeader(file: string, lines: string[]): Header {
  const text = lines.map((l) => l.replace(/^\s*\/\/ ?/, ''))
  const title = (text[0] ?? '').trim()
  if (title.length === 0) throw new QueryPackError(`${file}: the comment block must open with a title line`)
  const paramsAt = text.findIndex((l) => /^Parameters:\s*$/.test(l.trim()))
  if (paramsAt === -1) throw new QueryPackError(`${file}: the comment block needs a 'Parameters:' list`)

  const description = text
    .slice(1, paramsAt)
    .join('\n')
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, ' ').trim())
    .filter((p) => p.length > 0)
    .join('\n\n')

  const paramDocs: Record<string, string> = {}
  let current: string | undefined
  for (const line of text.slice(paramsAt + 1)) {
    const entry = /^\s{1,4}([A-Za-z_][A-Za-z0-9_]*)\s{2,}(\S.*)$/.exec(line)
    if (entry) {
      current = entry[1] as string
      paramDocs[current] = (entry[2] as string).trim()
    } else if (current !== undefined && line.trim().length > 0) {
      paramDocs[current] = `${paramDocs[current]} ${line.trim()}`
    }
  }
  return { title, description, paramDocs }
}

/** Parses one pack file; `file` is only used to name the file in errors and in the result. */
export function parseQueryFile(file: string, source: string): PackQuery {
  const match = QUERY_FILE_PATTERN.exec(file)
  if (!match) throw new QueryPackError(`${file} is not named NN-kebab-name.cypher`)
  const text = source.replace(/\r\n/g, '\n')
  const lines = text.split('\n')
  const headerEnd = lines.findIndex((l) => !/^\s*\/\//.test(l))
  if (headerEnd <= 0) throw new QueryPackError(`${file}: must open with a // comment block`)
  const header = parseHeader(file, lines.slice(0, headerEnd))

  const statements = splitCypher(text)
  if (statements.length !== 2) {
    throw new QueryPackError(
      `${file}: expected a :param line and one query, found ${statements.length} statements`
    )
  }
  const [paramLine, query] = statements as [(typeof statements)[0], (typeof statements)[0]]
  if (paramLine.line !== headerEnd + 1) {
    throw new QueryPackError(`${file}: the :param line must come right after the comment block`)
  }
  const command = PARAM_COMMAND.exec(paramLine.text)
  if (!command) throw new QueryPackError(`${file}: line ${paramLine.line} must be a ':param {...};' line`)
  let params: Record<string, ParamValue>
  try {
    params = parseParamMap(command[1] as string)
  } catch (err) {
    throw new QueryPackError(`${file}: bad :param map: ${err instanceof Error ? err.message : String(err)}`)
  }
  return {
    name: file.replace(/\.cypher$/, ''),
    file,
    number: Number(match[1]),
    ...header,
    params,
    query: query.text
  }
}

export async function loadQueryPack(dir = DEFAULT_QUERY_DIR): Promise<PackQuery[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.cypher')).sort()
  const pack: PackQuery[] = []
  for (const file of files) pack.push(parseQueryFile(file, await readFile(join(dir, file), 'utf8')))
  const numbers = new Set<number>()
  for (const q of pack) {
    if (numbers.has(q.number)) throw new QueryPackError(`two query files share the number ${q.number}`)
    numbers.add(q.number)
  }
  return pack
}

/**
 * The `$parameters` a query uses, each once, in order of first use. Strings, quoted names and
 * comments are skipped, so a `$` inside them does not count.
 */
export function queryParameters(query: string): string[] {
  const found: string[] = []
  let i = 0
  while (i < query.length) {
    const ch = query[i] as string
    if (ch === "'" || ch === '"' || ch === '`') {
      i++
      while (i < query.length && query[i] !== ch) i += query[i] === '\\' && ch !== '`' ? 2 : 1
      i++
      continue
    }
    if (ch === '/' && query[i + 1] === '/') {
      while (i < query.length && query[i] !== '\n') i++
      continue
    }
    if (ch === '/' && query[i + 1] === '*') {
      const end = query.indexOf('*/', i + 2)
      i = end === -1 ? query.length : end + 2
      continue
    }
    if (ch === '$') {
      const name = /^(?:`([^`]+)`|([A-Za-z_][A-Za-z0-9_]*))/.exec(query.slice(i + 1))
      if (name) {
        const n = (name[1] ?? name[2]) as string
        if (!found.includes(n)) found.push(n)
        i += 1 + name[0].length
        continue
      }
    }
    i++
  }
  return found
}

export interface PackResult<T> {
  keys: string[]
  rows: T[]
}

/** Runs a pack query in a read transaction; the column names come back even when no row does. */
export async function runPackQuery<T = Record<string, unknown>>(
  db: Database,
  query: PackQuery,
  params: Record<string, ParamValue> = query.params
): Promise<PackResult<T>> {
  return db.read(async (tx) => {
    const result = tx.run(query.query, params)
    const keys = (await result.keys()) as string[]
    const { records } = await result
    return { keys, rows: records.map((r) => recordToPlain<T>(r)) }
  })
}
