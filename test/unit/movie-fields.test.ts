import { describe, expect, it } from 'vitest'
import neo4j from 'neo4j-driver'
import {
  changesAnything,
  completeFields,
  patchFields,
  resolveYear,
  toParams
} from '../../src/data/movies/fields.js'
import type { MovieFields } from '../../src/data/movies/fields.js'
import { normalizeGenreNames } from '../../src/data/genres/names.js'
import { ValidationError } from '../../src/errors.js'

const stored: MovieFields = {
  tmdb_id: 603,
  imdb_id: 'tt0133093',
  movielens_id: null,
  title: 'The Matrix',
  original_title: null,
  overview: 'Red pill',
  release_date: '1999-03-31',
  year: 1999,
  runtime: 136,
  original_language: 'en',
  popularity: 80.5,
  poster_path: null
}

describe('resolveYear', () => {
  it('derives the year from the date, accepts an agreeing year and keeps a lone year', () => {
    expect(resolveYear('1999-03-31', undefined)).toBe(1999)
    expect(resolveYear('1999-03-31', 1999)).toBe(1999)
    expect(resolveYear(null, 1984)).toBe(1984)
    expect(resolveYear(undefined, undefined)).toBeNull()
  })
  it('refuses a year that disagrees with the date', () => {
    expect(() => resolveYear('1999-03-31', 2000)).toThrow(ValidationError)
  })
})

describe('completeFields', () => {
  it('fills every writable field, trims the title and derives the year', () => {
    const fields = completeFields({ title: '  Heat ', release_date: '1995-12-15' })
    expect(fields).toEqual({
      tmdb_id: null,
      imdb_id: null,
      movielens_id: null,
      title: 'Heat',
      original_title: null,
      overview: null,
      release_date: '1995-12-15',
      year: 1995,
      runtime: null,
      original_language: null,
      popularity: null,
      poster_path: null
    })
  })
})

describe('patchFields', () => {
  it('writes only what the patch names, with null kept as a clear', () => {
    expect(patchFields({ overview: null, title: ' New ' }, stored)).toEqual({ overview: null, title: 'New' })
  })
  it('brings the year along with a new date', () => {
    expect(patchFields({ release_date: '2003-05-15' }, stored)).toEqual({
      release_date: '2003-05-15',
      year: 2003
    })
  })
  it('checks a new year against the stored date, or against a date given with it', () => {
    expect(() => patchFields({ year: 2000 }, stored)).toThrow(ValidationError)
    expect(patchFields({ year: 1999 }, stored)).toEqual({ year: 1999 })
    expect(patchFields({ year: 2003, release_date: '2003-01-01' }, stored)).toEqual({
      year: 2003,
      release_date: '2003-01-01'
    })
    expect(() => patchFields({ year: 2004, release_date: '2003-01-01' }, stored)).toThrow(ValidationError)
  })
  it('refuses to clear the year while a date stays, and allows clearing both', () => {
    expect(() => patchFields({ year: null }, stored)).toThrow(ValidationError)
    expect(patchFields({ year: null, release_date: null }, stored)).toEqual({
      year: null,
      release_date: null
    })
  })
  it('leaves the year alone when only the date is cleared', () => {
    expect(patchFields({ release_date: null }, stored)).toEqual({ release_date: null })
  })
})

describe('changesAnything', () => {
  it('tells a real change from a repeat of stored values', () => {
    expect(changesAnything({ title: 'The Matrix', runtime: 136 }, stored)).toBe(false)
    expect(changesAnything({ poster_path: null }, stored)).toBe(false)
    expect(changesAnything({ runtime: 137 }, stored)).toBe(true)
    expect(changesAnything({ overview: null }, stored)).toBe(true)
  })
})

describe('toParams', () => {
  it('sends integer fields as Neo4j Integers and the rest unchanged', () => {
    const params = toParams({
      tmdb_id: 603,
      year: 1999,
      runtime: 0,
      popularity: 5,
      title: 'x',
      movielens_id: null
    })
    expect(neo4j.isInt(params.tmdb_id)).toBe(true)
    expect(neo4j.isInt(params.year)).toBe(true)
    expect(neo4j.isInt(params.runtime)).toBe(true)
    expect(params.popularity).toBe(5)
    expect(params.title).toBe('x')
    expect(params.movielens_id).toBeNull()
  })
})

describe('normalizeGenreNames', () => {
  it('trims, removes duplicates and sorts by code unit like Cypher', () => {
    expect(normalizeGenreNames([' drama', 'Drama', 'drama ', 'Action', 'Émigré', 'action'])).toEqual([
      'Action',
      'Drama',
      'action',
      'drama',
      'Émigré'
    ])
  })
})
