/**
 * The TMDB file of a generated dataset: movie details as JSON lines, the shape TMDB's API returns
 * them in, with similar and recommended lists and collections, and bad lines injected.
 */
import { GENRES, RATING_POPULARITY_EXPONENT, drawMovie, imdbDigits } from './catalogue.js'
import type { Catalogue } from './catalogue.js'
import { OutputFile, brokenJson, unknownKind } from './output.js'
import type { GeneratedFile, Generation } from './output.js'
import { ZipfSampler, deriveRandom } from './random.js'
import type { Random } from './random.js'
import { overview } from './text.js'

/** Kinds of injected rows, as counted in the manifest. */
export const TMDB_INJECTED_KINDS = {
  'tmdb.jsonl': ['broken JSON', 'missing field', 'bad number', 'bad value', 'duplicate key']
} as const

/** TMDB's `similar` / `recommendations` page; entries carry only the id the importer reads. */
function relatedList(ids: number[]): {
  page: number
  results: object[]
  total_pages: number
  total_results: number
} {
  const results = ids.map((id) => ({ id }))
  return { page: 1, results, total_pages: 1, total_results: results.length }
}

export async function writeTmdb(generation: Generation): Promise<GeneratedFile> {
  const c = generation.catalogue
  const output = new OutputFile(generation, 'tmdb.jsonl', TMDB_INJECTED_KINDS['tmdb.jsonl'])
  const random = deriveRandom(generation.seed, 'tmdb.jsonl')
  const zipf = new ZipfSampler(c.size, RATING_POPULARITY_EXPONENT)
  let rows = 0
  const pickRelated = (self: number, count: number): number[] => {
    const ids: number[] = []
    for (let k = 0; k < count; k++) {
      const other = drawMovie(c, zipf, random)
      const tmdb = c.tmdbId[other] as number
      if (tmdb !== 0) ids.push(tmdb)
    }
    // TMDB lists do repeat themselves, point at the movie itself and at movies outside the set.
    if (random.chance(0.02) && ids.length > 0) ids.push(ids[0] as number)
    if (random.chance(0.01)) ids.push(self)
    if (random.chance(0.03)) ids.push(c.maxTmdbId + 1 + random.int(100_000))
    return ids
  }
  for (let i = 0; i < c.size; i++) {
    const tmdb = c.tmdbId[i] as number
    if (tmdb === 0) continue
    rows++
    const rank = c.rankOf[i] as number
    const collectionIndex = c.collection[i] as number
    const collection = collectionIndex === -1 ? undefined : c.collections[collectionIndex]
    const franchise = collection
      ? collection.members.filter((m) => m !== i).map((m) => c.tmdbId[m] as number)
      : []
    const similar = [...franchise.filter((id) => id !== 0), ...pickRelated(tmdb, 3 + random.int(8))]
    const recommended = pickRelated(tmdb, random.int(9))
    const genres: Array<{ id: number; name: string }> = []
    for (let g = 0; g < GENRES.length; g++) {
      const tmdbGenre = (GENRES[g] as (typeof GENRES)[number])[2]
      if (
        (c.genres[i] as number) & (1 << g) &&
        tmdbGenre &&
        !genres.some((genre) => genre.id === tmdbGenre[0])
      ) {
        genres.push({ id: tmdbGenre[0], name: tmdbGenre[1] })
      }
    }
    const voteCount = Math.floor((20_000 / Math.pow(rank + 1, 0.7)) * random.next())
    const details: Record<string, unknown> = {
      adult: false,
      backdrop_path: random.chance(0.8) ? imagePath(random) : null,
      belongs_to_collection: collection
        ? { id: collection.id, name: collection.name, poster_path: null, backdrop_path: null }
        : null,
      budget: random.chance(0.5) ? 0 : 1_000_000 * (1 + random.int(200)),
      genres,
      homepage: '',
      id: tmdb,
      imdb_id: random.chance(0.02) ? null : `tt${imdbDigits(c.imdbNumber[i] as number)}`,
      original_language: c.language[i],
      original_title: c.original[i] ?? c.title[i],
      overview: random.chance(0.03) ? '' : overview(random),
      popularity: Math.round((200 / Math.pow(rank + 1, 0.6) + random.next() * 2) * 1000) / 1000,
      poster_path: random.chance(0.9) ? imagePath(random) : null,
      release_date: random.chance(0.03)
        ? ''
        : `${c.year[i]}-${pad2(c.month[i] as number)}-${pad2(c.day[i] as number)}`,
      revenue: 0,
      runtime: random.chance(0.02) ? 0 : Math.max(60, Math.round(105 + random.gaussian() * 20)),
      status: 'Released',
      tagline: '',
      title: c.title[i],
      video: false,
      vote_average:
        voteCount === 0
          ? 0
          : Math.max(
              0,
              Math.min(
                10,
                Math.round((6.3 + (c.quality[i] as number) * 2 + random.gaussian() * 0.4) * 10) / 10
              )
            ),
      vote_count: voteCount,
      similar: relatedList(similar),
      recommendations: relatedList(recommended)
    }
    const line = JSON.stringify(details)
    await output.add(`${line}\n`, (kind, bad) =>
      kind === 'broken JSON'
        ? brokenJson(line, bad)
        : `${JSON.stringify(badDetails(details, kind, bad, c, i))}\n`
    )
  }
  return output.close(rows)
}

/** The details again with one fault of `kind`; a duplicate differs only in a value, as a refetch would. */
function badDetails(
  details: Record<string, unknown>,
  kind: string,
  random: Random,
  c: Catalogue,
  i: number
): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...details }
  if (kind === 'missing field') delete copy[random.pick(['id', 'title'])]
  else if (kind === 'bad number') {
    const variant = random.int(3)
    if (variant === 0) copy['runtime'] = 'two hours'
    else if (variant === 1) copy['vote_average'] = 11.5
    else copy['id'] = `${details['id'] as number}x`
  } else if (kind === 'bad value') {
    const variant = random.int(3)
    if (variant === 0) copy['release_date'] = `${c.year[i]}-02-30`
    else if (variant === 1) copy['original_language'] = 'English'
    else copy['imdb_id'] = 'nm0000001'
  } else if (kind === 'duplicate key') {
    copy['popularity'] = Math.round(((details['popularity'] as number) + 1) * 1000) / 1000
  } else throw unknownKind('tmdb.jsonl', kind)
  return copy
}

const IMAGE_CHARACTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'

function imagePath(random: Random): string {
  let name = '/'
  for (let k = 0; k < 27; k++) name += IMAGE_CHARACTERS.charAt(random.int(IMAGE_CHARACTERS.length))
  return `${name}.jpg`
}

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value)
}
