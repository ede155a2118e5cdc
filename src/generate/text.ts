/**
 * Words and sentence patterns for the dataset generator: titles (some with commas, quotes,
 * alternative titles and non-ASCII letters), hashtags, tags and tweet texts in a few languages.
 */
import type { Random } from './random.js'

const ADJECTIVES = [
  'Dark',
  'Silent',
  'Last',
  'Lost',
  'Broken',
  'Golden',
  'Hidden',
  'Eternal',
  'Crimson',
  'Frozen',
  'Wild',
  'Little',
  'Secret',
  'Midnight',
  'Burning',
  'Savage',
  'Electric',
  'Velvet',
  'Hollow',
  'Iron',
  'Final',
  'Forgotten',
  'Endless',
  'Bitter',
  'Sweet',
  'Lonely',
  'Brave',
  'Quiet',
  'Strange',
  'Perfect',
  'Red',
  'Blue'
]
const NOUNS = [
  'Knight',
  'River',
  'Empire',
  'Garden',
  'Mirror',
  'Storm',
  'Kingdom',
  'Horizon',
  'Shadow',
  'Promise',
  'Harbor',
  'Station',
  'Echo',
  'Summer',
  'Winter',
  'Machine',
  'Orchard',
  'Frontier',
  'Letter',
  'Island',
  'Signal',
  'Circus',
  'Detective',
  'Stranger',
  'Highway',
  'Dream',
  'Planet',
  'Wolf',
  'Ghost',
  'Symphony',
  'Heist',
  'Voyage',
  'Witness',
  'Lighthouse',
  'Prophecy',
  'Carnival',
  'Outlaw',
  'Sister',
  'Father',
  'Game'
]
const PLACES = [
  'Paris',
  'Brooklyn',
  'Tokyo',
  'Havana',
  'Marrakesh',
  'Berlin',
  'Texas',
  'Mars',
  'Alaska',
  'Naples',
  'Montréal',
  'São Paulo',
  'Zürich',
  'Málaga',
  'Kyoto',
  'the North',
  'Nowhere',
  'Cádiz'
]
const NAMES = [
  'Amélie',
  'José',
  'Jürgen',
  'Zoë',
  'Chloé',
  'Noémie',
  'Björn',
  'Renée',
  'Ángel',
  'François',
  'Marta',
  'Hiro',
  'Yuki',
  'Ingrid',
  'Tomás',
  'Oliver',
  'Grace',
  'Frank',
  'Lucy',
  'Max',
  'Nora',
  'Sam'
]

/** Titles in another language: the original language and word lists to build one from. */
const FOREIGN = {
  fr: {
    articles: ['Le', 'La', 'Les'],
    nouns: ['Café', 'Rêve', 'Forêt', 'Été', 'Cœur', 'Fenêtre', 'Mémoire', 'Château'],
    adjectives: ['Noir', 'Perdu', 'Éternel', 'Doré', 'Fragile']
  },
  es: {
    articles: ['El', 'La', 'Los'],
    nouns: ['Niño', 'Señor', 'Corazón', 'Camino', 'Sueño', 'Verano', 'Montaña', 'Año'],
    adjectives: ['Oscuro', 'Dorado', 'Pequeño', 'Último', 'Extraño']
  },
  de: {
    articles: ['Der', 'Die', 'Das'],
    nouns: ['Mädchen', 'Brücke', 'Schlüssel', 'Traum', 'Größe', 'Straße', 'Wüste'],
    adjectives: ['Dunkle', 'Stille', 'Letzte', 'Schöne', 'Müde']
  },
  ja: {
    articles: [],
    nouns: ['東京', '夏', '桜', '夜', '海', '風', '光', '雪', '月', '家族'],
    adjectives: ['物語', '記憶', '約束', '旅', '歌']
  }
} as const

export type ForeignLanguage = keyof typeof FOREIGN
const FOREIGN_LANGUAGES = Object.keys(FOREIGN) as ForeignLanguage[]

const ARTICLES = ['The', 'A', 'An', 'Le', 'La', 'Les', 'El', 'Los', 'Las', 'Der', 'Die', 'Das']
const ROMAN = ['', 'I', 'II', 'III', 'IV', 'V', 'VI', 'VII']

/** An English-language title, now and then with a comma or double quotes in it. */
export function englishTitle(random: Random): string {
  const adjective = random.pick(ADJECTIVES)
  const noun = random.pick(NOUNS)
  switch (random.weighted([30, 14, 10, 10, 8, 8, 5, 3, 2])) {
    case 0:
      return `The ${adjective} ${noun}`
    case 1:
      return `${noun} of ${random.pick(PLACES)}`
    case 2:
      return `${random.pick(NAMES)}'s ${noun}`
    case 3:
      return `${adjective} ${noun}`
    case 4:
      return `A ${noun} in ${random.pick(PLACES)}`
    case 5:
      return noun
    case 6:
      return `${random.pick(NAMES)} and the ${adjective} ${noun}`
    case 7:
      return `${noun}s, ${random.pick(NOUNS)}s and ${random.pick(NOUNS)}s`
    default:
      return `The "${noun}" Affair`
  }
}

export function foreignTitle(random: Random): { title: string; language: ForeignLanguage } {
  const language = random.pick(FOREIGN_LANGUAGES)
  const words = FOREIGN[language]
  const noun = random.pick(words.nouns)
  const adjective = random.pick(words.adjectives)
  if (language === 'ja') return { title: `${noun}の${adjective}`, language }
  const article = random.pick(words.articles)
  return {
    title: language === 'de' ? `${article} ${adjective} ${noun}` : `${article} ${noun} ${adjective}`,
    language
  }
}

