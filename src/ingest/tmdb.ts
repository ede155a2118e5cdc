/**
 * TMDB movie details, one JSON object per line as the API returns them (optionally with the
 * `similar` and `recommendations` appended), turned into a movie record, its collection and the
 * TMDB ids it points to.
 */
import {
  fail,
  isRecord,
  isoDate,
  jsonObject,
  ok,
  optionalNumberField,
  optionalStringField,
  positiveIntegerField,
  requiredStringField,
  show
} from './fields.js'
import type { ParseResult } from './fields.js'

export interface TmdbMovie {
  tmdb_id: number
  imdb_id: string | null
  title: string
  original_title: string
  overview: string | null
  /** `YYYY-MM-DD`, or null where TMDB has ''. */
  release_date: string | null
  year: number | null
  /** Minutes; TMDB's 0 means unknown and becomes null. */
  runtime: number | null
  genres: string[]
  popularity: number | null
  vote_average: number | null
  vote_count: number | null
  original_language: string | null
  poster_path: string | null
}

export interface TmdbCollection {
  tmdb_id: number
  name: string
}

/** A genre as TMDB names it, with TMDB's id for it. */
export interface TmdbGenre {
  name: string
  tmdb_genre_id: number
}

export interface TmdbRecord {
  movie: TmdbMovie
  /** The movie's genres that come with an id, in TMDB's order, each name once. */
  genre_ids: TmdbGenre[]
  collection: TmdbCollection | null
  /** TMDB ids in TMDB's order, without duplicates or the movie itself. */
  similar: number[]
  recommended: number[]
}

/** The service's movie_id for a movie first seen in TMDB. */
export function tmdbMovieId(tmdbId: number): string {
  return `tmdb-${tmdbId}`
}

const IMDB_ID = /^tt\d{7,}$/
const LANGUAGE = /^[a-z]{2,3}$/

export function parseTmdbLine(line: string): ParseResult<TmdbRecord> {
  const object = jsonObject(line)
  return object.ok ? parseTmdbMovie(object.value) : object
}

export function parseTmdbMovie(details: unknown): ParseResult<TmdbRecord> {
  if (!isRecord(details)) return fail('expected a JSON object')
  const id = positiveIntegerField(details['id'], 'id')
  if (!id.ok) return id
  const title = requiredStringField(details['title'], 'title')
  if (!title.ok) return title
  const originalTitle = optionalStringField(details['original_title'], 'original_title')
  if (!originalTitle.ok) return originalTitle
  const overview = optionalStringField(details['overview'], 'overview')
  if (!overview.ok) return overview

  const imdb = optionalStringField(details['imdb_id'], 'imdb_id')
  if (!imdb.ok) return imdb
  if (imdb.value !== null && !IMDB_ID.test(imdb.value)) {
    return fail(`imdb_id must look like tt0114709, got ${show(imdb.value)}`)
  }

  const releaseText = optionalStringField(details['release_date'], 'release_date')
  if (!releaseText.ok) return releaseText
  let release: { date: string; year: number } | null = null
  if (releaseText.value !== null) {
    const parsed = isoDate(releaseText.value, 'release_date')
    if (!parsed.ok) return parsed
    release = parsed.value
  }

  const runtime = optionalNumberField(details['runtime'], 'runtime', { min: 0, integer: true })
  if (!runtime.ok) return runtime
  const popularity = optionalNumberField(details['popularity'], 'popularity', { min: 0 })
  if (!popularity.ok) return popularity
  const voteAverage = optionalNumberField(details['vote_average'], 'vote_average', { min: 0, max: 10 })
  if (!voteAverage.ok) return voteAverage
  const voteCount = optionalNumberField(details['vote_count'], 'vote_count', { min: 0, integer: true })
  if (!voteCount.ok) return voteCount

  const language = optionalStringField(details['original_language'], 'original_language')
  if (!language.ok) return language
  if (language.value !== null && !LANGUAGE.test(language.value)) {
    return fail(`original_language must be an ISO 639 code, got ${show(language.value)}`)
  }
  const poster = optionalStringField(details['poster_path'], 'poster_path')
  if (!poster.ok) return poster
  if (poster.value !== null && !poster.value.startsWith('/')) {
    return fail(`poster_path must start with /, got ${show(poster.value)}`)
  }

  const genres = parseGenreList(details['genres'])
  if (!genres.ok) return genres
  const collection = parseCollection(details['belongs_to_collection'])
  if (!collection.ok) return collection
  const similar = relatedIds(details['similar'], 'similar', id.value)
  if (!similar.ok) return similar
  const recommended = relatedIds(details['recommendations'], 'recommendations', id.value)
  if (!recommended.ok) return recommended

  return ok({
    movie: {
      tmdb_id: id.value,
      imdb_id: imdb.value,
      title: title.value,
      original_title: originalTitle.value ?? title.value,
      overview: overview.value,
      release_date: release?.date ?? null,
      year: release?.year ?? null,
      runtime: runtime.value === 0 ? null : runtime.value,
      genres: genres.value.names,
      popularity: popularity.value,
      vote_average: voteAverage.value,
      vote_count: voteCount.value,
      original_language: language.value,
      poster_path: poster.value
    },
    genre_ids: genres.value.ids,
    collection: collection.value,
    similar: similar.value,
    recommended: recommended.value
  })
}

