// `generate`: writes a synthetic dataset for trying and measuring the importers.
import { InvalidArgumentError } from 'commander'
import type { Command } from 'commander'
import { DEFAULT_MALFORMED_RATE, DEFAULT_SEED, generateDataset } from './dataset.js'

function count(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number')
  const parsed = Number(value)
  if (!Number.isSafeInteger(parsed)) throw new InvalidArgumentError('too large')
  return parsed
}

function share(value: string): number {
  const parsed = Number(value)
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed < 0 || parsed > 0.5) {
    throw new InvalidArgumentError('expected a number between 0 and 0.5')
  }
  return parsed
}

export function registerGenerateCommand(program: Command): Command {
  return program
    .command('generate')
    .description('Write a synthetic MovieLens / TMDB / tweets dataset, with some bad rows, into a directory')
    .requiredOption('--out <dir>', 'directory to write the files into')
    .option('--movies <n>', 'movies', count, 1000)
    .option('--users <n>', 'MovieLens users', count, 500)
    .option('--ratings <n>', 'ratings', count, 50_000)
    .option('--tweets <n>', 'tweets', count, 10_000)
    .option('--tags <n>', 'MovieLens tags (default: one per 25 ratings)', count)
    .option('--seed <n>', 'seed; the same seed writes the same files', count, DEFAULT_SEED)
    .option('--id-offset <n>', 'added to every movie, user, TMDB, IMDb and collection id', count, 0)
    .option(
      '--malformed-rate <share>',
      'share of rows followed by a bad or duplicate row',
      share,
      DEFAULT_MALFORMED_RATE
    )
    .action(async (options: Record<string, unknown>) => {
      const summary = await generateDataset({
        out: options['out'] as string,
        movies: options['movies'] as number,
        users: options['users'] as number,
        ratings: options['ratings'] as number,
        tweets: options['tweets'] as number,
        tags: options['tags'] as number | undefined,
        seed: options['seed'] as number,
        idOffset: options['idOffset'] as number,
        malformedRate: options['malformedRate'] as number,
        log: (line) => process.stderr.write(`${line}\n`)
      })
      process.stdout.write(
        `wrote ${summary.files.length + 1} files to ${summary.out} in ${(summary.elapsedMs / 1000).toFixed(1)}s\n`
      )
    })
}
