import { describe, expect, it } from 'vitest'
import { compareReleaseOrder } from '../../src/data/franchise/release-order.js'
import type { FranchiseMovie } from '../../src/schemas/franchise.js'

describe('compareReleaseOrder', () => {
  const m = (
    movie_id: string,
    year: number | null,
    release_date: string | null,
    title: string | null = 'T'
  ) => ({ movie_id, title, year, release_date }) satisfies FranchiseMovie

  it('orders by year, then date within the year, then title, then id', () => {
    const movies = [
      m('e', null, null),
      m('d', 1990, null, 'B'),
      m('c', 1990, null, 'A'),
      m('b', 1990, '1990-06-01'),
      m('a', 1990, '1990-02-01'),
      m('f', 1985, '1985-12-31')
    ]
    expect([...movies].sort(compareReleaseOrder).map((x) => x.movie_id)).toEqual([
      'f',
      'a',
      'b',
      'c',
      'd',
      'e'
    ])
  })

  it('takes the year from the release date when year is missing', () => {
    const movies = [m('late', 2001, null), m('dated', null, '1999-01-01')]
    expect([...movies].sort(compareReleaseOrder).map((x) => x.movie_id)).toEqual(['dated', 'late'])
  })

  it('breaks full ties by movie_id', () => {
    expect(compareReleaseOrder(m('a', 2000, null), m('b', 2000, null))).toBeLessThan(0)
    expect(compareReleaseOrder(m('a', 2000, null), m('a', 2000, null))).toBe(0)
  })
})
