import { describe, expect, it } from 'vitest'
import { InvalidBookmarkError } from '../../src/errors.js'
import { bookmarkCodec } from '../../src/plugins/app/bookmarks.js'

const BOOKMARKS = ['FB:kcwQY3IjHXpSQhm5SPhz7qkPjMkN05A=', 'FB:kcwQab+cd/ef==']

describe('bookmarkCodec', () => {
  const codec = bookmarkCodec('a-secret-that-is-long-enough-0123456789')

  it('round-trips several bookmarks in one header-safe value', () => {
    const value = codec.encode(BOOKMARKS)
    expect(value).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/)
    expect(codec.decode(value)).toEqual(BOOKMARKS)
  })

  it('refuses values signed with another secret, tampered or malformed', () => {
    const value = codec.encode(BOOKMARKS)
    const other = bookmarkCodec('another-secret-that-is-long-enough-987')
    expect(() => other.decode(value)).toThrow(InvalidBookmarkError)
    const [, payload = ''] = value.split('.')
    const forged = Buffer.from('FB:forged', 'utf8').toString('base64url')
    expect(() => codec.decode(value.replace(payload, forged))).toThrow(/not issued by this service/)
    for (const bad of [
      '',
      'v1',
      BOOKMARKS[0] as string,
      `${value}=`,
      `${value}, ${value}`,
      'v1.' + 'a'.repeat(5000)
    ]) {
      expect(() => codec.decode(bad), bad).toThrow(/must be a value this service returned/)
    }
  })

  it('refuses signed content that is not a list of bookmarks', () => {
    for (const content of [['FB:a b'], ['FB:a', ''], Array.from({ length: 17 }, () => 'FB:x')]) {
      expect(() => codec.decode(codec.encode(content))).toThrow(/holds no usable bookmark/)
    }
  })
})
