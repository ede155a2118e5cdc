/**
 * The whole catalogue's similarity in memory, for the bulk rebuild: movies, who liked what, and
 * the explicit and franchise links, held in flat typed arrays (compressed sparse rows) so that
 * the likes behind 100,000 movies and millions of ratings take tens of megabytes.
 *
 * Co-likes are counted exactly, movie by movie: for each fan of a movie, every other movie that
 * fan liked gets one more co-like. That is Σ (likes per user)² steps in all, which is why each
 * user's likes are capped (most recent first) when the catalogue is loaded. Each movie's best
 * co-liked candidates, its explicit SIMILAR_TO neighbours, its franchise within two hops and the
 * most popular movies of its genres are then scored with the one formula of score.ts.
 */
import type { SimilarConfig, SimilarWeights } from '../../config.js'
import type { SimilarParts } from '../../schemas/similar.js'
import {
  combinedScore,
  coratingPart,
  franchisePart,
  normalizedWeights,
  roundScore,
  sentimentPart
} from './score.js'

export interface MovieInput {
  movie_id: string
  /** Mean review sentiment, null when the movie has no review. */
  sentiment: number | null
  popularity: number
  genres: string[]
}

export interface LinkInput {
  from: string
  to: string
  /** The explicit edge's score; franchise links have none. */
  score?: number
  source?: string | null
}

/** One entry of a movie's list, in the order stored. */
export interface ScoredCandidate {
  movie_id: string
  score: number
  parts: SimilarParts
  co_raters: number | null
  franchise_hops: number | null
  edge_source: string | null
}

export type ModelSettings = Pick<
  SimilarConfig,
  'weights' | 'maxPerGenre' | 'maxLinks' | 'coratingShrink' | 'candidates'
>

interface Edge {
  to: number
  score: number
  source: string | null
}

export class SimilarityModel {
  readonly ids: string[]
  private readonly index = new Map<string, number>()
  private readonly sentiment: Float64Array
  private readonly genreStart: Int32Array
  private readonly genreList: Int32Array
  /** Per genre, its members by popularity (then movie_id), at most maxPerGenre + 1 of them. */
  private readonly popularByGenre: Int32Array[] = []
  private fanStart = new Int32Array(1)
  private fans = new Int32Array(0)
  private likeStart = new Int32Array(1)
  private likes = new Int32Array(0)
  private readonly explicit: Edge[][]
  private readonly franchise: number[][]
  private readonly weights: SimilarWeights
  private readonly co: Int32Array
  private readonly touched: Int32Array

  constructor(
    movies: readonly MovieInput[],
    private readonly settings: ModelSettings
  ) {
    this.weights = normalizedWeights(settings.weights)
    const sorted = [...movies].sort((a, b) =>
      a.movie_id < b.movie_id ? -1 : a.movie_id > b.movie_id ? 1 : 0
    )
    const n = sorted.length
    this.ids = sorted.map((m) => m.movie_id)
    this.sentiment = new Float64Array(n)
    this.genreStart = new Int32Array(n + 1)
    const genreIndex = new Map<string, number>()
    let genreCount = 0
    const genreOf: number[] = []
    sorted.forEach((movie, i) => {
      this.index.set(movie.movie_id, i)
      this.sentiment[i] = movie.sentiment ?? Number.NaN
      const own = [...new Set(movie.genres)]
        .map((name) => {
          let g = genreIndex.get(name)
          if (g === undefined) {
            g = genreCount++
            genreIndex.set(name, g)
          }
          return g
        })
        .sort((a, b) => a - b)
      genreOf.push(...own)
      this.genreStart[i + 1] = genreOf.length
    })
    this.genreList = Int32Array.from(genreOf)
    const members: number[][] = Array.from({ length: genreCount }, () => [])
    for (let i = 0; i < n; i++) for (const g of this.genresOf(i)) members[g]?.push(i)
    for (const list of members) {
      // Ties broken by movie_id, which is the index order.
      list.sort((a, b) => (sorted[b]?.popularity ?? 0) - (sorted[a]?.popularity ?? 0) || a - b)
      this.popularByGenre.push(Int32Array.from(list.slice(0, settings.maxPerGenre + 1)))
    }
    this.explicit = Array.from({ length: n }, () => [])
    this.franchise = Array.from({ length: n }, () => [])
    this.co = new Int32Array(n)
    this.touched = new Int32Array(n)
  }

  get size(): number {
    return this.ids.length
  }

  indexOf(movieId: string): number | undefined {
    return this.index.get(movieId)
  }

