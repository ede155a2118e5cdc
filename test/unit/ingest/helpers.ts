import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach } from 'vitest'
import type { RejectSink } from '../../../src/ingest/rows.js'

export function fixture(path: string): string {
  return fileURLToPath(new URL(`../../fixtures/${path}`, import.meta.url))
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const item of items) out.push(item)
  return out
}

/** Temporary directories, removed after each test. */
export function useTempDirs(): () => Promise<string> {
  const made: string[] = []
  afterEach(async () => {
    await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
  })
  return async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cinegraph-ingest-'))
    made.push(dir)
    return dir
  }
}

export interface Rejected {
  line: number
  row: unknown
  reason: string
}

/** A RejectSink that keeps everything in memory. */
export function memoryRejects(): RejectSink & { rejected: Rejected[] } {
  const rejected: Rejected[] = []
  return {
    rejected,
    reject(line, row, reason) {
      rejected.push({ line, row, reason })
    }
  }
}
