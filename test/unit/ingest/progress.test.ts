import { describe, it, expect } from 'vitest'
import { Progress, formatDuration } from '../../../src/ingest/progress.js'

function setup(options: { tty: boolean; totalBytes?: number }) {
  const clock = { now: 1000 }
  const output: string[] = []
  let bytes = 0
  const progress = new Progress({
    label: 'ratings.csv',
    stream: { write: (text: string) => output.push(text), isTTY: options.tty },
    now: () => clock.now,
    totalBytes: options.totalBytes,
    bytesRead: () => bytes,
    redrawMs: 250,
    logEveryMs: 10_000
  })
  return {
    progress,
    output,
    advance(ms: number, rows: number, toBytes?: number) {
      clock.now += ms
      if (toBytes !== undefined) bytes = toBytes
      progress.tick(rows)
    }
  }
}

describe('formatDuration', () => {
  it.each([
    [0, '0.0s'],
    [12_340, '12.3s'],
    [65_000, '1m05s'],
    [3_725_000, '1h02m']
  ])('%d ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text)
  })
})

describe('Progress', () => {
  it('at a terminal, redraws one line with rate, % and ETA, then replaces it with the summary', () => {
    const { progress, output, advance } = setup({ tty: true, totalBytes: 1000 })
    advance(100, 500, 50)
    expect(output).toEqual([])
    advance(900, 1500, 250)
    expect(output).toEqual(['\r\x1b[2Kratings.csv 2,000 rows, 2,000 rows/s, 25.0%, ETA 3.0s'])
    advance(100, 1)
    expect(output).toHaveLength(1)
    progress.add({ created: 1800, updated: 100, unchanged: 50, rejected: 51 })
    advance(3000, 0, 1000)
    expect(output[1]).toBe('\r\x1b[2Kratings.csv 2,001 rows, 488 rows/s, 100.0%, ETA 0.0s')
    expect(progress.finish()).toBe(
      'ratings.csv: read 2,001, created 1,800, updated 100, unchanged 50, rejected 51, elapsed 4.1s, 488 rows/s'
    )
    expect(output[2]).toBe(
      '\r\x1b[2Kratings.csv: read 2,001, created 1,800, updated 100, unchanged 50, rejected 51, elapsed 4.1s, 488 rows/s\n'
    )
    progress.finish()
    advance(10_000, 5)
    expect(output).toHaveLength(3)
  })

  it('in a log, writes a plain line every interval, without % when the size is unknown', () => {
    const { progress, output, advance } = setup({ tty: false })
    for (let second = 1; second <= 25; second++) advance(1000, 100)
    expect(output).toEqual(['ratings.csv 1,000 rows, 100 rows/s\n', 'ratings.csv 2,000 rows, 100 rows/s\n'])
    progress.finish()
    expect(output[2]).toBe(
      'ratings.csv: read 2,500, created 0, updated 0, unchanged 0, rejected 0, elapsed 25.0s, 100 rows/s\n'
    )
  })

  it('follows the stream when not told whether it is a terminal', () => {
    const output: string[] = []
    const clock = { now: 0 }
    const progress = new Progress({
      stream: { write: (text: string) => output.push(text) },
      now: () => clock.now
    })
    progress.tick()
    expect(progress.finish()).toBe(
      'read 1, created 0, updated 0, unchanged 0, rejected 0, elapsed 0.0s, 0 rows/s'
    )
    expect(output).toEqual([
      'read 1, created 0, updated 0, unchanged 0, rejected 0, elapsed 0.0s, 0 rows/s\n'
    ])
    expect(progress.counts).toEqual({ read: 1, created: 0, updated: 0, unchanged: 0, rejected: 0 })
  })
})
