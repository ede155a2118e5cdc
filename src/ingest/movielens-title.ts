/**
 * MovieLens titles as people write them. MovieLens files a title under its first significant word
 * ("Matrix, The", "Cité des enfants perdus, La"), and after the title proper it lists, each in its
 * own parentheses, the original-language title and any "a.k.a." name:
 *
 *   City of Lost Children, The (Cité des enfants perdus, La) (1995)
 *   → title "The City of Lost Children", original_title "La Cité des enfants perdus", year 1995
 *
 * Pure functions, so every shape is tested without a database.
 */

/**
 * Articles MovieLens moves to the end, for the languages its catalogue is in: English, French,
 * Italian, Spanish, Portuguese, German, Dutch and the Scandinavian languages. Elided ones ("L'")
 * join the word after them without a space. An article counts only as the whole last
 * comma-separated part, so "Crouching Tiger, Hidden Dragon" stays as it is.
 */
const ARTICLES: Readonly<Record<string, { elided?: true }>> = {
  // English
  The: {},
  A: {},
  An: {},
  // French
  Le: {},
  La: {},
  Les: {},
  "L'": { elided: true },
  'L’': { elided: true },
  Un: {},
  Une: {},
  // Italian (also La, L', Un)
  Il: {},
  Lo: {},
  I: {},
  Gli: {},
  Una: {},
  Uno: {},
  "Un'": { elided: true },
  // Spanish (also La, Un, Una)
  El: {},
  Los: {},
  Las: {},
  // Portuguese (also A)
  O: {},
  Os: {},
  As: {},
  Um: {},
  Uma: {},
  // German
  Der: {},
  Die: {},
  Das: {},
  Ein: {},
  Eine: {},
  // Dutch
  De: {},
  Het: {},
  Een: {},
  // Danish, Norwegian, Swedish
  Den: {},
  Det: {},
  En: {},
  Ett: {},
  Et: {}
}

/** "a.k.a.", "aka" and "a/k/a" introduce another name, not the original one. */
const AKA = /^(?:a\.k\.a\.?|aka|a\/k\/a)\s+/i

export interface MovieLensTitle {
  /** The title proper with its article in front: "The City of Lost Children". */
  title: string
  /** The first parenthesised title that is not an a.k.a., likewise natural; null when none. */
  original_title: string | null
  /** The a.k.a. names, natural, in the order given. */
  aka_titles: string[]
}

const ENGLISH = new Set(['The', 'A', 'An'])

/** The article MovieLens moved to the end of `text`, and the text before it; undefined if none. */
function trailingArticle(text: string): { article: string; rest: string } | undefined {
  const comma = text.lastIndexOf(',')
  if (comma <= 0) return undefined
  const article = text.slice(comma + 1).trim()
  const rest = text.slice(0, comma).trim()
  return Object.hasOwn(ARTICLES, article) && rest !== '' ? { article, rest } : undefined
}

/** "Matrix, The" → "The Matrix"; "Avventura, L'" → "L'Avventura"; anything else as it is. */
export function articleFirst(text: string): string {
  const trimmed = text.trim()
  const found = trailingArticle(trimmed)
  if (!found) return trimmed
  return ARTICLES[found.article]?.elided ? `${found.article}${found.rest}` : `${found.article} ${found.rest}`
}

/**
 * Whether a parenthesised title is an English name given after a foreign title proper, as in
 * "Boot, Das (Boat, The)": MovieLens then lists the original first and a translation after it.
 */
function englishAfterForeign(title: string, group: string): boolean {
  const own = trailingArticle(title.trim())?.article
  const other = trailingArticle(group.trim())?.article
  return own !== undefined && !ENGLISH.has(own) && other === 'The'
}

/**
 * The parenthesised groups at the end of `text`, last first, each with what precedes it. Nested
 * parentheses stay inside their group; unbalanced text ends the peeling.
 */
function trailingGroup(text: string): { before: string; inside: string } | undefined {
  if (!text.endsWith(')')) return undefined
  let depth = 0
  for (let i = text.length - 1; i >= 0; i--) {
    const ch = text[i]
    if (ch === ')') depth++
    else if (ch === '(') {
      depth--
      if (depth === 0) {
        const before = text.slice(0, i).trim()
        const inside = text.slice(i + 1, -1).trim()
        // A group that is the whole title ("(500) Days…" aside) is the title itself.
        if (before === '' || inside === '') return undefined
        return { before, inside }
      }
    }
  }
  return undefined
}

/** A MovieLens title without its year (see splitTitleYear) as title, original title and aliases. */
export function naturalTitle(text: string): MovieLensTitle {
  let rest = text.trim()
  const groups: string[] = []
  for (let group = trailingGroup(rest); group; group = trailingGroup(rest)) {
    groups.unshift(group.inside)
    rest = group.before
  }
  let original: string | null = null
  const aka: string[] = []
  for (const group of groups) {
    const alias = AKA.exec(group)
    if (alias) aka.push(articleFirst(group.slice(alias[0].length)))
    else if (original === null && !englishAfterForeign(rest, group)) original = articleFirst(group)
    else aka.push(articleFirst(group))
  }
  return { title: articleFirst(rest), original_title: original, aka_titles: aka }
}
