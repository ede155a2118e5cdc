/** Movie routes: create, read (by movie_id or tmdb_id), list, upsert by tmdb_id, patch, delete. */
import { Type } from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  createMovie,
  deleteMovie,
  getMovie,
  getMovieByTmdbId,
  listMovies,
  patchMovie,
  replaceMovieGenres,
  upsertMovieByTmdbId
} from '../data/movies/repository.js'
import { errorResponses } from '../schemas/common.js'
import { MovieGenres, MovieGenresBody } from '../schemas/genre.js'
import {
  MovieCreate,
  MovieDetail,
  MovieListQuery,
  MoviePage,
  MovieParams,
  MoviePatch,
  MovieReplace,
  TmdbParams
} from '../schemas/movie.js'

const tags = ['movies']

const movieRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/movies',
    {
      schema: {
        tags,
        operationId: 'createMovie',
        summary: 'Create a movie, optionally naming its genres',
        description: '409 when the movie_id, tmdb_id or imdb_id is taken; error.details.fields names which.',
        body: MovieCreate,
        response: { 201: MovieDetail, ...errorResponses(400, 409, 503) }
      }
    },
    async (request, reply) => {
      const movie = await createMovie(app.db, request.body)
      return reply
        .code(201)
        .header('location', `/movies/${encodeURIComponent(movie.movie_id)}`)
        .send(movie)
    }
  )

  app.get(
    '/movies',
    {
      schema: {
        tags,
        operationId: 'listMovies',
        summary: 'List movies, filtered and sorted, one keyset page at a time',
        description: 'Pass next_cursor back unchanged with the same sort and order to get the next page.',
        querystring: MovieListQuery,
        response: { 200: MoviePage, ...errorResponses(400, 503) }
      }
    },
    async (request) => listMovies(app.db, request.query)
  )

  app.get(
    '/movies/by-tmdb/:tmdb_id',
    {
      schema: {
        tags,
        operationId: 'getMovieByTmdbId',
        summary: 'A movie by its TMDB id',
        params: TmdbParams,
        response: { 200: MovieDetail, ...errorResponses(400, 404, 503) }
      }
    },
    async (request) => getMovieByTmdbId(app.db, request.params.tmdb_id)
  )

  app.put(
    '/movies/by-tmdb/:tmdb_id',
    {
      schema: {
        tags,
        operationId: 'upsertMovieByTmdbId',
        summary: 'Create or replace a movie by its TMDB id (idempotent)',
        description:
          '201 when created, 200 when it existed. Repeating a request changes nothing, not even updated_at.',
        params: TmdbParams,
        body: MovieReplace,
        response: { 200: MovieDetail, 201: MovieDetail, ...errorResponses(400, 409, 503) }
      }
    },
    async (request, reply) => {
      const { created, movie } = await upsertMovieByTmdbId(app.db, request.params.tmdb_id, request.body)
      return reply.code(created ? 201 : 200).send(movie)
    }
  )

  app.get(
    '/movies/:movie_id',
    {
      schema: {
        tags,
        operationId: 'getMovie',
        summary: 'A movie with its genres, rating and review summaries and relationship counts',
        params: MovieParams,
        response: { 200: MovieDetail, ...errorResponses(400, 404, 503) }
      }
    },
    async (request) => getMovie(app.db, request.params.movie_id)
  )

  app.patch(
    '/movies/:movie_id',
    {
      schema: {
        tags,
        operationId: 'patchMovie',
        summary: 'Change some fields of a movie; null clears an optional field',
        params: MovieParams,
        body: MoviePatch,
        response: { 200: MovieDetail, ...errorResponses(400, 404, 409, 503) }
      }
    },
    async (request) => patchMovie(app.db, request.params.movie_id, request.body)
  )

  app.put(
    '/movies/:movie_id/genres',
    {
      schema: {
        tags,
        operationId: 'replaceMovieGenres',
        summary: "Replace a movie's genres, creating genres that do not exist yet",
        params: MovieParams,
        body: MovieGenresBody,
        response: { 200: MovieGenres, ...errorResponses(400, 404, 503) }
      }
    },
    async (request) => replaceMovieGenres(app.db, request.params.movie_id, request.body.genres)
  )

  app.delete(
    '/movies/:movie_id',
    {
      schema: {
        tags,
        operationId: 'deleteMovie',
        summary: 'Delete a movie with its reviews, ratings and relationships',
        description: 'Genres, users and searches stay; edges from searches to the movie go with it.',
        params: MovieParams,
        response: { 204: Type.Null({ description: 'Deleted' }), ...errorResponses(400, 404, 503) }
      }
    },
    async (request, reply) => {
      await deleteMovie(app.db, request.params.movie_id)
      return reply.code(204).send(null)
    }
  )
}

export default movieRoutes
