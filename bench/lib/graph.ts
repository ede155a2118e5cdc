/**
 * The graph the HTTP suites run on, and how they pick the movies their requests are about.
 *
 * At full scale the sizes are the import suite's, so that a full `npm run bench` loads one dataset
 * and the API and load suites reuse it (ensureDataset finds it marked as loaded). At small scale
 * the graph is smaller than the import suite's, because these suites rebuild similarity over the
 * whole graph and a quick run has to stay quick.
 *
 * Requests follow the skew of the data: the generator gives a few movies most of the ratings, and
 * traffic follows popularity, yet every movie gets asked about. Half of the draws are therefore in
 * proportion to a movie's rating count and half are uniform, over a pool of the dataset's sampled
 * movies plus the most rated movies of the graph (a sample could miss the very top, which is where
 * a request expands the most).
 */
import type { Database } from '../../src/db/database.js'
import type { Random } from '../../src/generate/random.js'
import type { Scale } from '../suites/types.js'
import type { DatasetSizes } from './dataset.js'

export const GRAPH_SIZES: Record<Scale, DatasetSizes> = {
  small: { movies: 2_000, users: 1_000, ratings: 50_000, tweets: 10_000 },
  full: { movies: 100_000, users: 40_000, ratings: 5_000_000, tweets: 1_000_000 }
}

const TOP_MOVIES = 20
/** Share of the pool, by rating count, counted as head movies in the figures. */
const HEAD_SHARE = 0.01

export interface PoolMovie {
  movie_id: string
  title: string | null
  rating_count: number
  /** Among the most rated HEAD_SHARE of the pool. */
  head: boolean
}

export interface GraphShape {
  movies: number
  users: number
  ratings: number
  reviews: number
  typedEdges: number
}

export async function graphShape(db: Database): Promise<GraphShape> {
  const [row] = await db.readRows<GraphShape>(
    `RETURN COUNT { (:Movie) } AS movies, COUNT { (:User) } AS users, COUNT { (:Rating) } AS ratings,
            COUNT { (:Review) } AS reviews,
            COUNT { (:Movie)-[:SIMILAR_TO|SAME_FRANCHISE|SEQUEL_OF|REMAKE_OF|SPINOFF_OF|INSPIRED_BY]->(:Movie) } AS typedEdges`
  )
  return row as GraphShape
}

export class MoviePool {
  private constructor(
    readonly movies: readonly PoolMovie[],
    private readonly cumulative: Float64Array
  ) {}

  static async load(db: Database, movieIds: readonly string[]): Promise<MoviePool> {
    const fields = 'm.movie_id AS movie_id, m.title AS title, coalesce(m.rating_count, 0) AS rating_count'
    const sampled = await db.readRows<Omit<PoolMovie, 'head'>>(
      `UNWIND $ids AS id MATCH (m:Movie {movie_id: id}) RETURN ${fields}`,
      { ids: movieIds }
    )
    const top = await db.readRows<Omit<PoolMovie, 'head'>>(
      `MATCH (m:Movie) WHERE m.rating_count > 0 RETURN ${fields} ORDER BY m.rating_count DESC LIMIT ${TOP_MOVIES}`
    )
    const byId = new Map([...sampled, ...top].map((m) => [m.movie_id, m]))
    if (byId.size < 2) throw new Error('the graph holds fewer than two of the dataset movies')
    const ranked = [...byId.values()].sort(
      (a, b) => b.rating_count - a.rating_count || a.movie_id.localeCompare(b.movie_id)
    )
    const headCount = Math.max(1, Math.round(ranked.length * HEAD_SHARE))
    const movies = ranked.map((m, i) => ({ ...m, head: i < headCount }))
    const cumulative = new Float64Array(movies.length)
    let total = 0
    movies.forEach((m, i) => {
      total += m.rating_count + 1
      cumulative[i] = total
    })
    return new MoviePool(movies, cumulative)
  }

  get size(): number {
    return this.movies.length
  }

  get headCount(): number {
    return this.movies.filter((m) => m.head).length
  }

  draw(random: Random): PoolMovie {
    if (random.next() < 0.5) return this.movies[random.int(this.movies.length)] as PoolMovie
    const target = random.next() * (this.cumulative[this.cumulative.length - 1] as number)
    let low = 0
    let high = this.cumulative.length - 1
    while (low < high) {
      const middle = (low + high) >>> 1
      if ((this.cumulative[middle] as number) > target) high = middle
      else low = middle + 1
    }
    return this.movies[low] as PoolMovie
  }

  /** Two different movies. */
  drawPair(random: Random): [PoolMovie, PoolMovie] {
    const from = this.draw(random)
    for (;;) {
      const to = this.draw(random)
      if (to.movie_id !== from.movie_id) return [from, to]
    }
  }

  /** Rating counts of the pool: the least, median, 99th percentile and most rated movie. */
  ratingCounts(): { min: number; median: number; p99: number; max: number } {
    const counts = this.movies.map((m) => m.rating_count).sort((a, b) => a - b)
    const at = (q: number): number => counts[Math.min(counts.length - 1, Math.floor(q * counts.length))] ?? 0
    return { min: counts[0] ?? 0, median: at(0.5), p99: at(0.99), max: counts[counts.length - 1] ?? 0 }
  }
}

/**
 * What a user types to find a movie: the whole title, the start of one of its words, or one of its
 * words with two letters swapped; the three ways the search is built to match.
 */
export function searchText(title: string | null, random: Random): string {
  const text = (title ?? '').trim()
  const words = text
    .split(/\s+/)
    .map((w) => Array.from(w.replace(/[^\p{L}\p{N}]/gu, '')))
    .filter((w) => w.length >= 3)
  const variant = random.int(3)
  if (words.length === 0) return text.slice(0, 200) || 'the'
  if (variant === 0) return text.slice(0, 200)
  const word = random.pick(words)
  if (variant === 1) return word.slice(0, Math.max(3, Math.ceil(word.length / 2))).join('')
  if (word.length < 5) return word.join('')
  const i = 1 + random.int(word.length - 3)
  const swapped = [...word]
  ;[swapped[i], swapped[i + 1]] = [word[i + 1] as string, word[i] as string]
  return swapped.join('')
}
