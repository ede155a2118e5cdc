import { describe, expect, it, vi } from 'vitest'
import { planMovieLensMovie, planTmdbMovie, planTweet, tmdbListScore } from '../../../src/ingest/plan.js'
import type { StoredMovie, StoredTweet } from '../../../src/ingest/plan.js'
import type { TmdbRecord } from '../../../src/ingest/tmdb.js'
import type { TweetReview } from '../../../src/ingest/tweets.js'

function stored(fields: Partial<StoredMovie> & { movie_id: string }): StoredMovie {
  return {
    tmdb_id: null,
    imdb_id: null,
    movielens_id: null,
    title: null,
    original_title: null,
    aka_titles: null,
    ml_title: null,
    overview: null,
    release_date: null,
    year: null,
    runtime: null,
    popularity: null,
    vote_average: null,
    vote_count: null,
    original_language: null,
    poster_path: null,
    catalog_source: null,
    collection_id: null,
    collection_name: null,
    tmdb_similar_ids: null,
    tmdb_recommended_ids: null,
    genres: [],
    ...fields
  }
}

const none = { by_tmdb: null, by_imdb: null, by_movielens: null }
const toyStory = {
  movielens_id: 1,
  title: 'Toy Story',
  original_title: null,
  aka_titles: [],
  ml_title: 'Toy Story (1995)',
  year: 1995,
  genres: ['Comedy', 'Animation', 'Comedy']
}
const link = { movielens_id: 1, imdb_id: 'tt0114709', tmdb_id: 862 }

