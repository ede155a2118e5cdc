import { describe, expect, it } from 'vitest'
import { decodeCursor, encodeCursor } from '../../src/lib/cursor.js'
import { ValidationError } from '../../src/errors.js'

describe('keyset cursors', () => {
  it('round-trips sort, key and id, including null keys and unicode', () => {
    for (const key of ['Amélie', 1999, 7.25, null]) {
      const text = encodeCursor({ sort: 'title', key, id: 'm-1' })
      expect(text).toMatch(/^[A-Za-z0-9_-]+$/)
      expect(decodeCursor(text, 'title')).toEqual({ sort: 'title', key, id: 'm-1' })
    }
  })

  it('rejects a cursor made for another sort', () => {
    const text = encodeCursor({ sort: 'year', key: 1999, id: 'm-1' })
    expect(() => decodeCursor(text, 'title')).toThrow(/made for sort 'year'/)
  })

  it.each([
    'not-base64!!',
    Buffer.from('{"a":1}').toString('base64url'),
    Buffer.from('[1,2,3]').toString('base64url')
  ])('rejects the malformed cursor %s as a client error', (text) => {
    expect(() => decodeCursor(text, 'title')).toThrow(ValidationError)
  })
})
