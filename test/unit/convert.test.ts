import neo4j from 'neo4j-driver'
import { describe, expect, it } from 'vitest'
import { toPlain, UnsafeIntegerError } from '../../src/db/convert.js'

describe('toPlain', () => {
  it('turns safe Neo4j Integers into numbers', () => {
    expect(toPlain(neo4j.int(27205))).toBe(27205)
    expect(toPlain(neo4j.int(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER)
  })

  it('refuses integers a JSON number cannot hold exactly', () => {
    expect(() => toPlain(neo4j.int('9223372036854775807'))).toThrow(UnsafeIntegerError)
    expect(() => toPlain(9007199254740993n)).toThrow(UnsafeIntegerError)
  })

  it('renders dates and date-times as ISO strings', () => {
    expect(toPlain(new neo4j.types.Date(1999, 3, 31))).toBe('1999-03-31')
    const dt = new neo4j.types.DateTime(2024, 1, 2, 3, 4, 5, 6_000_000, 0)
    expect(toPlain(dt)).toBe('2024-01-02T03:04:05.006Z')
    const offset = new neo4j.types.DateTime(2024, 1, 2, 5, 4, 5, 0, 7200)
    expect(toPlain(offset)).toBe('2024-01-02T03:04:05.000Z')
  })

  it('converts nested maps and lists, and leaves strings (tweet ids) alone', () => {
    expect(
      toPlain({ tweet_id: '9223372036854775807', counts: [neo4j.int(1), neo4j.int(2)], nested: { n: null } })
    ).toEqual({ tweet_id: '9223372036854775807', counts: [1, 2], nested: { n: null } })
  })
})