describe('planMovieLensMovie', () => {
  it('creates a movie it cannot match as ml-<movieId>, with its links and sorted genres', () => {
    expect(planMovieLensMovie(toyStory, link, none)).toEqual({
      kind: 'write',
      create: true,
      movie_id: 'ml-1',
      props: {
        movielens_id: 1,
        tmdb_id: 862,
        imdb_id: 'tt0114709',
        title: 'Toy Story',
        original_title: null,
        aka_titles: null,
        ml_title: 'Toy Story (1995)',
        year: 1995,
        catalog_source: 'movielens'
      },
      release_date: null,
      genres: ['Animation', 'Comedy']
    })
  })

  it('matches by TMDB id first and only adds what the TMDB movie lacks', () => {
    const tmdb = stored({
      movie_id: 'tmdb-862',
      tmdb_id: 862,
      imdb_id: 'tt0114709',
      title: 'Toy Story (TMDB)',
      year: 1995,
      catalog_source: 'tmdb',
      genres: ['Family']
    })
    expect(planMovieLensMovie(toyStory, link, { ...none, by_tmdb: tmdb, by_imdb: tmdb })).toEqual({
      kind: 'write',
      create: false,
      movie_id: 'tmdb-862',
      props: { movielens_id: 1, ml_title: 'Toy Story (1995)' },
      release_date: null,
      genres: null
    })
    const matched = { ...tmdb, movielens_id: 1, ml_title: 'Toy Story (1995)' }
    expect(
      planMovieLensMovie(toyStory, link, {
        ...none,
        by_tmdb: matched,
        by_imdb: tmdb,
        by_movielens: matched
      })
    ).toEqual({ kind: 'unchanged', movie_id: 'tmdb-862' })
  })

  it('matches by IMDb id next, taking the TMDB id only when no other movie holds it', () => {
    const api = stored({ movie_id: 'api-1', imdb_id: 'tt0114709', title: 'Toy Story' })
    expect(planMovieLensMovie(toyStory, link, { ...none, by_imdb: api })).toMatchObject({
      kind: 'write',
      movie_id: 'api-1',
      props: { movielens_id: 1, tmdb_id: 862, year: 1995 },
      genres: ['Animation', 'Comedy']
    })
  })

  it('rewrites title, year and genres of a movie MovieLens created, and leaves them on others', () => {
    const own = stored({
      movie_id: 'ml-1',
      movielens_id: 1,
      title: 'Toy Story (old)',
      ml_title: 'Toy Story (1995)',
      year: 1994,
      catalog_source: 'movielens',
      genres: ['Comedy']
    })
    expect(planMovieLensMovie(toyStory, undefined, { ...none, by_movielens: own })).toEqual({
      kind: 'write',
      create: false,
      movie_id: 'ml-1',
      props: { title: 'Toy Story', year: 1995 },
      release_date: null,
      genres: ['Animation', 'Comedy']
    })
    expect(
      planMovieLensMovie(toyStory, undefined, { ...none, by_movielens: { ...own, catalog_source: 'tmdb' } })
    ).toEqual({ kind: 'unchanged', movie_id: 'ml-1' })
  })

  it('turns the titles of a movie MovieLens created natural, and keeps the raw title on any movie', () => {
    const matrix = {
      ...toyStory,
      title: 'The Matrix',
      ml_title: 'Matrix, The (1999)',
      original_title: null,
      aka_titles: ['Matrix'],
      year: 1999,
      genres: []
    }
    const old = stored({
      movie_id: 'ml-1',
      movielens_id: 1,
      title: 'Matrix, The',
      year: 1999,
      catalog_source: 'movielens'
    })
    expect(planMovieLensMovie(matrix, undefined, { ...none, by_movielens: old })).toMatchObject({
      kind: 'write',
      props: { title: 'The Matrix', ml_title: 'Matrix, The (1999)', aka_titles: ['Matrix'] }
    })
    const described = { ...old, catalog_source: 'tmdb', title: 'The Matrix (TMDB)' }
    expect(planMovieLensMovie(matrix, undefined, { ...none, by_movielens: described })).toMatchObject({
      kind: 'write',
      props: { ml_title: 'Matrix, The (1999)' }
    })
    expect(
      planMovieLensMovie(matrix, undefined, {
        ...none,
        by_movielens: { ...described, ml_title: 'Matrix, The (1999)' }
      })
    ).toEqual({ kind: 'unchanged', movie_id: 'ml-1' })
  })

  it('takes a movie holding ml-<movieId> without a MovieLens id as its own, unless it has another', () => {
    const lost = stored({ movie_id: 'ml-1', title: 'Toy Story', year: 1995, catalog_source: 'movielens' })
    expect(planMovieLensMovie(toyStory, undefined, { ...none, by_movie_id: lost })).toMatchObject({
      kind: 'write',
      create: false,
      movie_id: 'ml-1',
      props: { movielens_id: 1, ml_title: 'Toy Story (1995)' }
    })
    expect(
      planMovieLensMovie(toyStory, undefined, { ...none, by_movie_id: { ...lost, movielens_id: 9 } })
    ).toEqual({ kind: 'reject', reason: 'movieId 1 belongs to movie ml-1, which is MovieLens movieId 9' })
  })

  it('refuses a row whose ids name two different movies', () => {
    const a = stored({ movie_id: 'a', movielens_id: 1 })
    const b = stored({ movie_id: 'b', tmdb_id: 862 })
    expect(planMovieLensMovie(toyStory, link, { ...none, by_tmdb: b, by_movielens: a })).toEqual({
      kind: 'reject',
      reason: 'movieId 1 is already movie a, but tmdbId 862 belongs to movie b'
    })
    expect(planMovieLensMovie(toyStory, link, { ...none, by_tmdb: { ...b, movielens_id: 7 } })).toEqual({
      kind: 'reject',
      reason: 'tmdbId 862 belongs to movie b, which is MovieLens movieId 7'
    })
  })
})

