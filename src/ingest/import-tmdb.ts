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
 *
 * A movie whose row is unchanged still has its links checked: edges deleted by hand (or with the
 * movie at their other end) are made again, and the row then counts as updated, not unchanged.
 */
import type { ManagedTransaction } from 'neo4j-driver'
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
import { hasTmdbLinks, planTmdbMovie, sortedUnique, tmdbListScore } from './plan.js'
import {
  CLEAR_PENDING_LINKS,
  COLLECTION_MEMBERS,
  LINK_SOURCES,
  MOVIES_BY_TMDB_ID,
  PENDING_LINK_MOVIES,
  SET_PENDING_LINKS,
  WRITE_FRANCHISE_EDGES,
  WRITE_SIMILAR_EDGES
} from './queries.js'
import { lineRows } from './rows.js'
import { parseTmdbLine, tmdbMovieId } from './tmdb.js'
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
    const unchanged = await loadMovies(db, source, fileRun, options)
    const links = await linkMovies(db, fileRun, new Set(unchanged.keys()))
    // Counted only now: a row is unchanged when its links were all there too.
    for (const [id, count] of unchanged)
      fileRun.count(links.repaired.has(id) ? { updated: count } : { unchanged: count })
    return { links: { similar: links.similar, franchise: links.franchise, pending: links.pending } }
  })
}

/**
 * Writes the file's movies; returns the movies of unchanged rows with links to check (with how
 * many rows named each), which are left for the caller to count.
 */
async function loadMovies(
  db: Database,
  source: Input,
  fileRun: FileRun,
  options: ImportOptions
): Promise<Map<string, number>> {
  const unchangedWithLinks = new Map<string, number>()
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
        movielens_id: null,
        movie_id: tmdbMovieId(located.value.movie.tmdb_id)
      }
    }))
    const outcomes = await writeMovieBatch(db, fileRun, movieRows, genres, 'tmdb_id', (row, found) =>
      planTmdbMovie(row.located.value, found)
    )
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected')
        await fileRun.reject(outcome.row.located, outcome.reason ?? 'refused')
      else if (
        outcome.status === 'unchanged' &&
        outcome.movie_id !== undefined &&
        hasTmdbLinks(outcome.row.located.value)
      )
        unchangedWithLinks.set(outcome.movie_id, (unchangedWithLinks.get(outcome.movie_id) ?? 0) + 1)
      else fileRun.count({ [outcome.status]: 1 })
    }
  })
  return unchangedWithLinks
}

interface Pair {
  from: string
  to: string
  score?: number
}

/** A pair to link, with the movies whose lists ask for it. */
interface WantedPair {
  pair: Pair
  sources: Set<string>
}

const pairKey = (from: string, to: string): string => `${from}\u0000${to}`

function addPair(pairs: Map<string, WantedPair>, source: string, other: string, score?: number): void {
  const { from, to } = canonicalEndpoints('SIMILAR_TO', source, other)
  const key = pairKey(from, to)
  const known = pairs.get(key)
  if (!known) {
    pairs.set(key, {
      pair: score === undefined ? { from, to } : { from, to, score },
      sources: new Set([source])
    })
    return
  }
  known.sources.add(source)
  if (score !== undefined && (known.pair.score === undefined || score > known.pair.score))
    known.pair.score = score
}

function sortedPairs(pairs: Map<string, WantedPair>): Pair[] {
  return [...pairs.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map((entry) => entry[1].pair)
}

/** Writes `pairs` with `query`; returns the pairs written, as the movies whose lists asked for each. */
async function writePairs(
  tx: ManagedTransaction,
  query: string,
  pairs: Map<string, WantedPair>
): Promise<Array<Set<string>>> {
  if (pairs.size === 0) return []
  const written = rows<Pair>(await tx.run(query, { pairs: sortedPairs(pairs) }))
  return written.map(({ from, to }) => pairs.get(pairKey(from, to))?.sources ?? new Set())
}

/**
 * Makes the edges of every movie flagged as pending (this run's and earlier runs') and of the
 * movies in `check`, a batch of movies per transaction; a movie whose lists are all resolved loses
 * its flag, one whose lists are not has it. `repaired` holds the movies of `check` that lacked an
 * edge or the flag.
 */
async function linkMovies(
  db: Database,
  fileRun: FileRun,
  check: ReadonlySet<string>
): Promise<TmdbImportSummary['links'] & { repaired: Set<string> }> {
  const flagged = (await db.readRows<{ movie_id: string }>(PENDING_LINK_MOVIES)).map((row) => row.movie_id)
  const totals = { similar: 0, franchise: 0, pending: 0, repaired: new Set<string>() }
  const movies = sortedUnique([...flagged, ...check])
  if (movies.length === 0) return totals
  const collections = new Map<number, string[]>()
  for (const member of await db.readRows<{ collection_id: number; movie_id: string }>(COLLECTION_MEMBERS)) {
    const members = collections.get(member.collection_id) ?? []
    members.push(member.movie_id)
    collections.set(member.collection_id, members)
  }

  for (const ids of chunks(movies, LINK_BATCH)) {
    const sources = await db.readRows<{
      movie_id: string
      collection_id: number | null
      similar: number[]
      recommended: number[]
      pending: boolean
    }>(LINK_SOURCES, { movie_ids: ids })
    const wanted = new Set<number>()
    for (const s of sources) for (const id of [...s.similar, ...s.recommended]) wanted.add(id)
    const stored = new Map<number, string>()
    for (const row of await db.readRows<{ tmdb_id: number; movie_id: string }>(MOVIES_BY_TMDB_ID, {
      tmdb_ids: [...wanted].map((id) => int(id))
    })) {
      stored.set(row.tmdb_id, row.movie_id)
    }

    const similar = new Map<string, WantedPair>()
    const franchise = new Map<string, WantedPair>()
    const complete: string[] = []
    const incomplete: string[] = []
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
      if (resolved) {
        if (s.pending) complete.push(s.movie_id)
      } else {
        totals.pending++
        if (!s.pending) {
          incomplete.push(s.movie_id)
          totals.repaired.add(s.movie_id)
        }
      }
    }
    // Whatever a retried transaction decides is only kept once it commits.
    const written = await writeBatch(db, fileRun, async (tx) => {
      const edges = {
        similar: await writePairs(tx, WRITE_SIMILAR_EDGES, similar),
        franchise: await writePairs(tx, WRITE_FRANCHISE_EDGES, franchise)
      }
      if (complete.length > 0) await tx.run(CLEAR_PENDING_LINKS, { movie_ids: complete })
      if (incomplete.length > 0) await tx.run(SET_PENDING_LINKS, { movie_ids: incomplete })
      return edges
    })
    totals.similar += written.similar.length
    totals.franchise += written.franchise.length
    for (const sources of [...written.similar, ...written.franchise])
      for (const id of sources) totals.repaired.add(id)
  }
  return totals
}