/** A sequel's title in a franchise whose first film is `base`; `part` counts from 2. */
export function sequelTitle(base: string, part: number, random: Random): string {
  switch (random.weighted([4, 2, 3, 1])) {
    case 0:
      return `${base} ${part}`
    case 1:
      return `${base} ${ROMAN[part] ?? part}`
    case 2:
      return `${base}: The ${random.pick(ADJECTIVES)} ${random.pick(NOUNS)}`
    default:
      return part === 2 ? `${base} Returns` : `${base}: ${random.pick(NOUNS)} of ${random.pick(PLACES)}`
  }
}

export function alternativeTitle(random: Random): string {
  return `${random.pick(ADJECTIVES)} ${random.pick(NOUNS)}`
}

/** MovieLens moves a leading article to the end: "The Dark Knight" is "Dark Knight, The". */
export function articleLast(title: string): string {
  for (const article of ARTICLES) {
    if (title.startsWith(`${article} `) && title.length > article.length + 1) {
      const rest = title.slice(article.length + 1)
      // "The Knight: The Return" stays as it is; MovieLens only moves articles of simple titles.
      if (!rest.includes(':')) return `${rest}, ${article}`
    }
  }
  return title
}

/** A hashtag for a title: its words run together, capitalised, letters and digits only. */
export function titleHashtag(title: string): string {
  const words = title
    .normalize('NFC')
    .replace(/['’]/g, '')
    .split(/[^\p{L}\p{M}\p{N}]+/u)
    .filter((word) => word !== '')
  const tag = words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('')
  return /^\d*$/.test(tag) ? `Film${tag}` : tag
}

export const GENERIC_HASHTAGS = ['movies', 'cinema', 'NowWatching', 'FilmTwitter', 'MovieNight'] as const

export const TAGS = [
  'atmospheric',
  'twist ending',
  'dark comedy',
  'visually appealing',
  'based on a book',
  'thought-provoking',
  'funny',
  'sci-fi',
  'nonlinear',
  'great soundtrack',
  'slow',
  'overrated',
  'classic',
  'cult film',
  'Oscar (Best Picture)',
  'funny, but sad',
  'película de culto',
  'drôle',
  '日本',
  'quirky',
  'violent',
  'romance'
]

const TWEETS = {
  en: {
    positive: [
      'Just watched {m} and wow. {p}',
      '{m} is still one of the best films ever made. {p}',
      'Rewatched {m} tonight 🍿 {p}',
      "Can't stop thinking about {m}. {p}"
    ],
    negative: [
      '{m} was such a letdown. {c}',
      'Walked out of {m} halfway through. {c}',
      'Why does everyone love {m}? {c}'
    ],
    neutral: [
      'Watching {m} tonight, no idea what to expect',
      '{m} is on TV again',
      'Anyone seen {m}? Worth it?'
    ],
    praise: [
      'Absolutely loved it!',
      'The soundtrack is incredible.',
      '10/10, would watch again.',
      'What a performance!',
      'Beautifully shot.'
    ],
    complaints: [
      'The ending made no sense.',
      'Way too long and boring.',
      'Terrible acting, honestly.',
      'I want my two hours back.'
    ]
  },
  es: {
    positive: ['Acabo de ver {m} y me encantó ❤️'],
    negative: ['{m} es una película aburrida, qué decepción.'],
    neutral: ['¿Alguien ha visto {m}?']
  },
  fr: {
    positive: ["J'ai adoré {m}, quel chef-d'œuvre !"],
    negative: ['{m} était décevant, trop long.'],
    neutral: ['Ce soir : {m} 🎬']
  },
  de: {
    positive: ['{m} war großartig!'],
    negative: ['{m} hat mich enttäuscht.'],
    neutral: ['Heute Abend: {m}']
  },
  ja: {
    positive: ['{m} 最高の映画でした！'],
    negative: ['{m} は退屈だった…'],
    neutral: ['今夜は {m} を観る']
  }
} as const

export type TweetLanguage = keyof typeof TWEETS
export const TWEET_LANGUAGES: readonly TweetLanguage[] = ['en', 'es', 'fr', 'de', 'ja']
export const TWEET_LANGUAGE_WEIGHTS = [80, 8, 5, 3, 4]

/** A tweet about `movie` (a hashtag or a quoted title) in `language`, with a sentiment. */
export function tweetText(language: TweetLanguage, movie: string, random: Random): string {
  const sentiment = random.weighted([55, 25, 20])
  const texts = TWEETS[language]
  const patterns = sentiment === 0 ? texts.positive : sentiment === 1 ? texts.negative : texts.neutral
  let text = random.pick(patterns).replace('{m}', movie)
  if (language === 'en') {
    text = text
      .replace('{p}', random.pick(TWEETS.en.praise))
      .replace('{c}', random.pick(TWEETS.en.complaints))
  }
  return text
}

/** One sentence of plot, for TMDB's overview. */
export function overview(random: Random): string {
  const name = random.pick(NAMES)
  const place = random.pick(PLACES)
  const noun = random.pick(NOUNS).toLowerCase()
  const adjective = random.pick(ADJECTIVES).toLowerCase()
  switch (random.int(3)) {
    case 0:
      return `When a ${adjective} ${noun} arrives in ${place}, ${name} must choose between family and freedom.`
    case 1:
      return `${name}, a retired ${noun} keeper, is drawn into one last job in ${place}.`
    default:
      return `In ${place}, a ${adjective} friendship changes everything for ${name}.`
  }
}
