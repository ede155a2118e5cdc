import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Command } from 'commander'
import { describe, expect, it } from 'vitest'
import { registerGenerateCommand } from '../../../src/generate/command.js'
import { MANIFEST_FILE } from '../../../src/generate/dataset.js'
import { useTempDirs } from '../ingest/helpers.js'

const freshDir = useTempDirs()

describe('registerGenerateCommand', () => {
  it('wires the options into generateDataset', async () => {
    const out = await freshDir()
    const program = new Command('cinegraph').exitOverride()
    registerGenerateCommand(program)
    const stdout = process.stdout.write
    const stderr = process.stderr.write
    const written: string[] = []
    process.stdout.write = ((text: string) => written.push(text) > 0) as typeof process.stdout.write
    process.stderr.write = ((text: string) => written.push(text) > 0) as typeof process.stderr.write
    try {
      await program.parseAsync(
        [
          'generate',
          '--out',
          out,
          '--movies',
          '30',
          '--users',
          '5',
          '--ratings',
          '60',
          '--tweets',
          '20',
          '--tags',
          '3',
          '--seed',
          '9',
          '--malformed-rate',
          '0'
        ],
        { from: 'user' }
      )
    } finally {
      process.stdout.write = stdout
      process.stderr.write = stderr
    }
    const manifest = JSON.parse(await readFile(join(out, MANIFEST_FILE), 'utf8')) as {
      seed: number
      counts: Record<string, number>
    }
    expect(manifest.seed).toBe(9)
    expect(manifest.counts).toEqual({ movies: 30, users: 5, ratings: 60, tags: 3, tweets: 20 })
    expect(written.join('')).toContain(`wrote 8 files to ${out}`)
  })

  it('refuses a count that is not a whole number', async () => {
    const program = new Command('cinegraph').exitOverride().configureOutput({ writeErr: () => undefined })
    registerGenerateCommand(program)
    await expect(
      program.parseAsync(['generate', '--out', 'x', '--movies', '1.5'], { from: 'user' })
    ).rejects.toThrow(/expected a whole number/)
  })
})
