/**
 * Import progress on stderr. At a terminal one line is redrawn in place; in a log (CI, a pipe) a
 * plain line is written every few seconds instead, since carriage returns make logs unreadable.
 * The clock and the stream are injected so the output can be tested exactly.
 */
import type { RowCounter } from './rows.js'

export interface ProgressStream {
  write(text: string): unknown
  isTTY?: boolean
}

export interface ProgressCounts {
  read: number
  created: number
  updated: number
  unchanged: number
  rejected: number
}

export interface ProgressOptions {
  /** Printed before the figures, usually the input's name. */
  label?: string
  stream?: ProgressStream
  /** Milliseconds from any fixed origin. */
  now?: () => number
  /** Overrides what the stream says about being a terminal. */
  tty?: boolean
  /** Size of the input, for % and ETA. */
  totalBytes?: number | undefined
  bytesRead?: () => number
  /** How often the terminal line is redrawn. */
  redrawMs?: number
  /** How often a log line is written when not at a terminal. */
  logEveryMs?: number
}

const CLEAR_LINE = '\r\x1b[2K'
const numberFormat = new Intl.NumberFormat('en-US')

export function formatCount(value: number): string {
  return numberFormat.format(Math.round(value))
}

export function formatDuration(ms: number): string {
  const seconds = ms / 1000
  if (seconds < 60) return `${seconds.toFixed(1)}s`
  const whole = Math.round(seconds)
  const [h, m, s] = [Math.floor(whole / 3600), Math.floor((whole % 3600) / 60), whole % 60]
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(s).padStart(2, '0')}s`
}

export class Progress implements RowCounter {
  private readonly stream: ProgressStream
  private readonly now: () => number
  private readonly tty: boolean
  private readonly label: string
  private readonly totalBytes: number | undefined
  private readonly bytesRead: (() => number) | undefined
  private readonly interval: number
  private readonly started: number
  private lastShown: number
  private drawn = false
  private finished = false
  private readonly values: ProgressCounts = { read: 0, created: 0, updated: 0, unchanged: 0, rejected: 0 }

  constructor(options: ProgressOptions = {}) {
    this.stream = options.stream ?? process.stderr
    this.now = options.now ?? (() => performance.now())
    this.tty = options.tty ?? this.stream.isTTY === true
    this.label = options.label ?? ''
    this.totalBytes = options.totalBytes && options.totalBytes > 0 ? options.totalBytes : undefined
    this.bytesRead = options.bytesRead
    this.interval = this.tty ? (options.redrawMs ?? 250) : (options.logEveryMs ?? 10_000)
    this.started = this.now()
    this.lastShown = this.started
  }

  get counts(): Readonly<ProgressCounts> {
    return this.values
  }

  /** Counts rows read from the source, good or bad. */
  tick(rows = 1): void {
    this.values.read += rows
    this.maybeShow()
  }

  /** Adds what the writer (or a reject) reports. */
  add(counts: Partial<Omit<ProgressCounts, 'read'>>): void {
    this.values.created += counts.created ?? 0
    this.values.updated += counts.updated ?? 0
    this.values.unchanged += counts.unchanged ?? 0
    this.values.rejected += counts.rejected ?? 0
    this.maybeShow()
  }

  /** The current progress text, without any terminal control characters. */
  status(): string {
    const elapsed = this.now() - this.started
    const parts = [
      `${formatCount(this.values.read)} rows`,
      `${formatCount(rate(this.values.read, elapsed))} rows/s`
    ]
    if (this.totalBytes !== undefined && this.bytesRead) {
      const fraction = Math.min(1, this.bytesRead() / this.totalBytes)
      parts.push(`${(fraction * 100).toFixed(1)}%`)
      if (fraction > 0 && elapsed > 0)
        parts.push(`ETA ${formatDuration((elapsed * (1 - fraction)) / fraction)}`)
    }
    return `${this.label ? `${this.label} ` : ''}${parts.join(', ')}`
  }

  /** The closing line: every count, the time taken and the overall rate. */
  summary(): string {
    const elapsed = this.now() - this.started
    const { read, created, updated, unchanged, rejected } = this.values
    return (
      `${this.label ? `${this.label}: ` : ''}read ${formatCount(read)}, created ${formatCount(created)}, ` +
      `updated ${formatCount(updated)}, unchanged ${formatCount(unchanged)}, rejected ${formatCount(rejected)}, ` +
      `elapsed ${formatDuration(elapsed)}, ${formatCount(rate(read, elapsed))} rows/s`
    )
  }

  /** Replaces the progress line with the summary; returns the summary. Later calls do nothing more. */
  finish(): string {
    const text = this.summary()
    if (!this.finished) {
      this.finished = true
      this.stream.write(`${this.tty && this.drawn ? CLEAR_LINE : ''}${text}\n`)
    }
    return text
  }

  private maybeShow(): void {
    if (this.finished) return
    const now = this.now()
    if (now - this.lastShown < this.interval) return
    this.lastShown = now
    if (this.tty) {
      this.drawn = true
      this.stream.write(`${CLEAR_LINE}${this.status()}`)
    } else {
      this.stream.write(`${this.status()}\n`)
    }
  }
}

function rate(rows: number, elapsedMs: number): number {
  return elapsedMs > 0 ? rows / (elapsedMs / 1000) : 0
}
