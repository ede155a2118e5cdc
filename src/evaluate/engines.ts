/**
 * The ranked lists the evaluation compares, for one user at a time: the stored similar lists of
 * the user's liked movies summed up (the `similar` engine), the same over a plain item–item
 * cosine of co-likes (the baseline any similarity should match), and movies by number of likes
 * (the baseline any personalisation should beat). `recommendForUser` is called as it is.
 */
import type { Database } from '../db/database.js'
import { SimilarityModel } from '../data/similar/model.js'

/** A movie's similar movies, best first, with parallel scores. */
export interface SimilarList {
  ids: readonly string[]
  scores: readonly number[]
}

/**
 * Σ over the seeds of the score each seed's list gives a movie, best first (ties by movie_id),
 * at most k, leaving out the excluded movies.
 */
export function aggregateLists(
  seeds: readonly string[],
  listOf: (seed: string) => SimilarList | undefined,
  exclude: ReadonlySet<string>,
  k: number
): string[] {
  const total = new Map<string, number>()
  for (const seed of seeds) {
    const list = listOf(seed)
    if (!list) continue
    list.ids.forEach((id, i) => {
      if (exclude.has(id)) return
      total.set(id, (total.get(id) ?? 0) + (list.scores[i] ?? 0))
    })
  }
  return [...total]
    .filter(([, score]) => score > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, k)
    .map(([id]) => id)
}

/** Movies by number of likes in the training split, ties by movie_id. */
export class PopularityEngine {
  private readonly order: string[]

  constructor(likeCounts: ReadonlyMap<string, number>) {
    this.order = [...likeCounts]
      .filter(([, count]) => count > 0)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([id]) => id)
  }

  top(exclude: ReadonlySet<string>, k: number): string[] {
    const out: string[] = []
    for (const id of this.order) {
      if (out.length >= k) break
      if (!exclude.has(id)) out.push(id)
    }
    return out
  }
}

/** How many likes each movie has across the users' lists. */
export function likeCounts(likes: Iterable<readonly string[]>): Map<string, number> {
  const counts = new Map<string, number>()
  for (const list of likes) for (const id of new Set(list)) counts.set(id, (counts.get(id) ?? 0) + 1)
  return counts
}

/**
 * Plain item–item cosine, co-likes / √(likes of one × likes of the other), with no shrinkage and
 * no other evidence: SimilarityModel with only the co-rating part. Each seed's list is its
 * `perSeed` best, computed once.
 */
export class CosineEngine {
  private readonly model: SimilarityModel
  private readonly lists = new Map<string, SimilarList>()

  /** `likes`: each user's liked movie_ids, most recent first, already capped. */
  constructor(
    movieIds: readonly string[],
    likes: readonly (readonly string[])[],
    private readonly perSeed: number
  ) {
    this.model = new SimilarityModel(
      movieIds.map((movie_id) => ({
        movie_id,
        sentiment: null,
        popularity: 0,
        genres: []
      })),
      {
        weights: { edge: 0, genre: 0, corating: 1, franchise: 0, sentiment: 0 },
        maxPerGenre: 1,
        maxLinks: 1,
        coratingShrink: 0,
        candidates: perSeed
      }
    )
    this.model.setLikes(likes)
  }

  listOf(seed: string): SimilarList | undefined {
    const cached = this.lists.get(seed)
    if (cached) return cached
    const m = this.model.indexOf(seed)
    if (m === undefined) return undefined
    const found = this.model.similarTo(m, this.perSeed)
    const list = { ids: found.map((c) => c.movie_id), scores: found.map((c) => c.score) }
    this.lists.set(seed, list)
    return list
  }
}

const READ_SIMILAR_LISTS = `
UNWIND $movie_ids AS id
MATCH (m:Movie {movie_id: id})
RETURN m.movie_id AS movie_id, coalesce(m.similar_ids, []) AS ids, coalesce(m.similar_scores, []) AS scores
`

/** The stored lists `cinegraph similarity rebuild` wrote, read once per movie. */
export class StoredLists {
  private readonly lists = new Map<string, SimilarList>()

  constructor(private readonly db: Database) {}

  /** Reads the lists of those movies not read yet, in one query. */
  async load(movieIds: Iterable<string>): Promise<void> {
    const missing = [...new Set(movieIds)].filter((id) => !this.lists.has(id))
    if (missing.length === 0) return
    const rows = await this.db.readRows<{ movie_id: string; ids: string[]; scores: number[] }>(
      READ_SIMILAR_LISTS,
      { movie_ids: missing }
    )
    for (const id of missing) this.lists.set(id, { ids: [], scores: [] })
    for (const row of rows) this.lists.set(row.movie_id, { ids: row.ids, scores: row.scores })
  }

  listOf(movieId: string): SimilarList | undefined {
    return this.lists.get(movieId)
  }
}
