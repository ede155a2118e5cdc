import { describe, it, expect } from 'vitest'
import { writeFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { gzipSync } from 'node:zlib'
import { inputFromStream, openInput, readLines } from '../../../src/ingest/input.js'
import { collect, useTempDirs } from './helpers.js'

const tempDir = useTempDirs()

/** A stdin-like stream delivering the bytes in chunks of `size`. */
function chunked(bytes: Buffer, size: number): Readable {
  const chunks: Buffer[] = []
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size))
  return Readable.from(chunks, { objectMode: false })
}

async function lines(bytes: Buffer, chunkSize = 65536): Promise<Array<[number, string]>> {
  const input = await inputFromStream(chunked(bytes, chunkSize), { path: '-' })
  return (await collect(readLines(input))).map(({ line, lineNumber }) => [lineNumber, line])
}

describe('readLines', () => {
  it('numbers lines from 1, keeping blank ones, and adds no line for a final newline', async () => {
    expect(await lines(Buffer.from('a\n\nb\n'))).toEqual([
      [1, 'a'],
      [2, ''],
      [3, 'b']
    ])
  })

  it('handles CRLF, a last line without newline and a leading BOM', async () => {
    expect(await lines(Buffer.from('\ufeffid,x\r\n1,é\r\n2,日本語'))).toEqual([
      [1, 'id,x'],
      [2, '1,é'],
      [3, '2,日本語']
    ])
  })

  it('keeps only the first BOM and only a CR right before LF', async () => {
    expect(await lines(Buffer.from('\ufeff\ufeffa\rb\r\n'))).toEqual([[1, '\ufeffa\rb']])
  })

  it('is not confused by chunks that split a BOM, a CRLF or a multi-byte character', async () => {
    const text = Buffer.from('\ufeffCafé ☕ 日本語\r\nSeñor\r\nlast')
    for (const size of [1, 2, 3, 5]) {
      expect(await lines(text, size)).toEqual([
        [1, 'Café ☕ 日本語'],
        [2, 'Señor'],
        [3, 'last']
      ])
    }
  })

  it('reads nothing from empty input and one empty line from a lone newline', async () => {
    expect(await lines(Buffer.alloc(0))).toEqual([])
    expect(await lines(Buffer.from('\n'))).toEqual([[1, '']])
  })

  it('refuses a line longer than the limit instead of buffering the whole input', async () => {
    const input = await inputFromStream(chunked(Buffer.from(`ok\n${'x'.repeat(100)}`), 10), { path: '-' })
    await expect(collect(readLines(input, { maxLineLength: 50 }))).rejects.toThrow(
      'line 2 is longer than 50 characters'
    )
  })

  it('accepts any async iterable of strings or buffers', async () => {
    async function* source(): AsyncGenerator<string | Buffer> {
      yield 'a\r'
      yield Buffer.from('\nb')
    }
    expect((await collect(readLines(source()))).map((l) => l.line)).toEqual(['a', 'b'])
  })
})

describe('openInput', () => {
  const content = 'userId,movieId\n1,2\n3,4\n'

  it('reads a plain file and reports its size and the bytes read', async () => {
    const path = join(await tempDir(), 'ratings.csv')
    await writeFile(path, content)
    const input = await openInput(path)
    expect(input.gzipped).toBe(false)
    expect(input.isStdin).toBe(false)
    expect(input.totalBytes).toBe(Buffer.byteLength(content))
    expect((await collect(readLines(input))).map((l) => l.line)).toEqual(['userId,movieId', '1,2', '3,4'])
    expect(input.bytesRead()).toBe(Buffer.byteLength(content))
  })

  it('gunzips by the magic bytes, whatever the name, and counts compressed bytes', async () => {
    const dir = await tempDir()
    const gz = gzipSync(Buffer.from(content))
    const disguised = join(dir, 'ratings.csv')
    await writeFile(disguised, gz)
    const input = await openInput(disguised)
    expect(input.gzipped).toBe(true)
    expect(input.totalBytes).toBe(gz.length)
    expect((await collect(readLines(input))).map((l) => l.line)).toEqual(['userId,movieId', '1,2', '3,4'])
    expect(input.bytesRead()).toBe(gz.length)
  })

  it('does not gunzip a plain file named .gz', async () => {
    const path = join(await tempDir(), 'ratings.csv.gz')
    await writeFile(path, content)
    const input = await openInput(path)
    expect(input.gzipped).toBe(false)
    expect(await collect(readLines(input))).toHaveLength(3)
  })

  it('reads stdin (`-`), gzipped or not, even one byte at a time', async () => {
    for (const bytes of [Buffer.from(content), gzipSync(Buffer.from(content))]) {
      const input = await openInput('-', { stdin: chunked(bytes, 1) })
      expect(input.isStdin).toBe(true)
      expect(input.totalBytes).toBeUndefined()
      expect((await collect(readLines(input))).map((l) => l.line)).toEqual(['userId,movieId', '1,2', '3,4'])
      expect(input.bytesRead()).toBe(bytes.length)
    }
  })

  it('takes the size of a stand-in stdin when given', async () => {
    const input = await openInput('-', { stdin: chunked(Buffer.from('x'), 1), stdinBytes: 1 })
    expect(input.totalBytes).toBe(1)
  })

  it('handles an input shorter than the gzip magic number', async () => {
    expect(await lines(Buffer.from('x'), 1)).toEqual([[1, 'x']])
  })

  it('reports a corrupt gzip stream as an error while reading', async () => {
    const gz = gzipSync(Buffer.from(content.repeat(100)))
    const input = await inputFromStream(chunked(gz.subarray(0, gz.length - 30), 64), { path: '-' })
    await expect(collect(readLines(input))).rejects.toThrow()
  })

  it('fails clearly for a missing file or a directory', async () => {
    const dir = await tempDir()
    await expect(openInput(join(dir, 'nope.csv'))).rejects.toThrow(/ENOENT/)
    await expect(openInput(dir)).rejects.toThrow('is not a file')
  })

  it('can be closed early without reading everything', async () => {
    const path = join(await tempDir(), 'big.csv')
    await writeFile(path, 'line\n'.repeat(200_000))
    const input = await openInput(path)
    for await (const { lineNumber } of readLines(input)) if (lineNumber === 3) break
    input.close()
    input.close()
    expect(input.bytesRead()).toBeLessThan((await stat(path)).size)
  })
})
