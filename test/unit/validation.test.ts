import { describe, expect, it } from 'vitest'
import { loneSurrogateAt } from '../../src/validation.js'

describe('loneSurrogateAt', () => {
  it('accepts well-formed text, surrogate pairs included', () => {
    expect(loneSurrogateAt({ a: ['x', '\u{1F3AC}', { b: 'é\u200B' }], n: 1, z: null })).toBeUndefined()
  })

  it('points at the first string or key holding a lone surrogate', () => {
    expect(loneSurrogateAt('\uD800')).toBe('')
    expect(loneSurrogateAt({ reviews: [{ content: 'ok' }, { content: 'a\uDFFFb' }] })).toBe(
      '/reviews/1/content'
    )
    expect(loneSurrogateAt({ 'a/b': { '\uD83C': 1 } })).toBe('/a~1b/\uD83C')
  })
})
