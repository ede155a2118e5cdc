import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Command } from 'commander'
import { describe, expect, it } from 'vitest'
import { registerEvaluateCommand } from '../../../src/cli/evaluate-command.js'
import { DEFAULT_TRAVERSAL_CONFIG } from '../../../src/config.js'
import { userProgress } from '../../../src/evaluate/progress.js'
import { useTempDirs } from '../ingest/helpers.js'

const freshDir = useTempDirs()

function program(): { run: (...args: string[]) => Promise<unknown>; errors: string[] } {
  const errors: string[] = []
  const root = new Command('cinegraph')
    .exitOverride()
    .configureOutput({ writeErr: (text) => errors.push(text) })
  registerEvaluateCommand(root, () => DEFAULT_TRAVERSAL_CONFIG)
  return { run: (...args) => root.parseAsync(['evaluate', ...args], { from: 'user' }), errors }
}

describe('cinegraph evaluate', () => {
  it.each([
    ['--k', '0', 'must be an integer from 1 to 100'],
    ['--k', '101', 'must be an integer from 1 to 100'],
    ['--holdout', '1.5', 'must be an integer from 1 to 100'],
    ['--users', 'all', 'must be an integer from 1 to 1000000'],
    ['--seed', '-1', 'must be an integer from 0 to 4294967295']
  ])('refuses %s %s in one line', async (flag, value, message) => {
    const { run, errors } = program()
    await expect(run('some-dir', flag, value)).rejects.toThrow()
    expect(errors.join('')).toContain(message)
    expect(errors.join('').trim().split('\n')).toHaveLength(1)
  })

  it('stops before starting anything when the directory or its ratings.csv is missing', async () => {
    const dir = await freshDir()
    await expect(program().run(join(dir, 'nope'))).rejects.toThrow(`${join(dir, 'nope')} is not a directory`)
    await expect(program().run(dir)).rejects.toThrow(`${dir} has no ratings.csv (or ratings.csv.gz)`)
    await writeFile(join(dir, 'ratings.csv'), 'userId,movieId,rating,timestamp\n')
    await expect(program().run(dir)).rejects.toThrow(`${dir} has no movies.csv (or movies.csv.gz)`)
  })
})

describe('userProgress', () => {
  it('redraws one line at a terminal and ends with a summary', () => {
    let now = 0
    const written: string[] = []
    const progress = userProgress({ write: (text: string) => written.push(text) }, 4, () => now, true)
    now = 100
    progress.tick()
    now = 1000
    progress.tick()
    progress.end()
    expect(written).toEqual([
      '\r\x1b[2Kevaluating users: 2/4, 2.0 users/s',
      '\r\x1b[2Kevaluated 2 users in 1.0s (2.0 users/s)\n'
    ])
  })

  it('writes a plain line every 10 s in a log', () => {
    let now = 0
    const written: string[] = []
    const progress = userProgress({ write: (text: string) => written.push(text) }, 3, () => now, false)
    now = 5000
    progress.tick()
    now = 10_000
    progress.tick()
    now = 12_000
    progress.tick()
    progress.end()
    expect(written).toEqual([
      'evaluating users: 2/3, 0.2 users/s\n',
      'evaluated 3 users in 12.0s (0.3 users/s)\n'
    ])
  })
})