  /**
   * Who liked what, one list of movie_ids per user (already capped by the loader). Movies not
   * in the model are ignored.
   */
  setLikes(users: Iterable<readonly string[]>): void {
    const n = this.size
    const likeStart: number[] = [0]
    const likes: number[] = []
    const fanCount = new Int32Array(n)
    for (const list of users) {
      const seen = new Set<number>()
      for (const id of list) {
        const m = this.index.get(id)
        if (m === undefined || seen.has(m)) continue
        seen.add(m)
        likes.push(m)
        fanCount[m] = (fanCount[m] ?? 0) + 1
      }
      if (seen.size > 0) likeStart.push(likes.length)
    }
    this.likeStart = Int32Array.from(likeStart)
    this.likes = Int32Array.from(likes)
    this.fanStart = new Int32Array(n + 1)
    for (let m = 0; m < n; m++) this.fanStart[m + 1] = (this.fanStart[m] ?? 0) + (fanCount[m] ?? 0)
    this.fans = new Int32Array(likes.length)
    const fill = this.fanStart.slice(0, n)
    for (let u = 0; u + 1 < this.likeStart.length; u++) {
      for (let k = this.likeStart[u] ?? 0; k < (this.likeStart[u + 1] ?? 0); k++) {
        const m = this.likes[k] ?? 0
        this.fans[fill[m] ?? 0] = u
        fill[m] = (fill[m] ?? 0) + 1
      }
    }
  }

  /** Explicit SIMILAR_TO edges (symmetric): each movie keeps its maxLinks best by score. */
  setExplicitEdges(edges: Iterable<LinkInput>): void {
    for (const edge of edges) {
      const a = this.index.get(edge.from)
      const b = this.index.get(edge.to)
      if (a === undefined || b === undefined || a === b) continue
      const score = edge.score ?? 1
      this.explicit[a]?.push({ to: b, score, source: edge.source ?? null })
      this.explicit[b]?.push({ to: a, score, source: edge.source ?? null })
    }
    for (const list of this.explicit) {
      list.sort((x, y) => y.score - x.score || x.to - y.to)
      // A pair linked twice keeps its best edge.
      const seen = new Set<number>()
      const kept = list.filter((e) => !seen.has(e.to) && seen.add(e.to))
      list.length = 0
      list.push(...kept.slice(0, this.settings.maxLinks))
    }
  }

  /** Franchise links (SEQUEL_OF, SAME_FRANCHISE, SPINOFF_OF, REMAKE_OF), followed either way. */
  setFranchiseLinks(links: Iterable<LinkInput>): void {
    for (const link of links) {
      const a = this.index.get(link.from)
      const b = this.index.get(link.to)
      if (a === undefined || b === undefined || a === b) continue
      this.franchise[a]?.push(b)
      this.franchise[b]?.push(a)
    }
  }

  /** How many users liked the movie (after the loader's per-user cap). */
  fanCount(m: number): number {
    return (this.fanStart[m + 1] ?? 0) - (this.fanStart[m] ?? 0)
  }

  /** The movie's best `topK` similar movies, best first, ties by movie_id. */
  similarTo(m: number, topK: number): ScoredCandidate[] {
    const { co, touched } = this
    let touchedCount = 0
    for (let f = this.fanStart[m] ?? 0; f < (this.fanStart[m + 1] ?? 0); f++) {
      const u = this.fans[f] ?? 0
      for (let k = this.likeStart[u] ?? 0; k < (this.likeStart[u + 1] ?? 0); k++) {
        const o = this.likes[k] ?? 0
        if (o === m) continue
        if (co[o] === 0) touched[touchedCount++] = o
        co[o] = (co[o] ?? 0) + 1
      }
    }
    const hasFans = this.fanCount(m) > 0
    const candidates = new Set<number>(this.bestCoLiked(m, touchedCount))
    for (const e of this.explicit[m] ?? []) candidates.add(e.to)
    const hops = this.franchiseHops(m)
    for (const o of hops.keys()) candidates.add(o)
    for (const g of this.genresOf(m)) {
      for (const o of this.popularByGenre[g] ?? []) if (o !== m) candidates.add(o)
    }
    const edges = new Map((this.explicit[m] ?? []).map((e) => [e.to, e]))
    const mGenres = this.genresOf(m)
    const scored: ScoredCandidate[] = []
    for (const o of candidates) {
      const edge = edges.get(o)
      const coCount = co[o] ?? 0
      const oGenres = this.genresOf(o)
      const shared = sharedCount(mGenres, oGenres)
      const parts: SimilarParts = {
        edge: edge ? roundScore(edge.score) : 0,
        genre: mGenres.length === 0 ? null : roundScore(shared / (mGenres.length + oGenres.length - shared)),
        corating: hasFans
          ? coratingPart(coCount, this.fanCount(m), this.fanCount(o), this.settings.coratingShrink)
          : null,
        franchise: franchisePart(hops.get(o) ?? null),
        sentiment: sentimentPart(finite(this.sentiment[m]), finite(this.sentiment[o]))
      }
      const score = combinedScore(parts, this.weights)
      if (score <= 0) continue
      scored.push({
        movie_id: this.ids[o] ?? '',
        score,
        parts,
        co_raters: hasFans ? coCount : null,
        franchise_hops: hops.get(o) ?? null,
        edge_source: edge?.source ?? null
      })
    }
    for (let t = 0; t < touchedCount; t++) co[touched[t] ?? 0] = 0
    scored.sort((a, b) => b.score - a.score || (a.movie_id < b.movie_id ? -1 : 1))
    return scored.slice(0, topK)
  }

