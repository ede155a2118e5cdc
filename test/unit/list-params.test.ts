import { describe, expect, it } from 'vitest'
import { parseMovieIds, parseTypes, splitList } from '../../src/data/list-params.js'
import { RELATIONSHIP_TYPES } from '../../src/domain/relationship-types.js'
import { ValidationError } from '../../src/errors.js'

describe('list parameters', () => {
  it('splits comma-separated and repeated values, trimming and dropping empties and repeats', () => {
    expect(splitList(undefined)).toEqual([])
    expect(splitList('a,b, c,,a')).toEqual(['a', 'b', 'c'])
    expect(splitList(['a,b', 'c', 'b'])).toEqual(['a', 'b', 'c'])
  })

  it('defaults types to the whole allow-list', () => {
    expect(parseTypes(undefined)).toEqual([...RELATIONSHIP_TYPES])
    expect(parseTypes([''])).toEqual([...RELATIONSHIP_TYPES])
  })

  it('accepts allow-listed types in the order given', () => {
    expect(parseTypes(['REMAKE_OF,SEQUEL_OF'])).toEqual(['REMAKE_OF', 'SEQUEL_OF'])
  })

  it('rejects a type outside the allow-list, naming it', () => {
    expect(() => parseTypes(['SEQUEL_OF,IN_GENRE'])).toThrow(ValidationError)
    expect(() => parseTypes(['SEQUEL_OF,IN_GENRE'])).toThrow(/"IN_GENRE" is not a relationship type/)
    // Case matters: Cypher types are case-sensitive, so a near miss is not silently fixed.
    expect(() => parseTypes('sequel_of')).toThrow(ValidationError)
    expect(() => parseTypes('SEQUEL_OF]->()<-[:X')).toThrow(ValidationError)
  })

  it('rejects more types than exist', () => {
    const many = [...RELATIONSHIP_TYPES, 'EXTRA'].join(',')
    expect(() => parseTypes(many)).toThrow(/more than the 6 relationship types/)
  })

  it('checks movie ids and their count', () => {
    expect(parseMovieIds('a,b', 'exclude')).toEqual(['a', 'b'])
    expect(() => parseMovieIds('ok,not ok', 'exclude')).toThrow(/"not ok" is not a valid movie id/)
    expect(() => parseMovieIds('x'.repeat(129), 'exclude')).toThrow(ValidationError)
    const ids = Array.from({ length: 101 }, (_, i) => `m${i}`).join(',')
    expect(() => parseMovieIds(ids, 'exclude')).toThrow(/at most 100/)
    expect(parseMovieIds(ids.split(',').slice(0, 100).join(','), 'exclude')).toHaveLength(100)
  })
})
