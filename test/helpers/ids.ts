/**
 * Numeric ids unique to a test run, for the properties a uniqueness constraint guards (TMDB ids,
 * tweet ids). Test files share one Neo4j and run at the same time: a fixed id used by two of them
 * makes each depend on what the other has stored, so every id here is drawn at random from a
 * range no fixture, demo, import space (test/int/import-helpers.ts) or fuzzed request uses.
 * String ids get `uid` from ./neo4j.ts.
 */
import { randomBytes, randomInt } from 'node:crypto'

/** 2^53: JSON numbers above it lose digits, which is why tweet ids travel as strings. */
export const MAX_SAFE = 2n ** 53n
/** 2^63 - 1, the largest signed 64-bit integer (what Neo4j's INTEGER holds). */
export const INT64_MAX = 2n ** 63n - 1n

/**
 * A TMDB-style id (a movie's tmdb_id or a genre's tmdb_genre_id): from 10^9 up, above the import
 * spaces and real ids, and below 2.12×10^9 where the fuzz tests draw theirs.
 */
export function tmdbId(): number {
  return randomInt(1_000_000_000, 2_100_000_000)
}

/** An IMDb id of ten digits, longer than any real one. */
export function imdbId(): string {
  return `tt${String(randomInt(1e9, 1e10)).padStart(10, '0')}`
}

/** A random integer in [min, max], as a string of digits. */
export function digitsBetween(min: bigint, max: bigint): string {
  const span = max - min + 1n
  // 128 random bits: the bias of reducing them modulo a 64-bit span is negligible.
  const random = BigInt(`0x${randomBytes(16).toString('hex')}`)
  return (min + (random % span)).toString()
}

/** An 18-digit tweet id, beyond 2^53 like every real one. */
export function tweetId(): string {
  return digitsBetween(10n ** 17n, 10n ** 18n - 1n)
}
