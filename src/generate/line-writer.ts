/**
 * Buffered file output with backpressure for the generator: lines collect in a string and go to
 * the file in large writes, and the producer waits whenever the file falls behind, so memory
 * stays flat however many rows are written.
 */
import { createWriteStream } from 'node:fs'
import type { WriteStream } from 'node:fs'

const FLUSH_AT = 256 * 1024

export class LineWriter {
  private buffer = ''
  private readonly out: WriteStream
  private failure: Error | undefined
  /** Bytes handed to the file so far. */
  bytes = 0

  constructor(readonly path: string) {
    this.out = createWriteStream(path, { encoding: 'utf8', highWaterMark: 1024 * 1024 })
    this.out.on('error', (error) => {
      this.failure ??= new Error(`cannot write ${path}: ${error.message}`)
    })
  }

  /** Adds text; true means the buffer is full and the caller should `await flush()`. */
  add(text: string): boolean {
    this.buffer += text
    return this.buffer.length >= FLUSH_AT
  }

  async flush(): Promise<void> {
    if (this.failure) throw this.failure
    if (this.buffer === '') return
    const text = this.buffer
    this.buffer = ''
    this.bytes += Buffer.byteLength(text)
    if (!this.out.write(text)) await this.settled('drain')
    if (this.failure) throw this.failure
  }

  async close(): Promise<void> {
    await this.flush()
    this.out.end()
    await this.settled('close')
    if (this.failure) throw this.failure
  }

  private settled(event: 'drain' | 'close'): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.out.off(event, done)
        this.out.off('error', done)
        resolve()
      }
      this.out.on(event, done)
      this.out.on('error', done)
    })
  }
}

/** One CSV field, quoted only when it has to be (RFC 4180). */
export function csvField(value: string | number): string {
  const text = String(value)
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}
