import { describe, expect, it } from 'vitest'
import { FUZZY_FLOOR, hitClass, rankHits } from '../../src/data/searches/ranking.js'
import type { TitleHit } from '../../src/data/searches/ranking.js'

const hit = (
  movie_id: string,
  title: string,
  score: number,
  popularity = 0,
  extra: Partial<TitleHit> = {}
): TitleHit => ({
  movie_id,
  title,
  year: null,
  score,
  popularity,
  ...extra
})

describe('hitClass', () => {
  it('says how the weakest word of the query met the names', () => {
    expect(hitClass(['matrix'], hit('a', 'The Matrix', 1))).toBe('exact')
    expect(hitClass(['matr'], hit('a', 'The Matrix', 1))).toBe('prefix')
    expect(hitClass(['the', 'matr'], hit('a', 'The Matrix', 1))).toBe('prefix')
    expect(hitClass(['matrix'], hit('a', 'Martin', 1))).toBe('fuzzy')
    expect(hitClass(['the', 'matrix'], hit('a', 'The Martin', 1))).toBe('fuzzy')
  })

  it('reads the original title and the other titles too', () => {
    expect(hitClass(['amelie'], hit('a', 'Amélie', 1, 0, { original_title: 'Le Fabuleux Destin' }))).toBe(
      'fuzzy'
    )
    expect(hitClass(['destin'], hit('a', 'Amélie', 1, 0, { original_title: 'Le Fabuleux Destin' }))).toBe(
      'exact'
    )
    expect(hitClass(['se7en'], hit('a', 'Seven', 1, 0, { aka_titles: ['Se7en'] }))).toBe('exact')
  })
})

describe('rankHits', () => {
  it('puts exact and prefix hits before typo hits, and drops typo hits far below the best', () => {
    const ranked = rankHits(
      'matrix',
      [
        hit('martin', 'Martin', 1.5, 99),
        hit('m1', 'The Matrix', 10),
        hit('marie', 'Marie Antoinette', 1.4, 98),
        hit('m3', 'The Matrix Revolutions', 8),
        hit('m2', 'The Matrix Reloaded', 9),
        hit('close', 'Matrox', 3.5)
      ],
      20
    )
    expect(ranked.map((h) => h.movie_id)).toEqual(['m1', 'm2', 'm3', 'close'])
  })

  it('keeps a typo hit at the floor and drops one just under it', () => {
    const best = 9
    const ranked = rankHits(
      'matrix',
      [
        hit('m', 'Matrix', best),
        hit('at', 'Matrox', best * FUZZY_FLOOR),
        hit('under', 'Metrax', best * FUZZY_FLOOR - 0.01)
      ],
      20
    )
    expect(ranked.map((h) => h.movie_id)).toEqual(['m', 'at'])
  })

  it('ranks an exact hit above a typo hit that outscores it', () => {
    const ranked = rankHits(
      'matrix',
      [hit('typo', 'Matrox', 5), hit('exact', 'A Very Long Title About The Matrix', 4)],
      20
    )
    expect(ranked.map((h) => h.movie_id)).toEqual(['exact', 'typo'])
  })

  it('keeps the best typo hits when nothing matches better, breaking ties by popularity then id', () => {
    const ranked = rankHits(
      'matirx',
      [
        hit('b', 'The Matrix', 3, 5),
        hit('a', 'The Matrix', 3, 5),
        hit('c', 'Matrix Reloaded', 3, 9),
        hit('far', 'Mattress', 0.5)
      ],
      20
    )
    expect(ranked.map((h) => h.movie_id)).toEqual(['c', 'a', 'b'])
  })

  it('stops at the limit', () => {
    expect(
      rankHits('x', [hit('1', 'x', 3), hit('2', 'x', 2), hit('3', 'x', 1)], 2).map((h) => h.movie_id)
    ).toEqual(['1', '2'])
  })
})
