/**
 * What a row means for the graph, decided from what is already stored: create, update (with only
 * the properties that change), leave alone, or refuse with a reason. Pure functions, so the rules
 * for matching movies across sources and for telling unchanged rows apart are tested without
 * a database; the writers only carry the plans out.
 *
 * Who owns which movie fields: TMDB is the richer catalogue, so its values replace others (but a
 * field TMDB leaves empty never erases one that is known). MovieLens owns title, original title,
 * a.k.a. names, year and genres only of movies it created and TMDB has not described since;
 * elsewhere it fills gaps and adds its ids and its raw title (ml_title). Keys are never moved
 * from one movie to another: a row that would need that is refused.
 */
import { labelFor } from '../lib/sentiment.js'
import type { Sentiment } from '../lib/sentiment.js'
import type { MovieLensLink, MovieLensMovie } from './movielens.js'
import { movieLensMovieId } from './movielens.js'
import type { TmdbRecord } from './tmdb.js'
import { tmdbMovieId } from './tmdb.js'
import type { TweetReview } from './tweets.js'

/** A movie as MOVIE_CANDIDATES projects it. */
export interface StoredMovie {
  movie_id: string
  tmdb_id: number | null
  imdb_id: string | null
  movielens_id: number | null
  title: string | null
  original_title: string | null
  aka_titles: string[] | null
  ml_title: string | null
  overview: string | null
  release_date: string | null
  year: number | null
  runtime: number | null
  popularity: number | null
  vote_average: number | null
  vote_count: number | null
  original_language: string | null
  poster_path: string | null
  catalog_source: string | null
  collection_id: number | null
  collection_name: string | null
  tmdb_similar_ids: number[] | null
  tmdb_recommended_ids: number[] | null
  genres: string[]
}

export interface MovieCandidates {
  by_tmdb: StoredMovie | null
  by_imdb: StoredMovie | null
  by_movielens?: StoredMovie | null
  /** The movie holding the movie_id a new movie would get. */
  by_movie_id?: StoredMovie | null
}

export type MoviePlan =
  | { kind: 'reject'; reason: string }
  | { kind: 'unchanged'; movie_id: string }
  | {
      kind: 'write'
      create: boolean
      movie_id: string
      /** Properties to set; a null removes one. */
      props: Record<string, unknown>
      /** `YYYY-MM-DD` to store as a date, or null to leave it. */
      release_date: string | null
      /** The complete new genre set, or null to leave the genres alone. */
      genres: string[] | null
    }

export const MOVIELENS_SOURCE = 'movielens'
export const TMDB_SOURCE = 'tmdb'

/** Code-unit order, the order Neo4j sorts strings in. */
export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
}

function sameList<T>(a: readonly T[] | null | undefined, b: readonly T[] | null | undefined): boolean {
  if (!a || !b) return (a ?? null) === (b ?? null)
  return a.length === b.length && a.every((value, i) => value === b[i])
}

function same(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return sameList(a as unknown[] | null | undefined, b as unknown[] | null | undefined)
  }
  return (a ?? null) === (b ?? null)
}

/** A.k.a. names as stored: absent rather than an empty list. */
function akaTitles(movie: MovieLensMovie): string[] | null {
  return movie.aka_titles.length > 0 ? movie.aka_titles : null
}

