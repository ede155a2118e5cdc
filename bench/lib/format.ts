/** Figures as the HTTP suites print them: with the precision each deserves. */
import { fmt } from './stats.js'

/** Milliseconds: fractions matter below 10 ms only. */
export function ms(value: number): string {
  return fmt(value, value < 10 ? 2 : 1)
}

/** Requests per second: a slow route's 2.5 req/s must not print as 3. */
export function rate(value: number): string {
  return fmt(value, value < 100 ? 1 : 0)
}

export function ratio(value: number, base: number): string {
  if (!(base > 0) || !Number.isFinite(value)) return 'n/a'
  const r = value / base
  return `${fmt(r, r < 10 ? 1 : 0)}×`
}

export function percent(part: number, whole: number, digits = 1): string {
  return `${fmt(whole > 0 ? (part / whole) * 100 : 0, digits)}%`
}
