import { describe, expect, it } from 'vitest'
import { searchedGenres } from '../../src/data/recommendations/repository.js'

describe('searchedGenres', () => {
  it('weighs filters over selections over returned movies, case-insensitively', () => {
    const genres = searchedGenres([
      {
        filters: '{"genre":"Horror"}',
        selected_genres: [],
        returned_genres: ['Drama', 'Drama', 'Drama', 'Drama']
      },
      { filters: '{}', selected_genres: ['comedy'], returned_genres: ['Comedy'] },
      { filters: '{"genre":"horror"}', selected_genres: [], returned_genres: [] }
    ])
    expect(genres).toEqual(['horror', 'drama', 'comedy'])
  })

  it('ignores unreadable filters and keeps at most five genres', () => {
    const genres = searchedGenres([
      { filters: 'not json', selected_genres: ['A', 'B', 'C', 'D', 'E', 'F'], returned_genres: [] },
      { filters: null, selected_genres: [], returned_genres: [] }
    ])
    expect(genres).toEqual(['a', 'b', 'c', 'd', 'e'])
  })
})
