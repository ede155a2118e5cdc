import { describe, expect, it } from 'vitest'
import {
  MAX_FUZZY_TERM_LENGTH,
  MAX_TERMS,
  buildTitleQuery,
  escapeLucene,
  fuzzyEdits,
  normalizeQuery,
  searchTerms,
  termClause
} from '../../src/lib/lucene.js'

const SPECIALS = [
  '+',
  '-',
  '&',
  '|',
  '!',
  '(',
  ')',
  '{',
  '}',
  '[',
  ']',
  '^',
  '"',
  '~',
  '*',
  '?',
  ':',
  '\\',
  '/'
]

/**
 * Reads text the way Lucene's classic query parser lexes it: a backslash escapes the next
 * character. Returns the literal text and whatever would be syntax (unescaped specials and
 * bare operator words).
 */
function lex(query: string): { literal: string; syntax: string[] } {
  let literal = ''
  const syntax: string[] = []
  let word = ''
  let wordEscaped = false
  const endWord = () => {
    if (!wordEscaped && ['AND', 'OR', 'NOT'].includes(word)) syntax.push(word)
    word = ''
    wordEscaped = false
  }
  for (let i = 0; i < query.length; i++) {
    const c = query[i] as string
    if (c === '\\') {
      const next = query[i + 1]
      if (next === undefined) {
        syntax.push('dangling \\')
        break
      }
      literal += next
      word += next
      wordEscaped = true
      i++
    } else if (SPECIALS.includes(c)) {
      syntax.push(c)
      literal += c
      endWord()
    } else if (/\s/.test(c)) {
      literal += c
      endWord()
    } else {
      literal += c
      word += c
    }
  }
  endWord()
  return { literal, syntax }
}

/** A small deterministic generator, so the property checks are reproducible. */
function generator(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0
    return state / 2 ** 32
  }
}

const PIECES = [
  ...SPECIALS,
  '&&',
  '||',
  'AND',
  'OR',
  'NOT',
  'and',
  'ANDROID',
  ' ',
  '  ',
  '\t',
  '\n',
  'god',
  'Fater',
  'é',
  'e\u0301',
  '2001',
  '千',
  '🎬',
  '*:*',
  'x'
]

function randomTexts(count: number, seed = 42): string[] {
  const next = generator(seed)
  return Array.from({ length: count }, () => {
    const length = Math.floor(next() * 12)
    return Array.from({ length }, () => PIECES[Math.floor(next() * PIECES.length)]).join('')
  })
}

describe('escapeLucene', () => {
  it.each(SPECIALS)('escapes %j with a backslash', (c) => {
    expect(escapeLucene(c)).toBe(`\\${c}`)
    expect(escapeLucene(`a${c}b`)).toBe(`a\\${c}b`)
  })

  it('escapes both characters of && and ||, and a backslash itself', () => {
    expect(escapeLucene('a && b || c')).toBe('a \\&\\& b \\|\\| c')
    expect(escapeLucene('a\\b')).toBe('a\\\\b')
    expect(escapeLucene('\\"')).toBe('\\\\\\"')
  })

  it('escapes the operator words wherever they stand alone', () => {
    expect(escapeLucene('AND')).toBe('\\AND')
    expect(escapeLucene('OR NOT')).toBe('\\OR \\NOT')
    expect(escapeLucene('cats AND dogs OR NOT birds')).toBe('cats \\AND dogs \\OR \\NOT birds')
    expect(escapeLucene('AND\tOR\nNOT')).toBe('\\AND\t\\OR\n\\NOT')
  })

  it('leaves words that only contain an operator, or are lower-case, alone', () => {
    expect(escapeLucene('ANDROID NOTE ORACLE and or not')).toBe('ANDROID NOTE ORACLE and or not')
  })

  it('leaves letters, digits and accents alone', () => {
    expect(escapeLucene('Amélie 2001 千と千尋')).toBe('Amélie 2001 千と千尋')
  })

  it('always yields text Lucene reads as plain terms, meaning exactly the input', () => {
    for (const text of randomTexts(2_000)) {
      const { literal, syntax } = lex(escapeLucene(text))
      expect(syntax, JSON.stringify(text)).toEqual([])
      expect(literal).toBe(text)
    }
  })
})

describe('searchTerms', () => {
  it('splits on anything that is not a letter or digit, lower-cased', () => {
    expect(searchTerms('The Godfather')).toEqual(['the', 'godfather'])
    expect(searchTerms('godfather:part-ii/(1974)')).toEqual(['godfather', 'part', 'ii', '1974'])
    expect(searchTerms('2001: A Space Odyssey')).toEqual(['2001', 'a', 'space', 'odyssey'])
  })

  it('keeps accents, composing decomposed input', () => {
    expect(searchTerms('Amélie')).toEqual(['amélie'])
    expect(searchTerms('Ame\u0301lie')).toEqual(['amélie'])
  })

  it('keeps words of other scripts', () => {
    expect(searchTerms('千と千尋の神隠し')).toEqual(['千と千尋の神隠し'])
    expect(searchTerms('Крёстный отец')).toEqual(['крёстный', 'отец'])
  })

  it('drops repeats and keeps the first MAX_TERMS words', () => {
    expect(searchTerms('Twin twin TWIN peaks')).toEqual(['twin', 'peaks'])
    const words = Array.from({ length: 20 }, (_, i) => `w${i}`)
    expect(searchTerms(words.join(' '))).toEqual(words.slice(0, MAX_TERMS))
  })

  it.each(['', '   ', '"', '(', '\\', '~', '*:*', '&& || !', '🎬🍿', '-+-'])(
    'finds no words in %j',
    (text) => {
      expect(searchTerms(text)).toEqual([])
    }
  )
})

