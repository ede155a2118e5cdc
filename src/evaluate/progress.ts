/**
 * Progress of the per-user pass: at a terminal one line redrawn in place with done/total and the
 * rate; in a log a plain line every 10 s, since carriage returns make logs unreadable.
 */
import type { ProgressStream } from '../ingest/progress.js'

const CLEAR_LINE = '\r\x1b[2K'
const REDRAW_MS = 250
const LOG_EVERY_MS = 10_000

export interface UserProgress {
  tick(users?: number): void
  /** Clears the terminal line and writes the closing line. */
  end(): void
}

export function userProgress(
  stream: ProgressStream | undefined,
  total: number,
  now: () => number = () => performance.now(),
  tty: boolean = stream?.isTTY === true
): UserProgress {
  if (!stream) return { tick: () => undefined, end: () => undefined }
  const started = now()
  let last = started
  let done = 0
  let drawn = false
  const rate = (): string => {
    const seconds = (now() - started) / 1000
    return seconds > 0 ? (done / seconds).toFixed(1) : '0.0'
  }
  const status = (): string => `evaluating users: ${done}/${total}, ${rate()} users/s`
  return {
    tick(users = 1) {
      done += users
      const t = now()
      if (t - last < (tty ? REDRAW_MS : LOG_EVERY_MS)) return
      last = t
      if (tty) {
        drawn = true
        stream.write(`${CLEAR_LINE}${status()}`)
      } else {
        stream.write(`${status()}\n`)
      }
    },
    end() {
      const seconds = ((now() - started) / 1000).toFixed(1)
      stream.write(
        `${tty && drawn ? CLEAR_LINE : ''}evaluated ${done} users in ${seconds}s (${rate()} users/s)\n`
      )
    }
  }
}
