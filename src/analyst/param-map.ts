/**
 * The map literal of a Neo4j Browser `:param {...}` line, in the subset the query pack uses:
 * single- or double-quoted strings, numbers, booleans, null, lists and nested maps, with keys
 * bare or quoted. Browser evaluates the map as Cypher, so an integer literal arrives as an
 * Integer and a literal with a point or exponent as a Float; the parsed values keep that
 * distinction by returning integers as Neo4j Integers.
 */
import { int } from '../db/convert.js'

export class ParamSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number
  ) {
    super(`${message} at offset ${offset}`)
  }
}

export type ParamValue =
  null | boolean | number | string | ReturnType<typeof int> | ParamValue[] | { [key: string]: ParamValue }

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/y
const NUMBER = /-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y
const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  '\\': '\\',
  "'": "'",
  '"': '"'
}

class Parser {
  private pos = 0
  constructor(private readonly text: string) {}

  parseDocument(): Record<string, ParamValue> {
    this.space()
    const value = this.map()
    this.space()
    if (this.pos !== this.text.length) this.fail('unexpected text after the map')
    return value
  }

  private fail(message: string): never {
    throw new ParamSyntaxError(message, this.pos)
  }

  private space(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos] as string)) this.pos++
  }

  private expect(ch: string): void {
    this.space()
    if (this.text[this.pos] !== ch) this.fail(`expected '${ch}'`)
    this.pos++
  }

  private peek(): string | undefined {
    this.space()
    return this.text[this.pos]
  }

  private map(): Record<string, ParamValue> {
    this.expect('{')
    const out: Record<string, ParamValue> = {}
    if (this.peek() === '}') {
      this.pos++
      return out
    }
    for (;;) {
      const key = this.key()
      if (Object.hasOwn(out, key)) this.fail(`duplicate key '${key}'`)
      this.expect(':')
      out[key] = this.value()
      const next = this.peek()
      if (next === ',') {
        this.pos++
        continue
      }
      if (next === '}') {
        this.pos++
        return out
      }
      this.fail("expected ',' or '}'")
    }
  }

  private list(): ParamValue[] {
    this.expect('[')
    const out: ParamValue[] = []
    if (this.peek() === ']') {
      this.pos++
      return out
    }
    for (;;) {
      out.push(this.value())
      const next = this.peek()
      if (next === ',') {
        this.pos++
        continue
      }
      if (next === ']') {
        this.pos++
        return out
      }
      this.fail("expected ',' or ']'")
    }
  }

  private key(): string {
    const ch = this.peek()
    if (ch === "'" || ch === '"') return this.string()
    if (ch === '`') {
      const end = this.text.indexOf('`', this.pos + 1)
      if (end === -1) this.fail('unterminated quoted key')
      const key = this.text.slice(this.pos + 1, end)
      this.pos = end + 1
      return key
    }
    IDENTIFIER.lastIndex = this.pos
    const match = IDENTIFIER.exec(this.text)
    if (!match) this.fail('expected a key')
    this.pos += match[0].length
    return match[0]
  }

  private value(): ParamValue {
    const ch = this.peek()
    if (ch === '{') return this.map()
    if (ch === '[') return this.list()
    if (ch === "'" || ch === '"') return this.string()
    IDENTIFIER.lastIndex = this.pos
    const word = IDENTIFIER.exec(this.text)
    if (word) {
      const lower = word[0].toLowerCase()
      if (lower === 'true' || lower === 'false' || lower === 'null') {
        this.pos += word[0].length
        return lower === 'null' ? null : lower === 'true'
      }
      this.fail(`'${word[0]}' is not a literal this parser reads`)
    }
    NUMBER.lastIndex = this.pos
    const num = NUMBER.exec(this.text)
    if (!num) this.fail('expected a value')
    this.pos += num[0].length
    const literal = num[0]
    if (/[.eE]/.test(literal)) return Number(literal)
    const n = Number(literal)
    if (!Number.isSafeInteger(n)) this.fail(`integer ${literal} is outside the safe range`)
    return int(n)
  }

  private string(): string {
    const quote = this.text[this.pos] as string
    let out = ''
    this.pos++
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos] as string
      if (ch === quote) {
        this.pos++
        return out
      }
      if (ch === '\\') {
        const next = this.text[this.pos + 1]
        if (next === 'u') {
          const hex = this.text.slice(this.pos + 2, this.pos + 6)
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('bad \\u escape')
          out += String.fromCharCode(parseInt(hex, 16))
          this.pos += 6
          continue
        }
        const escaped = next === undefined ? undefined : ESCAPES[next]
        if (escaped === undefined) this.fail('unknown escape')
        out += escaped
        this.pos += 2
        continue
      }
      out += ch
      this.pos++
    }
    this.fail('unterminated string')
  }
}

/** Parses the text after `:param`, e.g. `{ genre: 'Drama', minRatings: 3 }`. */
export function parseParamMap(text: string): Record<string, ParamValue> {
  return new Parser(text).parseDocument()
}