describe('fuzzyEdits', () => {
  it.each([
    ['a', 0],
    ['ab', 0],
    ['abc', 1],
    ['godf', 1],
    ['abcde', 1],
    ['abcdef', 2],
    ['godfater', 2],
    ['x'.repeat(MAX_FUZZY_TERM_LENGTH), 2],
    ['x'.repeat(MAX_FUZZY_TERM_LENGTH + 1), 0],
    ['1972', 0],
    ['12345678', 0],
    ['r2d2', 1]
  ])('allows %j %i edits', (term, edits) => {
    expect(fuzzyEdits(term)).toBe(edits)
  })

  it('counts characters, not UTF-16 units', () => {
    expect(fuzzyEdits('𝔞𝔟')).toBe(0)
    expect(fuzzyEdits('𝔞𝔟𝔠')).toBe(1)
  })
})

describe('termClause', () => {
  it('requires the word exactly, as a prefix, or with typos, exact first', () => {
    expect(termClause('godfater')).toBe('+(godfater^4 godfater*^2 godfater~2)')
    expect(termClause('godf')).toBe('+(godf^4 godf*^2 godf~1)')
    expect(termClause('ii')).toBe('+(ii^4 ii*^2)')
    expect(termClause('1972')).toBe('+(1972^4 1972*^2)')
  })

  it('escapes whatever it is given', () => {
    expect(termClause('a:b')).toBe('+(a\\:b^4 a\\:b*^2 a\\:b~1)')
  })
})

describe('buildTitleQuery', () => {
  it('turns a misspelt or unfinished title into exact, prefix and fuzzy alternatives', () => {
    expect(buildTitleQuery('godfater')).toBe('+(godfater^4 godfater*^2 godfater~2)')
    expect(buildTitleQuery('godf')).toBe('+(godf^4 godf*^2 godf~1)')
    expect(buildTitleQuery('The Godfather')).toBe(
      '+(the^4 the*^2 the~1) +(godfather^4 godfather*^2 godfather~2)'
    )
  })

  it('takes Lucene syntax in the text literally', () => {
    expect(buildTitleQuery('title:godfather AND x')).toBe(
      '+(title^4 title*^2 title~1) +(godfather^4 godfather*^2 godfather~2) +(and^4 and*^2 and~1) +(x^4 x*^2)'
    )
    expect(buildTitleQuery('"godf*"~')).toBe('+(godf^4 godf*^2 godf~1)')
    expect(buildTitleQuery('-part')).toBe('+(part^4 part*^2 part~1)')
    expect(buildTitleQuery('NOT')).toBe('+(not^4 not*^2 not~1)')
  })

  it.each(['"', '(', ')', '\\', '~', '*', '*:*', '&& || !', '[ ] { }', '   ', '', '🎬'])(
    'has nothing to search in %j',
    (text) => {
      expect(buildTitleQuery(text)).toBeNull()
    }
  )

  it('always yields well-formed clauses of plain words, at most MAX_TERMS of them', () => {
    const clause = /\+\(([\p{L}\p{M}\p{N}]+)\^4 \1\*\^2(?: \1~[12])?\)/gu
    const texts = [
      ...randomTexts(2_000, 7),
      'x'.repeat(200),
      Array.from({ length: 60 }, (_, i) => `w${i}`).join(' ')
    ]
    for (const text of texts) {
      const query = buildTitleQuery(text)
      if (query === null) {
        expect(searchTerms(text)).toEqual([])
        continue
      }
      const clauses = [...query.matchAll(clause)].map((m) => m[0])
      expect(clauses.join(' '), JSON.stringify(text)).toBe(query)
      expect(clauses.length).toBeGreaterThan(0)
      expect(clauses.length).toBeLessThanOrEqual(MAX_TERMS)
    }
  })
})

describe('normalizeQuery', () => {
  it.each([
    ['  The   GODFATHER  ', 'the godfather'],
    ['Amélie', 'amelie'],
    ['AMÉLIE', 'amelie'],
    ['Ame\u0301lie', 'amelie'],
    ['Crème Brûlée Señor Ångström', 'creme brulee senor angstrom'],
    ['Łódź Ørsted Đorđe', 'lodz orsted dorde'],
    ['İstanbul', 'istanbul'],
    ['ﬁlm', 'film'],
    ['ＧＯＤＦＡＴＨＥＲ', 'godfather'],
    ['a\t\nb\u00a0c\u3000d', 'a b c d'],
    ['a\u0000b', 'a b'],
    ['Godfather: Part II', 'godfather: part ii'],
    ['*:*', '*:*'],
    ['   ', '']
  ])('normalizes %j to %j', (text, expected) => {
    expect(normalizeQuery(text)).toBe(expected)
  })

  it('gives one form for spellings that differ only in case, accents and spacing', () => {
    const forms = new Set(
      ['Amélie  Poulain', ' amelie poulain ', 'AME\u0301LIE\tPOULAIN'].map(normalizeQuery)
    )
    expect([...forms]).toEqual(['amelie poulain'])
  })

  it('is idempotent', () => {
    for (const text of randomTexts(1_000, 99)) {
      const once = normalizeQuery(text)
      expect(normalizeQuery(once)).toBe(once)
    }
  })
})
