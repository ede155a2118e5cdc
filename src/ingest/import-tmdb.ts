/**
 * `importTmdb`: TMDB movie details, one per line, into the graph. Movies are matched by TMDB id,
 * then by an IMDb id held by a movie without a TMDB id (a MovieLens movie without a link), and
 * otherwise created as `tmdb-<id>`.
 *
 * Links come after all movies of the run are in. A collection becomes SAME_FRANCHISE edges to
 * every stored movie of that collection; similar and recommended movies become SIMILAR_TO edges
 * {source: 'tmdb'} scored by their place in TMDB's list. A target that is not stored yet gets no
 * stub: a stub would be a movie without a title, which every reader of the graph would have to
 * step around. Instead the movie keeps its lists and a `tmdb_links_pending` flag, and every later
 * TMDB import links the pending movies whose targets have arrived since, so the edges end up the
 * same in whatever order the files are loaded.
 */
import { int } from '../db/convert.js'
import { rows } from '../db/database.js'
import type { Database } from '../db/database.js'
import { canonicalEndpoints } from '../domain/relationship-types.js'
import { batchSizeOf, importOneFile } from './file-run.js'
import type { FileRun, ImportOptions, ImportSummary } from './file-run.js'
import { readLines } from './input.js'
import type { Input } from './input.js'
import { newGenreCache, writeMovieBatch } from './movie-writer.js'
import type { MovieRow } from './movie-writer.js'
import { planTmdbMovie, tmdbListScore } from './plan.js'
import {
  CLEAR_PENDING_LINKS,
  COLLECTION_MEMBERS,
  LINK_SOURCES,
  MOVIES_BY_TMDB_ID,
  PENDING_LINK_MOVIES,
  WRITE_FRANCHISE_EDGES,
  WRITE_SIMILAR_EDGES
} from './queries.js'
import { lineRows } from './rows.js'
import { parseTmdbLine } from './tmdb.js'
import type { TmdbRecord } from './tmdb.js'
import { chunks, pipeline, writeBatch } from './writer.js'

export interface TmdbImportSummary extends ImportSummary {
  links: {
    /** SIMILAR_TO edges created or given a higher score. */
    similar: number
    /** SAME_FRANCHISE edges created. */
    franchise: number
    /** Movies whose lists still name movies that are not stored. */
    pending: number
  }
}

/** Movies linked per transaction. */
const LINK_BATCH = 500

export async function importTmdb(
  db: Database,
  input: string,
  options: ImportOptions = {}
): Promise<TmdbImportSummary> {
  return importOneFile(input, 'tmdb', options, async (source, fileRun) => {
    await loadMovies(db, source, fileRun, options)
    return { links: await linkPendingMovies(db, fileRun) }
  })
}

async function loadMovies(
  db: Database,
  source: Input,
  fileRun: FileRun,
  options: ImportOptions
): Promise<void> {
  const genres = newGenreCache()
  const grouped = fileRun.batches(lineRows(readLines(source)), parseTmdbLine, {
    size: batchSizeOf(options),
    key: (row) => row.value.movie.tmdb_id
  })
  // One batch at a time: each is planned against the graph the previous one left.
  await pipeline(grouped, async (batch) => {
    const movieRows: MovieRow<TmdbRecord>[] = batch.map((located) => ({
      located,
      genres: located.value.movie.genres,
      genre_ids: located.value.genre_ids,
      keys: {
        key: located.value.movie.tmdb_id,
        tmdb_id: located.value.movie.tmdb_id,
        imdb_id: located.value.movie.imdb_id,
        movielens_id: null
      }
    }))
    const outcomes = await writeMovieBatch(db, fileRun, movieRows, genres, 'tmdb_id', (row, found) =>
      planTmdbMovie(row.located.value, found)
    )
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected')
        await fileRun.reject(outcome.row.located, outcome.reason ?? 'refused')
      else fileRun.count({ [outcome.status]: 1 })
    }
  })
}

interface Pair {
  from: string
  to: string
  score?: number
}

function addPair(pairs: Map<string, Pair>, a: string, b: string, score?: number): void {
  const { from, to } = canonicalEndpoints('SIMILAR_TO', a, b)
  const key = `${from}\u0000${to}`
  const known = pairs.get(key)
  if (!known) pairs.set(key, score === undefined ? { from, to } : { from, to, score })
  else if (score !== undefined && (known.score === undefined || score > known.score)) known.score = score
}

function sortedPairs(pairs: Map<string, Pair>): Pair[] {
  return [...pairs.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map((entry) => entry[1])
}

/**
 * Makes the edges of every movie flagged as pending (this run's and earlier runs'), a batch of
 * movies per transaction; a movie whose lists are all resolved loses its flag.
 */
export async function linkPendingMovies(
  db: Database,
  fileRun?: FileRun
): Promise<TmdbImportSummary['links']> {
  const pending = (await db.readRows<{ movie_id: string }>(PENDING_LINK_MOVIES)).map((row) => row.movie_id)
  const totals = { similar: 0, franchise: 0, pending: 0 }
  if (pending.length === 0) return totals
  const collections = new Map<number, string[]>()
  for (const member of await db.readRows<{ collection_id: number; movie_id: string }>(COLLECTION_MEMBERS)) {
    const members = collections.get(member.collection_id) ?? []
    members.push(member.movie_id)
    collections.set(member.collection_id, members)
  }

  for (const ids of chunks(pending, LINK_BATCH)) {
    const sources = await db.readRows<{
      movie_id: string
      collection_id: number | null
      similar: number[]
      recommended: number[]
    }>(LINK_SOURCES, { movie_ids: ids })
    const wanted = new Set<number>()
    for (const s of sources) for (const id of [...s.similar, ...s.recommended]) wanted.add(id)
    const stored = new Map<number, string>()
    for (const row of await db.readRows<{ tmdb_id: number; movie_id: string }>(MOVIES_BY_TMDB_ID, {
      tmdb_ids: [...wanted].map((id) => int(id))
    })) {
      stored.set(row.tmdb_id, row.movie_id)
    }

    const similar = new Map<string, Pair>()
    const franchise = new Map<string, Pair>()
    const complete: string[] = []
    for (const s of sources) {
      let resolved = true
      for (const list of [s.similar, s.recommended]) {
        list.forEach((tmdbId, rank) => {
          const other = stored.get(tmdbId)
          if (other === undefined) resolved = false
          else if (other !== s.movie_id) addPair(similar, s.movie_id, other, tmdbListScore(rank))
        })
      }
      for (const other of s.collection_id === null ? [] : (collections.get(s.collection_id) ?? [])) {
        if (other !== s.movie_id) addPair(franchise, s.movie_id, other)
      }
      if (resolved) complete.push(s.movie_id)
      else totals.pending++
    }
    const written = await writeBatch(db, fileRun, async (tx) => {
      const counts = { similar: 0, franchise: 0 }
      if (similar.size > 0) {
        const [row] = rows<{ written: number }>(
          await tx.run(WRITE_SIMILAR_EDGES, { pairs: sortedPairs(similar) })
        )
        counts.similar = row?.written ?? 0
      }
      if (franchise.size > 0) {
        const [row] = rows<{ written: number }>(
          await tx.run(WRITE_FRANCHISE_EDGES, { pairs: sortedPairs(franchise) })
        )
        counts.franchise = row?.written ?? 0
      }
      if (complete.length > 0) await tx.run(CLEAR_PENDING_LINKS, { movie_ids: complete })
      return counts
    })
    totals.similar += written.similar
    totals.franchise += written.franchise
  }
  return totals
}