function tmdbRecord(
  overrides: Partial<TmdbRecord['movie']> = {},
  rest: Partial<TmdbRecord> = {}
): TmdbRecord {
  return {
    movie: {
      tmdb_id: 862,
      imdb_id: 'tt0114709',
      title: 'Toy Story',
      original_title: 'Toy Story',
      overview: 'Toys.',
      release_date: '1995-10-30',
      year: 1995,
      runtime: 81,
      genres: ['Animation', 'Family'],
      popularity: 100.2,
      vote_average: 8,
      vote_count: 17000,
      original_language: 'en',
      poster_path: null,
      ...overrides
    },
    genre_ids: [
      { name: 'Animation', tmdb_genre_id: 16 },
      { name: 'Family', tmdb_genre_id: 10751 }
    ],
    collection: null,
    similar: [],
    recommended: [],
    ...rest
  }
}

describe('planTmdbMovie', () => {
  it('takes a movie holding tmdb-<id> without a TMDB id as its own', () => {
    const lost = stored({ movie_id: 'tmdb-862', title: 'Toy Story', catalog_source: 'tmdb' })
    expect(planTmdbMovie(tmdbRecord({ imdb_id: null }), { ...none, by_movie_id: lost })).toMatchObject({
      kind: 'write',
      create: false,
      movie_id: 'tmdb-862',
      props: { tmdb_id: 862 }
    })
    // Another movie holds the IMDb id: that one is the match, and tmdb-862 stays as it is.
    const other = stored({ movie_id: 'api-1', imdb_id: 'tt0114709' })
    expect(planTmdbMovie(tmdbRecord(), { ...none, by_imdb: other, by_movie_id: lost })).toMatchObject({
      kind: 'write',
      movie_id: 'api-1'
    })
  })

  it('creates tmdb-<id> with every known field, flagged pending when it has links to make', () => {
    const plan = planTmdbMovie(
      tmdbRecord({}, { collection: { tmdb_id: 10194, name: 'Toy Story Collection' } }),
      none
    )
    expect(plan).toEqual({
      kind: 'write',
      create: true,
      movie_id: 'tmdb-862',
      props: {
        tmdb_id: 862,
        imdb_id: 'tt0114709',
        title: 'Toy Story',
        original_title: 'Toy Story',
        overview: 'Toys.',
        year: 1995,
        runtime: 81,
        popularity: 100.2,
        vote_average: 8,
        vote_count: 17000,
        original_language: 'en',
        collection_id: 10194,
        collection_name: 'Toy Story Collection',
        catalog_source: 'tmdb',
        tmdb_links_pending: true
      },
      release_date: '1995-10-30',
      genres: ['Animation', 'Family']
    })
  })

  it('writes only what changed, never erases a known value, and leaves an identical movie alone', () => {
    // Stored from this very record once, with a poster TMDB has since dropped.
    const current = stored({
      ...tmdbRecord().movie,
      movie_id: 'ml-1',
      poster_path: '/kept.jpg',
      catalog_source: 'tmdb'
    })
    expect(planTmdbMovie(tmdbRecord(), { by_tmdb: current, by_imdb: current })).toEqual({
      kind: 'unchanged',
      movie_id: 'ml-1'
    })
    expect(
      planTmdbMovie(tmdbRecord({ popularity: 101.5, overview: null, genres: [] }, { similar: [863] }), {
        by_tmdb: current,
        by_imdb: current
      })
    ).toEqual({
      kind: 'write',
      create: false,
      movie_id: 'ml-1',
      props: { popularity: 101.5, tmdb_similar_ids: [863], tmdb_links_pending: true },
      release_date: null,
      genres: null
    })
  })

  it('adopts a movie that has its IMDb id and no TMDB id, and refuses one whose IMDb id is taken', () => {
    const noTmdb = stored({ movie_id: 'ml-1', imdb_id: 'tt0114709', movielens_id: 1, title: 'Toy Story' })
    expect(planTmdbMovie(tmdbRecord(), { by_tmdb: null, by_imdb: noTmdb })).toMatchObject({
      kind: 'write',
      create: false,
      movie_id: 'ml-1'
    })
    expect(planTmdbMovie(tmdbRecord(), { by_tmdb: null, by_imdb: { ...noTmdb, tmdb_id: 5 } })).toEqual({
      kind: 'reject',
      reason: 'imdb_id tt0114709 already belongs to movie ml-1 (tmdb_id 5)'
    })
    const other = stored({ movie_id: 'tmdb-862', tmdb_id: 862 })
    expect(planTmdbMovie(tmdbRecord(), { by_tmdb: other, by_imdb: noTmdb })).toEqual({
      kind: 'reject',
      reason: 'imdb_id tt0114709 already belongs to movie ml-1'
    })
  })
})

