import { describe, expect, it } from 'vitest'
import {
  DIRECTED_TYPES,
  EDGE_SOURCES,
  RELATIONSHIP_TYPES,
  SYMMETRIC_TYPES,
  canonicalEndpoints,
  isRelationshipType,
  isSymmetric,
  relationshipTypeToken,
  requiresScore
} from '../../src/domain/relationship-types.js'

describe('relationship type allow-list', () => {
  it('is exactly the symmetric and the directed types, with no overlap', () => {
    expect([...RELATIONSHIP_TYPES].sort()).toEqual(
      ['INSPIRED_BY', 'REMAKE_OF', 'SAME_FRANCHISE', 'SEQUEL_OF', 'SIMILAR_TO', 'SPINOFF_OF'].sort()
    )
    expect(SYMMETRIC_TYPES.filter((t) => (DIRECTED_TYPES as readonly string[]).includes(t))).toEqual([])
    expect(new Set(RELATIONSHIP_TYPES).size).toBe(RELATIONSHIP_TYPES.length)
  })

  it('holds only tokens that are safe to paste into Cypher unquoted', () => {
    for (const t of RELATIONSHIP_TYPES) expect(t).toMatch(/^[A-Z][A-Z_]*$/)
  })

  it('accepts every listed type as a token', () => {
    for (const t of RELATIONSHIP_TYPES) {
      expect(isRelationshipType(t)).toBe(true)
      expect(relationshipTypeToken(t)).toBe(t)
    }
  })

  it.each([
    'sequel_of',
    'Sequel_Of',
    ' SEQUEL_OF',
    'SEQUEL_OF ',
    '',
    'SEQUEL_OF|RATED',
    'SEQUEL_OF]->() DETACH DELETE n //',
    '`SEQUEL_OF`',
    'IN_GENRE',
    'constructor',
    'toString'
  ])('refuses %j', (value) => {
    expect(isRelationshipType(value)).toBe(false)
    expect(() => relationshipTypeToken(value)).toThrow(/not allowed/)
  })

  it('knows which types are symmetric and which need a score', () => {
    expect(isSymmetric('SIMILAR_TO')).toBe(true)
    expect(isSymmetric('SAME_FRANCHISE')).toBe(true)
    for (const t of DIRECTED_TYPES) expect(isSymmetric(t)).toBe(false)
    expect(RELATIONSHIP_TYPES.filter(requiresScore)).toEqual(['SIMILAR_TO'])
  })

  it('stores a symmetric edge from the smaller movie_id, whichever end names it', () => {
    expect(canonicalEndpoints('SIMILAR_TO', 'm-b', 'm-a')).toEqual({ from: 'm-a', to: 'm-b' })
    expect(canonicalEndpoints('SIMILAR_TO', 'm-a', 'm-b')).toEqual({ from: 'm-a', to: 'm-b' })
    expect(canonicalEndpoints('SAME_FRANCHISE', 'z', 'a')).toEqual({ from: 'a', to: 'z' })
  })

  it('keeps a directed edge in the direction it was asked for', () => {
    for (const t of DIRECTED_TYPES) {
      expect(canonicalEndpoints(t, 'm-b', 'm-a')).toEqual({ from: 'm-b', to: 'm-a' })
      expect(canonicalEndpoints(t, 'm-a', 'm-b')).toEqual({ from: 'm-a', to: 'm-b' })
    }
  })

  it('lists the edge sources', () => {
    expect([...EDGE_SOURCES].sort()).toEqual(['computed', 'editorial', 'movielens', 'tmdb', 'user'])
  })
})
