/**
 * Top-k quality with binary relevance: a recommended movie is relevant when it is one of the
 * user's held-out movies.
 *
 * - HR@k: the share of users with at least one held-out movie in their top k.
 * - nDCG@k: Σ 1 / log2(rank + 1) over the relevant ranks (1-based) in the top k, divided by the
 *   same sum for a list that puts all min(held out, k) relevant movies first.
 * - coverage: distinct movies recommended to anyone / movies in the catalogue.
 */

export function dcgAtK(recommended: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  let dcg = 0
  const n = Math.min(k, recommended.length)
  for (let i = 0; i < n; i++) if (relevant.has(recommended[i] as string)) dcg += 1 / Math.log2(i + 2)
  return dcg
}

export function idealDcg(relevant: number, k: number): number {
  let dcg = 0
  for (let i = 0; i < Math.min(relevant, k); i++) dcg += 1 / Math.log2(i + 2)
  return dcg
}

export function ndcgAtK(recommended: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  const ideal = idealDcg(relevant.size, k)
  return ideal === 0 ? 0 : dcgAtK(recommended, relevant, k) / ideal
}

export function hitAtK(recommended: readonly string[], relevant: ReadonlySet<string>, k: number): boolean {
  const n = Math.min(k, recommended.length)
  for (let i = 0; i < n; i++) if (relevant.has(recommended[i] as string)) return true
  return false
}

export interface EngineMetrics {
  hitRate: number
  ndcg: number
  coverage: number
  /** Users whose lists were scored. */
  users: number
}

/** One engine's running totals over the test users. */
export class MetricsAccumulator {
  private users = 0
  private hits = 0
  private ndcgSum = 0
  private readonly recommended = new Set<string>()

  constructor(readonly k: number) {}

  add(list: readonly string[], relevant: ReadonlySet<string>): void {
    const top = list.slice(0, this.k)
    this.users++
    if (hitAtK(top, relevant, this.k)) this.hits++
    this.ndcgSum += ndcgAtK(top, relevant, this.k)
    for (const id of top) this.recommended.add(id)
  }

  result(catalogueSize: number): EngineMetrics {
    return {
      hitRate: this.users === 0 ? 0 : this.hits / this.users,
      ndcg: this.users === 0 ? 0 : this.ndcgSum / this.users,
      coverage: catalogueSize === 0 ? 0 : this.recommended.size / catalogueSize,
      users: this.users
    }
  }
}