function parseGenreList(value: unknown): ParseResult<{ names: string[]; ids: TmdbGenre[] }> {
  if (value === undefined || value === null) return ok({ names: [], ids: [] })
  if (!Array.isArray(value)) return fail(`genres must be an array, got ${show(value)}`)
  const names: string[] = []
  const ids: TmdbGenre[] = []
  for (const [index, genre] of value.entries()) {
    const name = isRecord(genre) ? requiredStringField(genre['name'], `genres[${index}].name`) : undefined
    if (!name) return fail(`genres[${index}] must be an object with a name, got ${show(genre)}`)
    if (!name.ok) return name
    if (names.includes(name.value)) continue
    names.push(name.value)
    const rawId = (genre as Record<string, unknown>)['id']
    if (rawId === undefined || rawId === null) continue
    const id = positiveIntegerField(rawId, `genres[${index}].id`)
    if (!id.ok) return id
    ids.push({ name: name.value, tmdb_genre_id: id.value })
  }
  return ok({ names, ids })
}

function parseCollection(value: unknown): ParseResult<TmdbCollection | null> {
  if (value === undefined || value === null) return ok(null)
  if (!isRecord(value)) return fail(`belongs_to_collection must be an object or null, got ${show(value)}`)
  const id = positiveIntegerField(value['id'], 'belongs_to_collection.id')
  if (!id.ok) return id
  const name = requiredStringField(value['name'], 'belongs_to_collection.name')
  if (!name.ok) return name
  return ok({ tmdb_id: id.value, name: name.value })
}

/** `similar` / `recommendations` as TMDB appends them: `{ page, results: [{ id, ... }] }`. */
function relatedIds(value: unknown, name: string, self: number): ParseResult<number[]> {
  if (value === undefined || value === null) return ok([])
  if (!isRecord(value)) return fail(`${name} must be an object with results, got ${show(value)}`)
  const results = value['results']
  if (results === undefined || results === null) return ok([])
  if (!Array.isArray(results)) return fail(`${name}.results must be an array, got ${show(results)}`)
  const ids: number[] = []
  const seen = new Set<number>([self])
  for (const [index, entry] of results.entries()) {
    const id = positiveIntegerField(isRecord(entry) ? entry['id'] : undefined, `${name}.results[${index}].id`)
    if (!id.ok) return id
    if (!seen.has(id.value)) {
      seen.add(id.value)
      ids.push(id.value)
    }
  }
  return ok(ids)
}
