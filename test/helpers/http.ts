import { expect } from 'vitest'

/** The one error shape of the API: `{ error: { code, message, details? } }` and nothing else. */
export function isErrorShape(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false
  const keys = Object.keys(body)
  if (keys.length !== 1 || keys[0] !== 'error') return false
  const error = (body as { error: unknown }).error
  if (typeof error !== 'object' || error === null || Array.isArray(error)) return false
  const { code, message, ...rest } = error as Record<string, unknown>
  return (
    typeof code === 'string' &&
    /^[A-Z][A-Z0-9_]*$/.test(code) &&
    typeof message === 'string' &&
    message.length > 0 &&
    Object.keys(rest).every((k) => k === 'details')
  )
}

export function expectErrorShape(body: unknown): void {
  expect(isErrorShape(body), `not the one error shape: ${JSON.stringify(body)}`).toBe(true)
}

/** An error response: this status, the one error shape, and one of these codes. */
export function expectError(
  res: { statusCode: number; body: string; json: () => unknown },
  status: number,
  codes: string[]
): void {
  expect(res.statusCode, res.body).toBe(status)
  const body = res.json() as { error: { code: string } }
  expectErrorShape(body)
  expect(codes).toContain(body.error.code)
}

/**
 * Settings that turn the service's load shedding off: tests that are not about it must not see
 * a 503 OVERLOADED because the machine running them is busy.
 */
export const NO_LOAD_SHEDDING = { PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0', PRESSURE_MAX_HEAP_RATIO: '0' }
