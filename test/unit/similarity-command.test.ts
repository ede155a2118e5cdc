import { describe, expect, it } from 'vitest'
import { Command, CommanderError } from 'commander'
import { registerSimilarityCommand } from '../../src/cli/similarity-command.js'

function program(): { program: Command; output: string[]; dbRequested: () => boolean } {
  const output: string[] = []
  let requested = false
  const p = new Command('cinegraph')
    .exitOverride()
    .configureOutput({ writeOut: (s) => output.push(s), writeErr: (s) => output.push(s) })
  registerSimilarityCommand(p, async () => {
    requested = true
    throw new Error('no database in unit tests')
  })
  return { program: p, output, dbRequested: () => requested }
}

const run = (p: Command, ...args: string[]) => p.parseAsync(['node', 'cinegraph', ...args])

describe('cinegraph similarity rebuild', () => {
  it.each([
    ['--top-k', '0'],
    ['--top-k', '1001'],
    ['--top-k', 'ten'],
    ['--batch-size', '0'],
    ['--batch-size', '2.5']
  ])('rejects %s %s before touching the database', async (flag, value) => {
    const { program: p, output, dbRequested } = program()
    await expect(run(p, 'similarity', 'rebuild', flag, value)).rejects.toBeInstanceOf(CommanderError)
    expect(output.join('')).toMatch(/must be an integer/)
    expect(dbRequested()).toBe(false)
  })

  it('documents its options', async () => {
    const { program: p, output } = program()
    await expect(run(p, 'similarity', 'rebuild', '--help')).rejects.toBeInstanceOf(CommanderError)
    const help = output.join('')
    expect(help).toContain('--top-k <n>')
    expect(help).toContain('--batch-size <n>')
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
