/**
 * One file of a generated dataset as it is written: good lines streamed out with backpressure, a
 * bad row injected after some of them at the rate asked for, and the file's entry in the manifest.
 */
import { join } from 'node:path'
import { LineWriter } from './line-writer.js'
import { deriveRandom } from './random.js'
import type { Random } from './random.js'
import type { Catalogue } from './catalogue.js'

export interface GeneratedFile {
  file: string
  /** Good rows (not counting a header or the injected rows). */
  rows: number
  /** Injected bad rows per kind. */
  injected: Record<string, number>
  bytes: number
}

/** What every file of one dataset is generated from. */
export interface Generation {
  out: string
  catalogue: Catalogue
  seed: number
  /** Share of rows followed by one injected bad row. */
  rate: number
}

/** Decides, per good row, whether a bad row follows it, and of which kind. */
class Injector {
  /** Every kind of the file, in a fixed order, so the manifest reads the same for every seed. */
  readonly counts: Record<string, number>
  readonly random: Random

  constructor(
    seed: number,
    file: string,
    private readonly kinds: readonly string[],
    private readonly rate: number
  ) {
    this.random = deriveRandom(seed, `${file}#injected`)
    this.counts = Object.fromEntries(this.kinds.map((kind) => [kind, 0]))
  }

  next(): string | undefined {
    if (this.rate <= 0 || this.random.next() >= this.rate) return undefined
    const kind = this.random.pick(this.kinds)
    this.counts[kind] = (this.counts[kind] as number) + 1
    return kind
  }
}

export class OutputFile {
  private readonly writer: LineWriter
  private readonly bad: Injector

  /** `kinds` are the bad rows this file may get; the injector's draws are a stream of their own. */
  constructor(
    generation: Generation,
    readonly file: string,
    kinds: readonly string[]
  ) {
    this.writer = new LineWriter(join(generation.out, file))
    this.bad = new Injector(generation.seed, file, kinds, generation.rate)
  }

  /** A line that is no row, such as a CSV header. */
  header(text: string): void {
    this.writer.add(text)
  }

  /** Writes a good line, then the bad one `inject` makes when the injector draws a kind for it. */
  async add(line: string, inject: (kind: string, random: Random) => string): Promise<void> {
    let full = this.writer.add(line)
    const kind = this.bad.next()
    if (kind !== undefined) full = this.writer.add(inject(kind, this.bad.random))
    if (full) await this.writer.flush()
  }

  async close(rows: number): Promise<GeneratedFile> {
    await this.writer.close()
    return { file: this.file, rows, injected: this.bad.counts, bytes: this.writer.bytes }
  }
}

/** A JSON line cut short somewhere inside, as a broken transfer leaves it. */
export function brokenJson(line: string, random: Random): string {
  return `${line.slice(0, 1 + random.int(line.length - 2))}\n`
}

/** A bad row kind no generator knows how to write: a slip between a file's kinds and its writer. */
export function unknownKind(file: string, kind: string): Error {
  return new Error(`${file}: no way to write a bad row of kind ${kind}`)
}
