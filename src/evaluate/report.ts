/** The evaluation as a person reads it: the dataset's size, then one markdown table row per engine. */
import type { EvaluateResult } from './evaluate.js'

const count = new Intl.NumberFormat('en-US')

export function formatDataset(result: EvaluateResult): string {
  const d = result.dataset
  return (
    `dataset: ${count.format(d.movies)} movies, ${count.format(d.users)} users, ` +
    `${count.format(d.ratings)} ratings (${count.format(d.likes)} liked); ` +
    `${count.format(d.eligibleUsers)} users with held-out ratings, ${count.format(d.testUsers)} evaluated ` +
    `(holdout ${result.holdout}, k ${result.k}, seed ${result.seed})`
  )
}

export function formatTable(result: EvaluateResult): string {
  const k = result.k
  const rows = result.engines.map(
    (e) =>
      `| ${e.label} | ${e.hitRate.toFixed(3)} | ${e.ndcg.toFixed(3)} | ${(e.coverage * 100).toFixed(1)}% | ${e.users} |`
  )
  return [
    `| engine | HR@${k} | nDCG@${k} | coverage | users |`,
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows
  ].join('\n')
}
