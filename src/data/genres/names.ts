/** Genre names as the graph keys them: trimmed, each once, in the order Cypher sorts them. */

export function normalizeGenreName(name: string): string {
  return name.trim()
}

/** Sorted by UTF-16 code units, the order Cypher's ORDER BY gives strings, so lists compare equal. */
export function normalizeGenreNames(names: readonly string[]): string[] {
  return [...new Set(names.map(normalizeGenreName))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
}
