/**
 * Quality of the similar-movie lists and the recommendations, measured offline by
 * `cinegraph evaluate` on a generated dataset with planted taste: each user's latest liked rating
 * is held out, the lists are built from the rest, and HR@10, nDCG@10 and catalogue coverage are
 * set against popularity and plain item–item co-rating cosine computed on the same split.
 *
 * The evaluation imports its training split into a Neo4j of its own, so its dataset is smaller
 * than the other suites' full scale: a full-scale import alone takes most of an hour here.
 */
import { join } from 'node:path'
import { evaluate } from '../../src/evaluate/evaluate.js'
import { formatDataset, formatTable } from '../../src/evaluate/report.js'
import { generateDataset } from '../../src/generate/dataset.js'
import { DEFAULT_TRAVERSAL_CONFIG } from '../../src/config.js'
import { fmt } from '../lib/stats.js'
import type { BenchContext, Scale, Suite } from './types.js'

const SIZES: Record<Scale, { movies: number; users: number; ratings: number }> = {
  small: { movies: 400, users: 300, ratings: 25_000 },
  full: { movies: 3_000, users: 2_000, ratings: 200_000 }
}
const SEED = 1

export const qualitySuite: Suite = {
  title: 'Quality of similar movies and recommendations (offline evaluation)',
  async run(ctx: BenchContext) {
    const sizes = SIZES[ctx.scale]
    const dir = join(ctx.workDir, 'quality')
    await generateDataset({ ...sizes, tweets: 0, seed: SEED, out: dir })
    ctx.log(`quality: evaluating ${fmt(sizes.movies, 0)} movies, ${fmt(sizes.ratings, 0)} ratings`)
    const result = await evaluate({ dir, users: 1000, k: 10, seed: SEED, log: ctx.log })
    const byName = new Map(result.engines.map((e) => [e.engine, e]))
    const similar = byName.get('similar')
    const popularity = byName.get('popularity')
    const cosine = byName.get('cosine')
    const w = DEFAULT_TRAVERSAL_CONFIG.similar.weights
    const verdict =
      similar && popularity && cosine
        ? `The similar engine reaches ${fmt(similar.hitRate / popularity.hitRate, 2)}× popularity's HR@10 and ` +
          `${fmt(similar.ndcg / popularity.ndcg, 2)}× its nDCG@10, and ${fmt(similar.hitRate / cosine.hitRate, 2)}× / ` +
          `${fmt(similar.ndcg / cosine.ndcg, 2)}× plain co-rating cosine's.`
        : ''
    return [
      `Dataset: \`cinegraph generate --movies ${sizes.movies} --users ${sizes.users} --ratings ${sizes.ratings} ` +
        `--seed ${SEED}\` (planted taste groups, half of them leaning to a genre; franchises liked by the same ` +
        `people), then \`cinegraph evaluate\` with the default settings (weights edge ${w.edge}, genre ${w.genre}, ` +
        `co-rating ${w.corating}, franchise ${w.franchise}, sentiment ${w.sentiment}; shrink ` +
        `${DEFAULT_TRAVERSAL_CONFIG.similar.coratingShrink}; top ${DEFAULT_TRAVERSAL_CONFIG.rebuild.topK}).`,
      '',
      formatDataset(result),
      '',
      formatTable(result),
      '',
      verdict,
      '',
      `Timings: split ${fmt(result.timingsMs.split / 1000, 1)} s, import ${fmt(result.timingsMs.import / 1000, 1)} s, ` +
        `rebuild ${fmt(result.timingsMs.rebuild / 1000, 1)} s, users ${fmt(result.timingsMs.users / 1000, 1)} s.`
    ].join('\n')
  }
}
