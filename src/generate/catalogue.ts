/**
 * The movie catalogue every file of a generated dataset refers to: ids, titles, years, genres,
 * franchises, popularity ranks and hashtags, drawn from the seed alone and held in memory as
 * columns, and the draws that pick movies from it.
 */
import {
  GENERIC_HASHTAGS,
  alternativeTitle,
  articleLast,
  englishTitle,
  foreignTitle,
  sequelTitle,
  titleHashtag
} from './text.js'
import { deriveRandom, permutation } from './random.js'
import type { Random, ZipfSampler } from './random.js'

// MovieLens genres with the share of movies in each: Drama and Comedy dwarf the rest.
export const GENRES: ReadonlyArray<
  readonly [movielens: string, share: number, tmdb: readonly [number, string] | null]
> = [
  ['Drama', 0.45, [18, 'Drama']],
  ['Comedy', 0.32, [35, 'Comedy']],
  ['Thriller', 0.17, [53, 'Thriller']],
  ['Romance', 0.14, [10749, 'Romance']],
  ['Action', 0.14, [28, 'Action']],
  ['Crime', 0.11, [80, 'Crime']],
  ['Horror', 0.1, [27, 'Horror']],
  ['Adventure', 0.08, [12, 'Adventure']],
  ['Documentary', 0.07, [99, 'Documentary']],
  ['Sci-Fi', 0.07, [878, 'Science Fiction']],
  ['Mystery', 0.05, [9648, 'Mystery']],
  ['Fantasy', 0.05, [14, 'Fantasy']],
  ['Children', 0.04, [10751, 'Family']],
  ['Animation', 0.04, [16, 'Animation']],
  ['War', 0.03, [10752, 'War']],
  ['Musical', 0.02, [10402, 'Music']],
  ['Western', 0.02, [37, 'Western']],
  ['Film-Noir', 0.005, [80, 'Crime']],
  ['IMAX', 0.005, null]
]
const NO_GENRES_SHARE = 0.015

const FRANCHISE_START = 0.025
const FRANCHISE_LENGTHS = [2, 2, 2, 3, 3, 4, 5, 6]
const HASHTAG_SHARE = 0.05
export const RATING_POPULARITY_EXPONENT = 1
/** Share of tweet and TMDB draws that follow popularity; the rest are uniform, so any movie can come up. */
const POPULAR_SHARE = 0.9

/** The movies, held in memory as columns: everything else refers to them. */
export interface Catalogue {
  size: number
  movieId: Int32Array
  tmdbId: Int32Array
  imdbNumber: Int32Array
  year: Int16Array
  month: Uint8Array
  day: Uint8Array
  genres: Int32Array
  quality: Float32Array
  title: string[]
  original: Array<string | undefined>
  language: string[]
  movieLensTitle: string[]
  collection: Int32Array
  collections: Array<{ id: number; name: string; members: number[] }>
  rankToIndex: Int32Array
  rankOf: Int32Array
  hashtag: Array<string | undefined>
  maxMovieId: number
  maxTmdbId: number
  /** Added to user ids (the other ids carry it already). */
  idOffset: number
}

