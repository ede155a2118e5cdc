import neo4j from 'neo4j-driver'
import { describe, expect, it } from 'vitest'
import { toPlain } from '../../src/db/convert.js'
import { parseParamMap, ParamSyntaxError } from '../../src/analyst/param-map.js'

describe('parseParamMap', () => {
  it('reads strings, numbers, booleans, null and lists', () => {
    const params = parseParamMap(
      `{ genre: 'Drama', title: "Ocean's 11", minRatings: 3, ratio: 0.5, big: 1e3, neg: -2, on: true, off: FALSE, none: null, ids: ['a', 'b'] }`
    )
    expect(toPlain(params)).toEqual({
      genre: 'Drama',
      title: "Ocean's 11",
      minRatings: 3,
      ratio: 0.5,
      big: 1000,
      neg: -2,
      on: true,
      off: false,
      none: null,
      ids: ['a', 'b']
    })
  })

  it('gives integer literals as Neo4j Integers and the rest as floats, as Browser sends them', () => {
    const params = parseParamMap('{ limit: 10, neg: -4, score: 8.0, tiny: .5, sci: 2E-1 }')
    expect(neo4j.isInt(params.limit)).toBe(true)
    expect(neo4j.isInt(params.neg)).toBe(true)
    expect(params.score).toBe(8)
    expect(neo4j.isInt(params.score)).toBe(false)
    expect(params.tiny).toBe(0.5)
    expect(params.sci).toBe(0.2)
  })

  it('keeps non-ASCII text and reads escapes', () => {
    const params = parseParamMap(
      String.raw`{ a: 'Amélie', b: '千と千尋', c: 'it\'s', d: "tab\there", e: '\u00e9' }`
    )
    expect(params).toEqual({ a: 'Amélie', b: '千と千尋', c: "it's", d: 'tab\there', e: 'é' })
  })

  it('reads nested lists and maps, quoted keys and an empty map', () => {
    expect(toPlain(parseParamMap(`{ 'a b': [[1, 2], []], \`c\`: { d: 'e' }, "f": {} }`))).toEqual({
      'a b': [[1, 2], []],
      c: { d: 'e' },
      f: {}
    })
    expect(parseParamMap('  {  }  ')).toEqual({})
  })

  it.each([
    ['not a map', `['a']`],
    ['an unterminated string', `{ a: 'b }`],
    ['a missing colon', `{ a 1 }`],
    ['a trailing comma', `{ a: 1, }`],
    ['a duplicate key', `{ a: 1, a: 2 }`],
    ['text after the map', `{ a: 1 } b`],
    ['an expression', `{ a: date('2020-01-01') }`],
    ['an unknown escape', String.raw`{ a: '\q' }`],
    ['an integer past 2^53', `{ a: 9007199254740993 }`],
    ['an unclosed list', `{ a: [1, 2 }`]
  ])('rejects %s', (_what, text) => {
    expect(() => parseParamMap(text)).toThrow(ParamSyntaxError)
  })
})
