/**
 * The order of title search results on a planted "matrix" case worked out by hand: a made-up word
 * of this run stands for "matrix", three films carry it whole, one as the start of a longer word,
 * and two titles are only a typo or two away from it ("Martin", "Marie Antoinette").
 */
import { randomInt } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import type { Database } from '../../src/db/database.js'
import { buildTestApp } from '../helpers/app.js'
import { insertMovie, removeTaggedAndClose } from '../helpers/movies.js'
import { testDatabase, uid } from '../helpers/neo4j.js'
import { waitFor } from '../helpers/wait-for.js'

interface Result {
  movie_id: string
  title: string
  score: number
  rank: number
}

const LETTERS = 'bcdfghjklmnpqrstvwxz'
const letter = (not = ''): string => {
  for (;;) {
    const c = LETTERS[randomInt(LETTERS.length)] as string
    if (!not.includes(c)) return c
  }
}
/** Seven consonants no title of another file has. */
const word = Array.from({ length: 7 }, () => letter()).join('')
/** The word with other letters at the given places: one or two typos away. */
const changed = (...at: number[]): string =>
  [...word].map((c, i) => (at.includes(i) ? letter(c) : c)).join('')
const oneTypo = changed(3)
const twoTypos = changed(2, 5)
const cap = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1)

describe('title search ranking', () => {
  let app: FastifyInstance
  let db: Database
  const tag = uid('search-ranking')
  const movies = {
    exact1: `The ${cap(word)}`,
    exact2: `The ${cap(word)} Reloaded`,
    exact3: `The ${cap(word)} Revolutions`,
    prefix: `${cap(word)}ian Tales`,
    typo1: cap(oneTypo),
    typo2: `${cap(twoTypos)} Antoinette`
  }
  const ids: Record<string, string> = {}

  beforeAll(async () => {
    app = await buildTestApp()
    db = testDatabase()
    // The typo titles are the most popular, so popularity cannot be what puts them last.
    const popularity: Record<string, number> = {
      exact1: 10,
      exact2: 9,
      exact3: 8,
      prefix: 7,
      typo1: 90,
      typo2: 95
    }
    for (const [key, title] of Object.entries(movies)) {
      ids[key] = `${tag}-${key}`
      await insertMovie(db, tag, { movie_id: ids[key], title, popularity: popularity[key] ?? 0 })
    }
    await db.readRows('CALL db.awaitIndexes(60)')
    let shown = 0
    await waitFor(
      () => `the full-text index to show the planted titles (it shows ${shown})`,
      async () => {
        const [row] = await db.readRows<{ n: number }>(
          `CALL db.index.fulltext.queryNodes('movie_title_fulltext', $q) YIELD node
           WHERE node.test_tag = $tag RETURN count(node) AS n`,
          { q: `${word}* ${oneTypo} ${twoTypos}`, tag }
        )
        shown = row?.n ?? 0
        return shown === Object.keys(movies).length
      },
      { timeoutMs: 30_000 }
    )
  })

  afterAll(async () => {
    await removeTaggedAndClose(tag, db, app)
  })

  const search = async (q: string): Promise<Result[]> => {
    const res = await app.inject({ method: 'GET', url: '/search/movies', query: { q } })
    expect(res.statusCode, res.body).toBe(200)
    return res.json<{ results: Result[] }>().results
  }
  const keys = (results: Result[]): string[] =>
    results.map((r) => Object.keys(ids).find((key) => ids[key] === r.movie_id) ?? r.movie_id)

  it('lists the exact hits, then the prefix hit, and drops typo hits far below them', async () => {
    const results = await search(word)
    const found = keys(results)
    expect(found.slice(0, 3).sort()).toEqual(['exact1', 'exact2', 'exact3'])
    expect(found.slice(3)).toEqual(['prefix'])
    expect(results.map((r) => r.rank)).toEqual([1, 2, 3, 4])
  })

  it('the typo titles do match the word, so dropping them is the ranking, not the index', async () => {
    const [row] = await db.readRows<{ n: number }>(
      `CALL db.index.fulltext.queryNodes('movie_title_fulltext', $q) YIELD node
       WHERE node.test_tag = $tag AND node.movie_id IN $typos RETURN count(node) AS n`,
      { q: `${word}~2`, tag, typos: [ids.typo1, ids.typo2] }
    )
    expect(row?.n).toBe(2)
  })

  it('keeps the typo hits near the best when nothing matches better', async () => {
    // Two letters swapped: no title holds this word or starts with it, so every hit is a typo
    // hit. The films are one edit away (a swap), the typo titles two; the prefix title is farther
    // than a fuzzy clause reaches.
    const typed = `${word.slice(0, 3)}${word[4]}${word[3]}${word.slice(5)}`
    const found = keys(await search(typed))
    expect(found).toEqual(expect.arrayContaining(['exact1', 'exact2', 'exact3']))
    expect(found).not.toContain('prefix')
  })

  it('records the same ranking through POST /searches', async () => {
    const res = await app.inject({ method: 'POST', url: '/searches', payload: { query: word } })
    expect(res.statusCode, res.body).toBe(201)
    const created = res.json<{ search_id: string; results: Result[] }>()
    expect(keys(created.results).slice(3)).toEqual(['prefix'])
    await db.writeRows('MATCH (s:Search {search_id: $id}) DETACH DELETE s', { id: created.search_id })
  })
})
