/**
 * Batches for the writers' UNWIND transactions. Within one batch every key appears once, and rows
 * are sorted by key so that importers running side by side take locks in the same order instead
 * of deadlocking on each other.
 *
 * Duplicates: by default the LAST row with a key wins and the earlier one is reported. That is the
 * outcome of applying the rows one by one, which is also what happens to duplicates that land in
 * different batches, so the result never depends on the batch size. `keep-first` is there for
 * sources where the first occurrence is authoritative.
 */
import type { Located, RejectSink } from './rows.js'

export type BatchKey = string | number
export type DuplicatePolicy = 'keep-last' | 'keep-first'

export interface BatchOptions<T> {
  /** Rows taken from the source per batch; a batch shrinks by the duplicates it drops. */
  size: number
  key: (item: T) => BatchKey
  duplicates?: DuplicatePolicy
  /** Called for every dropped row, with the row that stays. */
  onDuplicate?: (dropped: T, kept: T, key: BatchKey) => void | Promise<void>
}

export function duplicateKeyReason(key: BatchKey): string {
  return `duplicate key ${key} inside one batch`
}

/** Numbers before strings; numbers by value, strings by UTF-16 code units (never by locale). */
export function compareKeys(a: BatchKey, b: BatchKey): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b
  if (typeof a === 'number') return -1
  if (typeof b === 'number') return 1
  return a < b ? -1 : a > b ? 1 : 0
}

export async function* batches<T>(
  items: AsyncIterable<T> | Iterable<T>,
  options: BatchOptions<T>
): AsyncGenerator<T[]> {
  const { size, key } = options
  if (!Number.isInteger(size) || size < 1)
    throw new Error(`batch size must be a positive integer, got ${size}`)
  const keepLast = (options.duplicates ?? 'keep-last') === 'keep-last'
  let byKey = new Map<BatchKey, T>()
  let taken = 0

  async function* flush(): AsyncGenerator<T[]> {
    if (byKey.size === 0) return
    const entries = [...byKey]
    byKey = new Map()
    taken = 0
    entries.sort((a, b) => compareKeys(a[0], b[0]))
    yield entries.map((entry) => entry[1])
  }

  for await (const item of items) {
    const k = key(item)
    const earlier = byKey.get(k)
    if (earlier === undefined) {
      byKey.set(k, item)
    } else if (keepLast) {
      byKey.set(k, item)
      await options.onDuplicate?.(earlier, item, k)
    } else {
      await options.onDuplicate?.(item, earlier, k)
    }
    if (++taken >= size) yield* flush()
  }
  yield* flush()
}

/** An onDuplicate that sends the dropped row to the rejects file, naming the line that was kept. */
export function rejectDuplicates<T>(
  rejects: RejectSink
): (dropped: Located<T>, kept: Located<T>, key: BatchKey) => Promise<void> {
  return async (dropped, kept, key) => {
    await rejects.reject(
      dropped.lineNumber,
      dropped.raw,
      `${duplicateKeyReason(key)} (line ${kept.lineNumber} kept)`
    )
  }
}