export function planMovieLensMovie(
  movie: MovieLensMovie,
  link: MovieLensLink | undefined,
  found: MovieCandidates
): MoviePlan {
  const genres = sortedUnique(movie.genres)
  const byMovieLens = found.by_movielens ?? null
  // A movie holding the id a new one would get is this one, unless its keys say otherwise (below).
  const target = found.by_tmdb ?? found.by_imdb ?? byMovieLens ?? found.by_movie_id ?? null
  if (!target) {
    return {
      kind: 'write',
      create: true,
      movie_id: movieLensMovieId(movie.movielens_id),
      props: {
        movielens_id: movie.movielens_id,
        tmdb_id: link?.tmdb_id ?? null,
        imdb_id: link?.imdb_id ?? null,
        title: movie.title,
        original_title: movie.original_title,
        aka_titles: akaTitles(movie),
        ml_title: movie.ml_title,
        year: movie.year,
        catalog_source: MOVIELENS_SOURCE
      },
      release_date: null,
      genres
    }
  }
  const via = found.by_tmdb
    ? `tmdbId ${link?.tmdb_id}`
    : found.by_imdb
      ? `imdbId ${link?.imdb_id}`
      : `movieId ${movie.movielens_id}`
  if (byMovieLens && byMovieLens.movie_id !== target.movie_id) {
    return {
      kind: 'reject',
      reason:
        `movieId ${movie.movielens_id} is already movie ${byMovieLens.movie_id}, ` +
        `but ${via} belongs to movie ${target.movie_id}`
    }
  }
  if (target.movielens_id !== null && target.movielens_id !== movie.movielens_id) {
    return {
      kind: 'reject',
      reason: `${via} belongs to movie ${target.movie_id}, which is MovieLens movieId ${target.movielens_id}`
    }
  }

  const props: Record<string, unknown> = {}
  if (target.movielens_id === null) props.movielens_id = movie.movielens_id
  // A key another movie holds is not taken from it; the link stays a hint.
  if (link?.tmdb_id != null && target.tmdb_id === null && !found.by_tmdb) props.tmdb_id = link.tmdb_id
  if (link?.imdb_id && target.imdb_id === null && !found.by_imdb) props.imdb_id = link.imdb_id
  // The raw title is MovieLens's own, whoever describes the movie.
  if (target.ml_title !== movie.ml_title) props.ml_title = movie.ml_title
  let newGenres: string[] | null = null
  if (target.catalog_source === MOVIELENS_SOURCE) {
    if (target.title !== movie.title) props.title = movie.title
    if (target.original_title !== movie.original_title) props.original_title = movie.original_title
    if (!same(target.aka_titles, akaTitles(movie))) props.aka_titles = akaTitles(movie)
    if (target.year !== movie.year) props.year = movie.year
    if (!sameList(target.genres, genres)) newGenres = genres
  } else {
    if (target.year === null && movie.year !== null) props.year = movie.year
    if (target.genres.length === 0 && genres.length > 0) newGenres = genres
  }
  if (Object.keys(props).length === 0 && newGenres === null) {
    return { kind: 'unchanged', movie_id: target.movie_id }
  }
  return {
    kind: 'write',
    create: false,
    movie_id: target.movie_id,
    props,
    release_date: null,
    genres: newGenres
  }
}

/** Whether a TMDB record leaves franchise or similarity links to be made. */
export function hasTmdbLinks(record: TmdbRecord): boolean {
  return record.collection !== null || record.similar.length > 0 || record.recommended.length > 0
}

export function planTmdbMovie(record: TmdbRecord, found: MovieCandidates): MoviePlan {
  const m = record.movie
  const byImdb = found.by_imdb
  const imdbUsable = byImdb === null || byImdb.movie_id === found.by_tmdb?.movie_id
  const adoptByImdb = found.by_tmdb === null && byImdb !== null && byImdb.tmdb_id === null
  if (!imdbUsable && !adoptByImdb && byImdb) {
    return {
      kind: 'reject',
      reason:
        `imdb_id ${m.imdb_id} already belongs to movie ${byImdb.movie_id}` +
        (byImdb.tmdb_id !== null ? ` (tmdb_id ${byImdb.tmdb_id})` : '')
    }
  }
  // A movie already holding `tmdb-<id>` without a TMDB id (removed by hand, say) is this one.
  const byId = found.by_movie_id ?? null
  const adoptById = found.by_tmdb === null && byImdb === null && byId !== null && byId.tmdb_id === null
  const target = found.by_tmdb ?? (adoptByImdb ? byImdb : adoptById ? byId : null)

  const given: Record<string, unknown> = {
    tmdb_id: m.tmdb_id,
    imdb_id: m.imdb_id,
    title: m.title,
    original_title: m.original_title,
    overview: m.overview,
    year: m.year,
    runtime: m.runtime,
    popularity: m.popularity,
    vote_average: m.vote_average,
    vote_count: m.vote_count,
    original_language: m.original_language,
    poster_path: m.poster_path,
    collection_id: record.collection?.tmdb_id ?? null,
    collection_name: record.collection?.name ?? null,
    tmdb_similar_ids: record.similar.length > 0 ? record.similar : null,
    tmdb_recommended_ids: record.recommended.length > 0 ? record.recommended : null,
    catalog_source: TMDB_SOURCE
  }
  const wanted: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(given)) if (value !== null) wanted[key] = value
  const genres = m.genres.length > 0 ? sortedUnique(m.genres) : null
  const links = hasTmdbLinks(record)

  if (!target) {
    return {
      kind: 'write',
      create: true,
      movie_id: tmdbMovieId(m.tmdb_id),
      props: links ? { ...wanted, tmdb_links_pending: true } : wanted,
      release_date: m.release_date,
      genres: genres ?? []
    }
  }
  const props: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(wanted)) {
    if (!same(value, target[key as keyof StoredMovie])) props[key] = value
  }
  const releaseDate =
    m.release_date !== null && m.release_date !== target.release_date ? m.release_date : null
  const newGenres = genres !== null && !sameList(genres, target.genres) ? genres : null
  if (Object.keys(props).length === 0 && releaseDate === null && newGenres === null) {
    return { kind: 'unchanged', movie_id: target.movie_id }
  }
  if (links) props.tmdb_links_pending = true
  return {
    kind: 'write',
    create: false,
    movie_id: target.movie_id,
    props,
    release_date: releaseDate,
    genres: newGenres
  }
}