const review: TweetReview = {
  kind: 'review',
  movie: { tmdb_id: 27205 },
  matched_by: 'tmdb_id',
  tweet: {
    tweet_id: '1234567890123456789',
    text: 'Loved it',
    author_id: '42',
    created_at: '2020-07-16T18:04:12.000Z',
    lang: 'en',
    retweet_count: 3,
    like_count: 10,
    reply_count: 0,
    quote_count: 0,
    hashtags: [],
    in_reply_to: null,
    quotes: null,
    sentiment_score: null
  }
}

const storedTweet: StoredTweet = {
  tweet_id: '1234567890123456789',
  content: 'Loved it',
  language: 'en',
  sentiment_score: 0.6,
  sentiment_label: 'positive',
  created_at_ms: Date.parse('2020-07-16T18:04:12.000Z'),
  reported_retweet_count: 3,
  like_count: 10,
  reply_count: 0,
  quote_count: 0,
  twitter_author_id: '42',
  in_reply_to_tweet_id: null,
  quoted_tweet_id: null,
  hashtags: [],
  source: 'tweet'
}

describe('planTweet', () => {
  it('scores a new tweet and names the review after it', () => {
    const score = vi.fn(() => ({ score: 0.6, label: 'positive' as const }))
    expect(planTweet(review, 'tmdb-27205', undefined, score)).toMatchObject({
      kind: 'write',
      create: true,
      review_id: 'tweet-1234567890123456789',
      movie_id: 'tmdb-27205',
      created_at: '2020-07-16T18:04:12.000Z',
      props: {
        content: 'Loved it',
        sentiment_score: 0.6,
        sentiment_label: 'positive',
        reported_retweet_count: 3
      }
    })
    expect(score).toHaveBeenCalledOnce()
  })

  it('leaves a stored tweet alone without scoring it again', () => {
    const score = vi.fn(() => ({ score: 0, label: 'neutral' as const }))
    expect(planTweet(review, 'tmdb-27205', { review: storedTweet, movie_id: 'tmdb-27205' }, score)).toEqual({
      kind: 'unchanged'
    })
    expect(score).not.toHaveBeenCalled()
  })

  it('rewrites a tweet whose metrics, movie or given score changed', () => {
    const score = () => ({ score: 0.6, label: 'positive' as const })
    const known = { review: storedTweet, movie_id: 'tmdb-27205' }
    const more = { ...review, tweet: { ...review.tweet, like_count: 11 } }
    expect(planTweet(more, 'tmdb-27205', known, score)).toMatchObject({ kind: 'write', create: false })
    expect(planTweet(review, 'tmdb-129', known, score)).toMatchObject({ kind: 'write', movie_id: 'tmdb-129' })
    const given = { ...review, tweet: { ...review.tweet, sentiment_score: -0.2 } }
    expect(planTweet(given, 'tmdb-27205', known, score)).toMatchObject({
      kind: 'write',
      props: { sentiment_score: -0.2, sentiment_label: 'negative' }
    })
  })
})

describe('tmdbListScore', () => {
  it('falls from 1 by 0.025 a place, to no less than 0.5', () => {
    expect([0, 1, 2, 19, 20, 40].map(tmdbListScore)).toEqual([1, 0.975, 0.95, 0.525, 0.5, 0.5])
  })
})