export function buildCatalogue(size: number, seed: number, idOffset: number): Catalogue {
  const random = deriveRandom(seed, 'catalogue')
  const c: Catalogue = {
    size,
    movieId: new Int32Array(size),
    tmdbId: new Int32Array(size),
    imdbNumber: new Int32Array(size),
    year: new Int16Array(size),
    month: new Uint8Array(size),
    day: new Uint8Array(size),
    genres: new Int32Array(size),
    quality: new Float32Array(size),
    title: new Array<string>(size),
    original: new Array<string | undefined>(size),
    language: new Array<string>(size),
    movieLensTitle: new Array<string>(size),
    collection: new Int32Array(size).fill(-1),
    collections: [],
    rankToIndex: new Int32Array(0),
    rankOf: new Int32Array(size),
    hashtag: new Array<string | undefined>(size),
    maxMovieId: 0,
    maxTmdbId: 0,
    idOffset
  }
  const aka = new Array<string | undefined>(size)
  const noYear = new Uint8Array(size)
  const originalOnly = new Uint8Array(size)
  let movieId = idOffset
  let tmdbId = 1 + idOffset
  let imdbNumber = 10_000 + idOffset
  for (let i = 0; i < size; i++) {
    // MovieLens ids have gaps where movies were removed.
    movieId += random.chance(0.1) ? 2 + random.int(4) : 1
    c.movieId[i] = movieId
    tmdbId += 1 + random.int(20)
    c.tmdbId[i] = random.chance(0.02) ? 0 : tmdbId
    imdbNumber += 1 + random.int(40)
    c.imdbNumber[i] = imdbNumber
    // More recent years are more common.
    c.year[i] = 1920 + Math.floor(103.99 * Math.sqrt(random.next()))
    c.month[i] = 1 + random.int(12)
    c.day[i] = 1 + random.int(28)
    let genres = 0
    if (!random.chance(NO_GENRES_SHARE)) {
      for (let g = 0; g < GENRES.length; g++)
        if (random.chance((GENRES[g] as (typeof GENRES)[number])[1])) genres |= 1 << g
      if (genres === 0) genres = 1 << random.weighted(GENRES.map((genre) => genre[1]))
    }
    c.genres[i] = genres
    c.quality[i] = Math.max(-1.5, Math.min(1, random.gaussian() * 0.45))
    if (random.chance(0.12)) {
      const foreign = foreignTitle(random)
      c.title[i] = englishTitle(random)
      c.original[i] = foreign.title
      c.language[i] = foreign.language
      originalOnly[i] = random.chance(0.5) ? 1 : 0
    } else {
      c.title[i] = englishTitle(random)
      c.language[i] = 'en'
      if (random.chance(0.01)) aka[i] = alternativeTitle(random)
    }
    if (random.chance(0.005)) noYear[i] = 1
  }
  c.maxMovieId = movieId
  c.maxTmdbId = tmdbId

  // Franchise chains: a first film and 1–5 sequels further down the catalogue, in later years.
  let collectionId = 8000 + idOffset
  for (let i = 0; i < size - 1; i++) {
    if (c.collection[i] !== -1 || !random.chance(FRANCHISE_START)) continue
    const length = random.pick(FRANCHISE_LENGTHS)
    const members = [i]
    let j = i
    while (members.length < length) {
      j += 1 + random.int(40)
      if (j >= size || c.collection[j] !== -1) break
      members.push(j)
    }
    if (members.length < 2) continue
    collectionId += 1 + random.int(500)
    const base = c.title[i] as string
    const index = c.collections.length
    c.collections.push({ id: collectionId, name: `${base} Collection`, members })
    for (const [part, member] of members.entries()) {
      c.collection[member] = index
      if (part === 0) continue
      const previous = members[part - 1] as number
      c.title[member] = sequelTitle(base, part + 1, random)
      c.original[member] = undefined
      c.language[member] = c.language[i] as string
      c.year[member] = Math.min(2023, (c.year[previous] as number) + 1 + random.int(4))
      c.genres[member] = c.genres[i] as number
      aka[member] = undefined
    }
  }

  for (let i = 0; i < size; i++) {
    const original = c.original[i]
    let title = articleLast(c.title[i] as string)
    if (original !== undefined) {
      title = originalOnly[i] ? articleLast(original) : `${title} (${articleLast(original)})`
    }
    if (aka[i] !== undefined) title = `${title} (a.k.a. ${aka[i]})`
    c.movieLensTitle[i] = noYear[i] ? title : `${title} (${c.year[i]})`
  }

  c.rankToIndex = permutation(size, random)
  for (let rank = 0; rank < size; rank++) c.rankOf[c.rankToIndex[rank] as number] = rank

  // The hashtag map covers the most popular movies, as a curated list would.
  const used = new Set<string>(GENERIC_HASHTAGS.map((tag) => tag.toLowerCase()))
  const mapped = Math.min(size, Math.max(20, Math.round(size * HASHTAG_SHARE)))
  for (let rank = 0; rank < mapped; rank++) {
    const i = c.rankToIndex[rank] as number
    let tag = titleHashtag(
      c.original[i] !== undefined && originalOnly[i] ? (c.original[i] as string) : (c.title[i] as string)
    )
    if (used.has(tag.toLowerCase())) tag = `${tag}${c.year[i]}`
    if (used.has(tag.toLowerCase())) tag = `${tag}M${c.movieId[i]}`
    used.add(tag.toLowerCase())
    c.hashtag[i] = tag
  }
  return c
}

export function imdbDigits(value: number): string {
  return String(value).padStart(7, '0')
}

/** Draws a movie index: by popularity most of the time, uniformly otherwise. */
export function drawMovie(c: Catalogue, zipf: ZipfSampler, random: Random): number {
  return random.next() < POPULAR_SHARE ? (c.rankToIndex[zipf.sample(random)] as number) : random.int(c.size)
}
