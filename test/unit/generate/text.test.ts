import { describe, it, expect } from 'vitest'
import { articleLast, titleHashtag } from '../../../src/generate/text.js'

describe('articleLast', () => {
  it('moves a leading article to the end as MovieLens does', () => {
    expect(articleLast('The Dark Knight')).toBe('Dark Knight, The')
    expect(articleLast('El Niño Oscuro')).toBe('Niño Oscuro, El')
    expect(articleLast('Theory of Everything')).toBe('Theory of Everything')
    expect(articleLast('The Storm: The Return')).toBe('The Storm: The Return')
  })
})

describe('titleHashtag', () => {
  it('runs the words together, keeping letters of any script', () => {
    expect(titleHashtag("Björn's Circus")).toBe('BjörnsCircus')
    expect(titleHashtag('A Heist in São Paulo')).toBe('AHeistInSãoPaulo')
    expect(titleHashtag('東京の物語')).toBe('東京の物語')
    expect(titleHashtag('1984')).toBe('Film1984')
  })
})
