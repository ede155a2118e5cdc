/**
 * Splits a .cypher file into statements on top-level semicolons, skipping `//` and block
 * comments and leaving semicolons inside strings and backtick-quoted names alone. Each
 * statement keeps the line it starts on, so a failure can name it.
 */
export interface CypherStatement {
  text: string
  line: number
  index: number
}

export function splitCypher(source: string): CypherStatement[] {
  const out: CypherStatement[] = []
  let current = ''
  let line = 1
  let startLine = 1
  let quote: '"' | "'" | '`' | null = null
  let i = 0
  const push = (): void => {
    const text = current.trim()
    if (text.length > 0) out.push({ text, line: startLine, index: out.length + 1 })
    current = ''
  }
  while (i < source.length) {
    const ch = source[i] as string
    const next = source[i + 1]
    if (quote) {
      current += ch
      if (ch === '\\' && quote !== '`' && next !== undefined) {
        current += next
        i += 2
        continue
      }
      if (ch === quote) quote = null
      if (ch === '\n') line++
      i++
      continue
    }
    if (ch === '/' && next === '/') {
      while (i < source.length && source[i] !== '\n') i++
      continue
    }
    if (ch === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2)
      const stop = end === -1 ? source.length : end + 2
      for (let j = i; j < stop; j++) if (source[j] === '\n') line++
      i = stop
      continue
    }
    if (ch === ';') {
      push()
      i++
      continue
    }
    if (current.trim().length === 0 && !/\s/.test(ch)) startLine = line
    if (ch === '"' || ch === "'" || ch === '`') quote = ch
    if (ch === '\n') line++
    current += ch
    i++
  }
  push()
  return out
}