/** A tweet review as STORED_TWEETS projects it. */
export interface StoredTweet {
  tweet_id: string
  content: string | null
  language: string | null
  sentiment_score: number | null
  sentiment_label: string | null
  created_at_ms: number | null
  reported_retweet_count: number | null
  like_count: number | null
  reply_count: number | null
  quote_count: number | null
  twitter_author_id: string | null
  in_reply_to_tweet_id: string | null
  quoted_tweet_id: string | null
  hashtags: string[] | null
  source: string | null
}

export type TweetPlan =
  | { kind: 'unchanged' }
  | {
      kind: 'write'
      create: boolean
      review_id: string
      movie_id: string
      props: Record<string, unknown>
      created_at: string
    }

/** The review_id of a review first stored from a tweet. */
export function tweetReviewId(tweetId: string): string {
  return `tweet-${tweetId}`
}

/**
 * `score` is called only when the sentiment must be computed: a tweet whose text is what is
 * stored keeps its stored score, which spares re-imports the scoring.
 */
export function planTweet(
  review: TweetReview,
  movieId: string,
  stored: { review: StoredTweet; movie_id: string | null } | undefined,
  score: (text: string) => Sentiment
): TweetPlan {
  const t = review.tweet
  const fields: Record<string, unknown> = {
    source: 'tweet',
    tweet_id: t.tweet_id,
    content: t.text,
    language: t.lang,
    reported_retweet_count: t.retweet_count,
    like_count: t.like_count,
    reply_count: t.reply_count,
    quote_count: t.quote_count,
    twitter_author_id: t.author_id,
    in_reply_to_tweet_id: t.in_reply_to,
    quoted_tweet_id: t.quotes,
    hashtags: t.hashtags
  }
  const old = stored?.review
  let sentiment: Sentiment
  if (t.sentiment_score !== null) {
    sentiment = { score: t.sentiment_score, label: labelFor(t.sentiment_score) }
  } else if (old && old.content === t.text && old.sentiment_score !== null && old.sentiment_label !== null) {
    sentiment = { score: old.sentiment_score, label: old.sentiment_label as Sentiment['label'] }
  } else {
    sentiment = score(t.text)
  }
  const props = { ...fields, sentiment_score: sentiment.score, sentiment_label: sentiment.label }
  if (
    old &&
    stored.movie_id === movieId &&
    old.created_at_ms === Date.parse(t.created_at) &&
    Object.entries(props).every(([key, value]) => same(value, old[key as keyof StoredTweet]))
  ) {
    return { kind: 'unchanged' }
  }
  return {
    kind: 'write',
    create: old === undefined,
    review_id: tweetReviewId(t.tweet_id),
    movie_id: movieId,
    props,
    created_at: t.created_at
  }
}

/** Score of a TMDB similar or recommended movie from its place in the list (TMDB lists up to 20). */
export function tmdbListScore(rank: number): number {
  return Math.round(Math.max(0.5, 1 - 0.025 * rank) * 1000) / 1000
}
