import { describe, expect, it } from 'vitest'
import { relatedPaths } from '../../src/data/related/queries.js'
import { shortestPath } from '../../src/data/paths/queries.js'
import { FRANCHISE_LINK } from '../../src/data/similar/queries.js'
import type { RelationshipType } from '../../src/domain/relationship-types.js'

describe('traversal query builders', () => {
  it('put only allow-listed types and checked bounds into the text', () => {
    const q = relatedPaths(['SEQUEL_OF', 'REMAKE_OF'], 2)
    expect(q).toContain('-[:SEQUEL_OF|REMAKE_OF]-{1,2}')
    expect(shortestPath(['SIMILAR_TO'], 6)).toContain('-[:SIMILAR_TO*1..6]-')
  })

  it('refuse a type outside the allow-list even when a caller bypasses the types', () => {
    expect(() => relatedPaths(['SEQUEL_OF]-(x) DETACH DELETE x //' as RelationshipType], 1)).toThrow(
      /not allowed/
    )
    expect(() => relatedPaths([], 1)).toThrow()
  })

  it('refuse depths outside their bounds', () => {
    expect(() => relatedPaths(['SEQUEL_OF'], 4)).toThrow()
    expect(() => relatedPaths(['SEQUEL_OF'], 0)).toThrow()
    expect(() => relatedPaths(['SEQUEL_OF'], 1.5)).toThrow()
    expect(() => shortestPath(['SEQUEL_OF'], 7)).toThrow()
  })

  it('counts franchise links without inspiration', () => {
    expect(FRANCHISE_LINK.split('|').sort()).toEqual([
      'REMAKE_OF',
      'SAME_FRANCHISE',
      'SEQUEL_OF',
      'SPINOFF_OF'
    ])
  })
})
