/**
 * Waiting in tests: for a condition that can only be polled, and for an event with a deadline.
 * A test that sleeps a fixed time is slow where the machine is fast and flaky where it is busy;
 * these return as soon as what is awaited has happened and fail, naming it, once it cannot.
 */

export interface WaitOptions {
  /** How long to keep trying before giving up. */
  timeoutMs: number
  /** Pause between two checks. */
  intervalMs?: number
}

/** A value that means "not yet". */
type NotYet = false | null | undefined | 0 | ''

export class WaitTimeoutError extends Error {
  override name = 'WaitTimeoutError'
}

/**
 * Checks `check` until it returns a truthy value, and returns that value; throws a
 * WaitTimeoutError naming `what` when `timeoutMs` passes first. `what` may be a function, to
 * say in the message what was last seen. An error thrown by `check` ends the wait at once.
 */
export async function waitFor<T>(
  what: string | (() => string),
  check: () => T | Promise<T>,
  { timeoutMs, intervalMs = 100 }: WaitOptions
): Promise<Exclude<T, NotYet>> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value) return value as Exclude<T, NotYet>
    if (Date.now() >= deadline) {
      const name = typeof what === 'function' ? what() : what
      throw new WaitTimeoutError(`timed out after ${timeoutMs} ms waiting for ${name}`)
    }
    await delay(Math.min(intervalMs, Math.max(0, deadline - Date.now())))
  }
}

/** The promise's value, or a WaitTimeoutError naming `what` if it takes longer than `timeoutMs`. */
export async function within<T>(what: string, promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new WaitTimeoutError(`timed out after ${timeoutMs} ms waiting for ${what}`)),
      timeoutMs
    )
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * A pause that is part of a scenario (pacing a retry loop, letting time pass on purpose), never a
 * wait for something to happen: say at the call why the time itself matters.
 */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