  private genresOf(m: number): number[] {
    return Array.from(this.genreList.subarray(this.genreStart[m] ?? 0, this.genreStart[m + 1] ?? 0))
  }

  /**
   * The touched movies with the highest co-rating part, at most `candidates` of them. A hub
   * touches most of the catalogue, so the best are kept in a bounded min-heap instead of sorting
   * everything it touched.
   */
  private bestCoLiked(m: number, touchedCount: number): number[] {
    const limit = this.settings.candidates
    const heapValue = new Float64Array(limit)
    const heapMovie = new Int32Array(limit)
    let size = 0
    const worse = (i: number, j: number): boolean =>
      (heapValue[i] ?? 0) < (heapValue[j] ?? 0) ||
      ((heapValue[i] ?? 0) === (heapValue[j] ?? 0) && (heapMovie[i] ?? 0) > (heapMovie[j] ?? 0))
    const swap = (i: number, j: number): void => {
      const v = heapValue[i] ?? 0
      const o = heapMovie[i] ?? 0
      heapValue[i] = heapValue[j] ?? 0
      heapMovie[i] = heapMovie[j] ?? 0
      heapValue[j] = v
      heapMovie[j] = o
    }
    const fansM = this.fanCount(m)
    for (let t = 0; t < touchedCount; t++) {
      const o = this.touched[t] ?? 0
      const value = coratingPart(this.co[o] ?? 0, fansM, this.fanCount(o), this.settings.coratingShrink)
      if (size < limit) {
        heapValue[size] = value
        heapMovie[size] = o
        for (let i = size++; i > 0;) {
          const parent = (i - 1) >> 1
          if (!worse(i, parent)) break
          swap(i, parent)
          i = parent
        }
        continue
      }
      // Better than the worst kept: replace it and sift down.
      if (value < (heapValue[0] ?? 0) || (value === heapValue[0] && o > (heapMovie[0] ?? 0))) continue
      heapValue[0] = value
      heapMovie[0] = o
      for (let i = 0; ;) {
        const left = 2 * i + 1
        const right = left + 1
        let worst = i
        if (left < size && worse(left, worst)) worst = left
        if (right < size && worse(right, worst)) worst = right
        if (worst === i) break
        swap(i, worst)
        i = worst
      }
    }
    return Array.from(heapMovie.subarray(0, size))
  }

  /** Movies within two franchise hops, with their distance; at most maxLinks, nearest first. */
  private franchiseHops(m: number): Map<number, number> {
    const found = new Map<number, number>()
    const first = [...new Set(this.franchise[m] ?? [])].sort((a, b) => a - b)
    for (const o of first) if (o !== m) found.set(o, 1)
    const second: number[] = []
    for (const o of first)
      for (const p of this.franchise[o] ?? []) if (p !== m && !found.has(p)) second.push(p)
    for (const p of [...new Set(second)].sort((a, b) => a - b)) found.set(p, 2)
    return new Map([...found].slice(0, this.settings.maxLinks))
  }
}

function sharedCount(a: readonly number[], b: readonly number[]): number {
  let i = 0
  let j = 0
  let shared = 0
  while (i < a.length && j < b.length) {
    const x = a[i] ?? 0
    const y = b[j] ?? 0
    if (x === y) {
      shared++
      i++
      j++
    } else if (x < y) i++
    else j++
  }
  return shared
}

function finite(value: number | undefined): number | null {
  return value === undefined || Number.isNaN(value) ? null : value
}
