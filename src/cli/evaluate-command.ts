// `cinegraph evaluate <movielens-dir>`: offline quality of the similar lists and recommendations
// against held-out ratings, on a throwaway Neo4j. Progress goes to stderr, the table to stdout.
import { InvalidArgumentError } from 'commander'
import type { Command } from 'commander'
import type { TraversalConfig } from '../config.js'
import { EVALUATE_DEFAULTS, EVALUATE_LIMITS, evaluate, evaluationInputs } from '../evaluate/evaluate.js'
import { formatDataset, formatTable } from '../evaluate/report.js'

function integerOption(name: keyof typeof EVALUATE_LIMITS) {
  const [min, max] = EVALUATE_LIMITS[name]
  return (value: string): number => {
    const n = Number(value)
    if (!/^\d+$/.test(value) || n < min || n > max) {
      throw new InvalidArgumentError(`must be an integer from ${min} to ${max}`)
    }
    return n
  }
}

interface EvaluateFlags {
  holdout: number
  users: number
  k: number
  seed: number
}

export function registerEvaluateCommand(program: Command, getConfig: () => TraversalConfig): Command {
  return program
    .command('evaluate <movielens-dir>')
    .description(
      "Hold out each user's latest liked ratings, load the rest into a throwaway Neo4j, rebuild the " +
        'similar lists and score the similar, recommendation, popularity and co-rating cosine engines ' +
        '(HR@k, nDCG@k, catalogue coverage)'
    )
    .option(
      '--holdout <n>',
      'latest liked ratings held out per user',
      integerOption('holdout'),
      EVALUATE_DEFAULTS.holdout
    )
    .option(
      '--users <n>',
      'users evaluated at most (a seeded sample)',
      integerOption('users'),
      EVALUATE_DEFAULTS.users
    )
    .option('--k <n>', 'length of the lists scored', integerOption('k'), EVALUATE_DEFAULTS.k)
    .option('--seed <n>', 'seed of the user sample', integerOption('seed'), EVALUATE_DEFAULTS.seed)
    .action(async (dir: string, flags: EvaluateFlags) => {
      // Checked before anything starts, so a typo costs no Neo4j start.
      await evaluationInputs(dir)
      const config = getConfig()
      // A signal would end the process without its 'exit' handlers, which stop the throwaway
      // Neo4j and remove the training files; exiting from the signal runs them.
      const interrupted = (signal: NodeJS.Signals): void => process.exit(signal === 'SIGINT' ? 130 : 143)
      process.once('SIGINT', interrupted)
      process.once('SIGTERM', interrupted)
      try {
        const result = await evaluate({
          dir,
          holdout: flags.holdout,
          users: flags.users,
          k: flags.k,
          seed: flags.seed,
          config,
          progress: process.stderr,
          log: (line) => process.stderr.write(`${line}\n`)
        })
        process.stdout.write(`${formatDataset(result)}\n\n${formatTable(result)}\n`)
      } finally {
        process.removeListener('SIGINT', interrupted)
        process.removeListener('SIGTERM', interrupted)
      }
    })
}
