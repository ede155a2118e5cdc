/**
 * Search text. A user's words reach the title full-text index only through `buildTitleQuery`,
 * which keeps letters and digits, escapes what Lucene would read as syntax, and asks for each
 * word exactly, as a prefix and (for longer words) with typos allowed. `normalizeQuery` is the
 * form a query is grouped by in history and trending.
 */

/** Every character the classic Lucene query parser treats as syntax (`&&` and `||` are `&`, `|` twice). */
const SPECIAL_CHARACTERS = /[+\-&|!(){}[\]^"~*?:\\/]/g

/** Lucene's boolean operators are upper-case words; a leading backslash makes one a plain term. */
const OPERATOR_WORD = /(^|\s)(AND|OR|NOT)(?=\s|$)/g

/** A word: a letter or digit, then letters, combining marks or digits (close to Lucene's tokenizer). */
const WORD = /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*/gu

/**
 * Each word becomes up to three clauses and a fuzzy clause expands to as many as 50 index terms,
 * so on a large catalogue an uncapped 200-character query could pass Lucene's limit of 1024
 * clauses and fail. Titles are short; eight words are plenty.
 */
export const MAX_TERMS = 8
/** A word this long is not a typo of a title word, and its edit automaton is costly to build. */
export const MAX_FUZZY_TERM_LENGTH = 30

const BOOST_EXACT = 4
const BOOST_PREFIX = 2

/** Escapes every Lucene special character and the operator words, so the text is only terms. */
export function escapeLucene(text: string): string {
  return text.replace(SPECIAL_CHARACTERS, (c) => `\\${c}`).replace(OPERATOR_WORD, '$1\\$2')
}

/**
 * The words of a text, lower-cased, first occurrence kept, at most `max` (MAX_TERMS for a
 * query). Punctuation and symbols separate words; they never reach Lucene.
 */
export function searchTerms(text: string, max = MAX_TERMS): string[] {
  const seen = new Set<string>()
  for (const match of text.normalize('NFC').toLowerCase().matchAll(WORD)) {
    seen.add(match[0])
    if (seen.size === max) break
  }
  return [...seen]
}

/** Edits a fuzzy clause allows: none for short words and numbers (a year is exact), then 1, then 2. */
export function fuzzyEdits(term: string): 0 | 1 | 2 {
  const length = [...term].length
  if (length < 3 || length > MAX_FUZZY_TERM_LENGTH || /^\p{N}+$/u.test(term)) return 0
  return length < 6 ? 1 : 2
}

/** One required group per word: exact (ranked highest), prefix, and fuzzy where it makes sense. */
export function termClause(term: string): string {
  const escaped = escapeLucene(term)
  const alternatives = [`${escaped}^${BOOST_EXACT}`, `${escaped}*^${BOOST_PREFIX}`]
  const edits = fuzzyEdits(term)
  if (edits > 0) alternatives.push(`${escaped}~${edits}`)
  return `+(${alternatives.join(' ')})`
}

/**
 * The Lucene query for a user's title search, or null when the text has no letters or digits
 * at all (nothing searchable is left, so the caller answers with no results).
 */
export function buildTitleQuery(text: string): string | null {
  const terms = searchTerms(text)
  if (terms.length === 0) return null
  return terms.map(termClause).join(' ')
}

/** Letters with a stroke or bar have no decomposition, so accent folding maps them by hand. */
const STROKE_LETTERS: Record<string, string> = {
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ħ: 'h',
  ŧ: 't',
  ƀ: 'b',
  ɨ: 'i',
  ƶ: 'z'
}
const STROKE_PATTERN = new RegExp(`[${Object.keys(STROKE_LETTERS).join('')}]`, 'gu')

/**
 * The grouping form of a query: lower-case, accents folded (é → e, ﬁ → fi), whitespace and
 * control characters collapsed to single spaces, trimmed. Punctuation is kept, so `*:*` stays
 * distinguishable from an empty query.
 */
export function normalizeQuery(text: string): string {
  // Lower-casing can itself produce a combining mark (İ → i + dot), so decompose after it too.
  return text
    .normalize('NFKD')
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(STROKE_PATTERN, (c) => STROKE_LETTERS[c] ?? c)
    .normalize('NFC')
    .replace(/[\s\p{Cc}]+/gu, ' ')
    .trim()
}
