/**
 * Opening an import source: a file or stdin (`-`), gunzipped when its first bytes say it is gzip
 * (a `.gz` name alone proves nothing), with the byte counts progress needs for an ETA. Lines are
 * read in constant memory, whatever the size of the file.
 */
import { createReadStream, fstatSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import { Readable, pipeline } from 'node:stream'
import { StringDecoder } from 'node:string_decoder'
import { createGunzip } from 'node:zlib'

export const STDIN_PATH = '-'

const GZIP_MAGIC = [0x1f, 0x8b] as const

export interface Input {
  /** The path as given, `-` for stdin. */
  readonly path: string
  readonly isStdin: boolean
  readonly gzipped: boolean
  /** Size of the source as stored (compressed when gzipped); undefined for a pipe. */
  readonly totalBytes: number | undefined
  /** Bytes taken from the source so far, in the same units as totalBytes. */
  bytesRead(): number
  /** The decompressed content. */
  readonly stream: Readable
  /** Stops reading and releases the file; safe to call more than once. */
  close(): void
}

export interface OpenInputOptions {
  /** Stands in for process.stdin when the path is `-`. */
  stdin?: Readable
  /** Size of that stand-in, when known. */
  stdinBytes?: number
}

export async function openInput(path: string, options: OpenInputOptions = {}): Promise<Input> {
  if (path === STDIN_PATH) {
    const stdin = options.stdin ?? process.stdin
    const totalBytes = options.stdinBytes ?? (options.stdin ? undefined : redirectedStdinBytes())
    return inputFromStream(stdin, { path, totalBytes })
  }
  const info = await stat(path)
  if (!info.isFile()) throw new Error(`${path} is not a file`)
  return inputFromStream(createReadStream(path), { path, totalBytes: info.size })
}

// `cinegraph import - < ratings.csv` gives stdin a real file whose size is known.
function redirectedStdinBytes(): number | undefined {
  try {
    const info = fstatSync(0)
    return info.isFile() ? info.size : undefined
  } catch {
    return undefined
  }
}

/** Wraps any byte stream as an Input: sniffs gzip, counts bytes. */
export async function inputFromStream(
  raw: AsyncIterable<Buffer | string> & { destroy?: () => void },
  meta: { path: string; totalBytes?: number | undefined }
): Promise<Input> {
  const iterator = raw[Symbol.asyncIterator]()
  let bytes = 0
  let done = false
  /** The next chunk, counted; undefined once the source is exhausted. */
  const pull = async (): Promise<Buffer | undefined> => {
    const next = await iterator.next()
    if (next.done) {
      done = true
      return undefined
    }
    const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value
    bytes += chunk.length
    return chunk
  }
  const chunks: Buffer[] = []
  let headLength = 0
  // Enough bytes to see the magic number; a pipe may deliver them one at a time.
  while (headLength < GZIP_MAGIC.length) {
    const chunk = await pull()
    if (!chunk) break
    chunks.push(chunk)
    headLength += chunk.length
  }
  const head = Buffer.concat(chunks)
  const gzipped = head.length >= 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1]

  async function* content(): AsyncGenerator<Buffer> {
    try {
      if (head.length > 0) yield head
      while (!done) {
        const chunk = await pull()
        if (chunk) yield chunk
      }
    } finally {
      // A reader that stops early must still release the file.
      if (!done) await iterator.return?.()
    }
  }

  const counted = Readable.from(content(), { objectMode: false })
  let stream: Readable = counted
  if (gzipped) {
    // Errors from either side end up on the gunzip stream, where the reader sees them.
    stream = pipeline(counted, createGunzip(), () => undefined)
  }
  let closed = false
  return {
    path: meta.path,
    isStdin: meta.path === STDIN_PATH,
    gzipped,
    totalBytes: meta.totalBytes,
    bytesRead: () => bytes,
    stream,
    close() {
      if (closed) return
      closed = true
      stream.destroy()
      counted.destroy()
      // The generator may never have started, so its source must be let go of directly.
      if (!done) void iterator.return?.()
      raw.destroy?.()
    }
  }
}

export interface Line {
  line: string
  /** 1-based, counting every line of the source including blank ones. */
  lineNumber: number
}

export interface ReadLinesOptions {
  /** A line longer than this (in UTF-16 units) is an error rather than a reason to buffer the file. */
  maxLineLength?: number
}

const DEFAULT_MAX_LINE_LENGTH = 64 * 1024 * 1024

/**
 * Splits UTF-8 content into lines: `\n` and `\r\n` both end a line, a last line without a newline
 * still counts, a leading BOM is dropped, and a newline at the very end does not add an empty line.
 */
export async function* readLines(
  source: Input | AsyncIterable<Buffer | string>,
  options: ReadLinesOptions = {}
): AsyncGenerator<Line> {
  const maxLineLength = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH
  const stream: AsyncIterable<Buffer | string> = 'bytesRead' in source ? source.stream : source
  const decoder = new StringDecoder('utf8')
  let rest = ''
  let lineNumber = 0
  let atStart = true
  for await (const chunk of stream) {
    let text = typeof chunk === 'string' ? chunk : decoder.write(chunk)
    if (atStart && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
      atStart = false
    }
    const buffer = rest + text
    let start = 0
    // The carried-over part was already searched.
    let newline = buffer.indexOf('\n', rest.length)
    while (newline !== -1) {
      const end = newline > start && buffer.charCodeAt(newline - 1) === 13 ? newline - 1 : newline
      yield { line: buffer.slice(start, end), lineNumber: ++lineNumber }
      start = newline + 1
      newline = buffer.indexOf('\n', start)
    }
    rest = start === 0 ? buffer : buffer.slice(start)
    if (rest.length > maxLineLength) {
      throw new Error(`line ${lineNumber + 1} is longer than ${maxLineLength} characters`)
    }
  }
  rest += decoder.end()
  if (rest.length > 0) {
    yield { line: rest.endsWith('\r') ? rest.slice(0, -1) : rest, lineNumber: ++lineNumber }
  }
}
