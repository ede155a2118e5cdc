import { describe, expect, it } from 'vitest'
import { Command, CommanderError } from 'commander'
import { progressReporter, registerSimilarityCommand } from '../../src/cli/similar-command.js'
import { DEFAULT_TRAVERSAL_CONFIG } from '../../src/config.js'

function program(): { program: Command; output: string[]; dbRequested: () => boolean } {
  const output: string[] = []
  let requested = false
  const p = new Command('cinegraph')
    .exitOverride()
    .configureOutput({ writeOut: (s) => output.push(s), writeErr: (s) => output.push(s) })
  registerSimilarityCommand(
    p,
    async () => {
      requested = true
      throw new Error('no database in unit tests')
    },
    () => DEFAULT_TRAVERSAL_CONFIG
  )
  return { program: p, output, dbRequested: () => requested }
}

const run = (p: Command, ...args: string[]) => p.parseAsync(['node', 'cinegraph', ...args])

describe('cinegraph similarity rebuild', () => {
  it.each([
    ['--top-k', '0'],
    ['--top-k', '1001'],
    ['--top-k', 'ten'],
    ['--batch-size', '0'],
    ['--batch-size', '2.5'],
    ['--since', 'yesterday'],
    ['--movies', ' , ']
  ])('rejects %s %s before touching the database', async (flag, value) => {
    const { program: p, output, dbRequested } = program()
    await expect(run(p, 'similarity', 'rebuild', flag, value)).rejects.toBeInstanceOf(CommanderError)
    expect(output.join('')).toMatch(/must be an integer|ISO date-time|at least one movie_id/)
    expect(dbRequested()).toBe(false)
  })

  it('documents its options', async () => {
    const { program: p, output } = program()
    await expect(run(p, 'similarity', 'rebuild', '--help')).rejects.toBeInstanceOf(CommanderError)
    const help = output.join('')
    expect(help).toContain('--top-k <n>')
    expect(help).toContain('--batch-size <n>')
    expect(help).toContain('--since <time>')
    expect(help).toContain('--movies <ids>')
  })

  it('asks for the database only when it runs, and reports its failure as one line', async () => {
    const { program: p, dbRequested } = program()
    const exitCode = process.exitCode
    const errors: string[] = []
    const original = console.error
    console.error = (line: string) => void errors.push(line)
    try {
      await run(p, 'similarity', 'rebuild', '--top-k', '5')
      expect(process.exitCode).toBe(1)
    } finally {
      console.error = original
      process.exitCode = exitCode
    }
    expect(dbRequested()).toBe(true)
    expect(errors).toEqual(['error: no database in unit tests'])
  })
})

describe('rebuild progress', () => {
  it('draws a bar with rate and ETA on a terminal', () => {
    const out: string[] = []
    let t = 0
    const progress = progressReporter(
      (s) => out.push(s),
      true,
      () => t
    )
    progress.report({ phase: 'score', done: 0, total: 1000 })
    t = 2_000
    progress.report({ phase: 'score', done: 250, total: 1000 })
    expect(out.at(-1)).toBe('\r\x1b[2K[######..................] 250/1000 movies (25%), 125 movies/s, ETA 6s')
    progress.end()
    expect(out.at(-1)).toBe('\r\x1b[2K')
  })

  it('writes a line every 10 s and at the end when not on a terminal', () => {
    const out: string[] = []
    let t = 0
    const progress = progressReporter(
      (s) => out.push(s),
      false,
      () => t
    )
    progress.report({ phase: 'load', done: 10_000, total: 0, message: 'likes' })
    t = 5_000
    progress.report({ phase: 'load', done: 20_000, total: 0, message: 'likes' })
    expect(out).toEqual([])
    t = 10_000
    progress.report({ phase: 'score', done: 0, total: 4 })
    t = 12_000
    progress.report({ phase: 'score', done: 4, total: 4 })
    expect(out).toEqual(['0/4 movies (0%), 0 movies/s, ETA 0s\n', '4/4 movies (100%), 2 movies/s, ETA 0s\n'])
  })
})
