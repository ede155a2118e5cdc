/**
 * Read-your-writes across a Neo4j cluster. A response to a request that wrote carries the
 * driver's bookmarks in `x-neo4j-bookmark`; a client that sends the value back has its reads (and
 * writes) wait until the member serving them has caught up with that write.
 *
 * The value is signed: Neo4j holds a transaction open for up to `db.bookmark_ready_timeout`
 * (30 s by default) waiting for a bookmark it has not reached, so a forged "future" bookmark
 * would tie up a connection per request. Only bookmarks this service issued are accepted;
 * instances behind one load balancer share BOOKMARK_SECRET so that any of them accepts any
 * other's.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import fp from 'fastify-plugin'
import { BookmarkScope, withBookmarks } from '../../db/database.js'
import { InvalidBookmarkError } from '../../errors.js'

export const BOOKMARK_HEADER = 'x-neo4j-bookmark'

declare module 'fastify' {
  interface FastifyRequest {
    bookmarkScope: BookmarkScope | null
  }
}

export interface BookmarksPluginOptions {
  /** Unset: a random secret for this process only. */
  secret?: string | undefined
}

const VERSION = 'v1'
const MAX_HEADER_LENGTH = 4096
const MAX_BOOKMARKS = 16
const TOKEN = /^v1\.([A-Za-z0-9_-]{1,4000})\.([A-Za-z0-9_-]{43})$/
/** What Neo4j's bookmarks are made of: a prefix and base64. */
const BOOKMARK = /^[A-Za-z0-9+/=:_-]{1,512}$/
/** Methods whose routes only read. */
const READ_METHODS = new Set(['GET', 'HEAD'])

export interface BookmarkCodec {
  encode(bookmarks: readonly string[]): string
  /** The bookmarks in a header value; throws InvalidBookmarkError for anything this codec did not issue. */
  decode(value: string): string[]
}

export function bookmarkCodec(secret: string | Buffer): BookmarkCodec {
  const sign = (payload: string): Buffer =>
    createHmac('sha256', secret).update(`${VERSION}.${payload}`).digest()
  return {
    encode(bookmarks) {
      const payload = Buffer.from(bookmarks.join(','), 'utf8').toString('base64url')
      return `${VERSION}.${payload}.${sign(payload).toString('base64url')}`
    },
    decode(value) {
      const match = value.length <= MAX_HEADER_LENGTH ? TOKEN.exec(value) : null
      if (!match) {
        throw new InvalidBookmarkError(`${BOOKMARK_HEADER} must be a value this service returned, unchanged`)
      }
      const [, payload = '', signature = ''] = match
      const given = Buffer.from(signature, 'base64url')
      const expected = sign(payload)
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new InvalidBookmarkError(
          `${BOOKMARK_HEADER} was not issued by this service (instances must share BOOKMARK_SECRET)`
        )
      }
      const bookmarks = Buffer.from(payload, 'base64url').toString('utf8').split(',')
      if (bookmarks.length > MAX_BOOKMARKS || !bookmarks.every((b) => BOOKMARK.test(b))) {
        throw new InvalidBookmarkError(`${BOOKMARK_HEADER} holds no usable bookmark`)
      }
      return bookmarks
    }
  }
}

export default fp<BookmarksPluginOptions>(
  async (app, opts) => {
    const codec = bookmarkCodec(opts.secret ?? randomBytes(32))
    app.decorateRequest('bookmarkScope', null)

    // After validation, right before the handler: the scope must cover the handler's whole
    // async call tree, and body parsing (earlier) runs outside the request's async context.
    app.addHook('preHandler', (request, _reply, done) => {
      // Node joins a repeated header into one string, which then fails to decode: never an array.
      const value = request.headers[BOOKMARK_HEADER]
      const given = typeof value === 'string' && value !== ''
      // A read that brings no bookmark has nothing to wait for and no write to report, so it needs
      // no scope; entering one would put an async-context hook on every promise of the request
      // (Node 20), paid on the most frequent requests for nothing.
      if (!given && READ_METHODS.has(request.method)) {
        done()
        return
      }
      let scope: BookmarkScope
      try {
        scope = new BookmarkScope(given ? codec.decode(value) : [])
      } catch (err) {
        done(err as Error)
        return
      }
      request.bookmarkScope = scope
      withBookmarks(scope, () => done())
    })

    app.addHook('onSend', async (request, reply) => {
      const scope = request.bookmarkScope
      if (scope?.wrote && scope.bookmarks.length > 0)
        reply.header(BOOKMARK_HEADER, codec.encode(scope.bookmarks))
    })
  },
  { name: 'bookmarks' }
)
