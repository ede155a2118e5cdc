import { randomUUID } from 'node:crypto'
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
  year: number | null
  score: number
  rank: number
}

interface Created {
  search_id: string
  query: string
  normalized_query: string
  filters: Record<string, unknown>
  searched_at: string
  results: Result[]
  result_count: number
}

interface HistoryItem {
  search_id: string
  query: string
  normalized_query: string
  filters: Record<string, unknown>
  searched_at: string
  result_count: number
  returned_movie_ids: string[]
  selected_movie_ids: string[]
}

describe('searches', () => {
  let app: FastifyInstance
  let db: Database
  const tag = uid('searches-test')
  // A word no other title has: every query below includes it, so only this file's movies match.
  const word = `q${randomUUID().replace(/-/g, '').slice(0, 12)}`
  /**
   * Genres of this run alone: a genre other files also fill (Drama, Crime) would tie what the
   * filters find here to what they store. `word` is lower case, so case-insensitive matching
   * is tested by the case of `name`.
   */
  const genre = (name: string): string => `${name} ${word}`
  let n = 0
  const movie: Record<string, string> = {}

  async function createMovie(
    key: string,
    title: string,
    year: number | null,
    popularity: number,
    genres: string[] = []
  ): Promise<void> {
    const movieId = `${tag}-m${++n}`
    movie[key] = movieId
    await insertMovie(db, tag, { movie_id: movieId, title, year, popularity, genres: genres.map(genre) })
  }

  /** Full-text indexes may lag the commit; wait until the index shows every movie titled with `q`. */
  async function awaitIndexed(expected: number, q = word): Promise<void> {
    await db.readRows('CALL db.awaitIndexes(60)')
    let shown: number | undefined
    await waitFor(
      () => `the full-text index to show ${expected} movies titled with ${q} (it shows ${shown})`,
      async () => {
        const [row] = await db.readRows<{ n: number }>(
          `CALL db.index.fulltext.queryNodes('movie_title_fulltext', $q) YIELD node RETURN count(node) AS n`,
          { q }
        )
        shown = row?.n
        return shown === expected
      },
      { timeoutMs: 30_000 }
    )
  }

  const searchIds: string[] = []

  async function search(body: Record<string, unknown>) {
    const res = await app.inject({ method: 'POST', url: '/searches', payload: body })
    if (res.statusCode === 201) searchIds.push(res.json<Created>().search_id)
    return res
  }

  async function found(query: string, extra: Record<string, unknown> = {}): Promise<Created> {
    const res = await search({ query, ...extra })
    expect(res.statusCode, res.body).toBe(201)
    return res.json<Created>()
  }

  function titles(created: Created): string[] {
    return created.results.map((r) => r.title)
  }

  beforeAll(async () => {
    app = await buildTestApp()
    db = testDatabase()
    await createMovie('godfather', `The Godfather ${word}`, 1972, 50, ['Crime', 'Drama'])
    await createMovie('godfather2', `The Godfather Part II ${word}`, 1974, 40, ['Crime', 'Drama'])
    await createMovie('goodfellas', `Goodfellas ${word}`, 1990, 45, ['Crime'])
    await createMovie('amelie', `Amélie ${word}`, 2001, 30, ['Comedy', 'Romance'])
    await createMovie('twinLow', `Twin ${word}`, null, 10)
    await createMovie('twinHigh', `Twin ${word}`, null, 90)
    await awaitIndexed(6)
  })

  afterAll(async () => {
    await db?.writeRows(
      `UNWIND $ids AS id
       MATCH (s:Search {search_id: id})
       DETACH DELETE s`,
      { ids: searchIds }
    )
    await db?.writeRows('MATCH (g:Genre) WHERE g.name ENDS WITH $suffix DETACH DELETE g', {
      suffix: genre('')
    })
    await removeTaggedAndClose(tag, db, app)
  })

  describe('GET /search/movies', () => {
    interface Results {
      query: string
      filters: Record<string, unknown>
      results: Result[]
    }
    const read = (query: Record<string, string>) =>
      app.inject({ method: 'GET', url: '/search/movies', query })

    it('finds "The Godfather" for the misspelt "godfater" and records nothing', async () => {
      const searchesBefore = await db.readRows<{ n: number }>(
        'MATCH (s:Search) WHERE s.query CONTAINS $word RETURN count(s) AS n',
        { word }
      )
      const res = await read({ q: `godfater ${word}` })
      expect(res.statusCode, res.body).toBe(200)
      const body = res.json<Results>()
      expect(body.results[0]?.movie_id).toBe(movie.godfather)
      expect(body.results.map((r) => r.rank)).toEqual(body.results.map((_r, i) => i + 1))
      const searchesAfter = await db.readRows<{ n: number }>(
        'MATCH (s:Search) WHERE s.query CONTAINS $word RETURN count(s) AS n',
        { word }
      )
      expect(searchesAfter).toEqual(searchesBefore)
    })

    it('applies genre and year filters the way POST /searches does', async () => {
      const body = (
        await read({ q: word, genre: genre('crime'), year_from: '1973', limit: '10' })
      ).json<Results>()
      expect(body.filters).toEqual({ genre: genre('crime'), year_from: 1973 })
      expect(body.results.map((r) => r.movie_id).sort()).toEqual([movie.godfather2, movie.goodfellas].sort())
    })

    it('takes Lucene syntax literally', async () => {
      const res = await read({ q: `${word} AND title:(x OR "y) ~ * ? \\ /` })
      expect(res.statusCode).toBe(200)
    })

    it.each([
      ['a missing q', {}],
      ['a blank q', { q: '   ' }],
      ['an unknown parameter', { q: word, sort: 'title' }],
      ['year_from after year_to', { q: word, year_from: '2000', year_to: '1990' }],
      ['limit 101', { q: word, limit: '101' }]
    ])('answers 400 for %s', async (_label, query) => {
      const res = await read(query as Record<string, string>)
      expect(res.statusCode).toBe(400)
      expect(res.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } })
    })
  })

  describe('POST /searches', () => {
    it('finds "The Godfather" for the misspelt "godfater", best match first', async () => {
      const created = await found(`godfater ${word}`)
      expect(titles(created)).toEqual([`The Godfather ${word}`, `The Godfather Part II ${word}`])
      expect(created.results.map((r) => r.rank)).toEqual([1, 2])
      expect(created.results[0]).toMatchObject({ movie_id: movie.godfather, year: 1972 })
      expect(created.results[0]?.score).toBeGreaterThan(created.results[1]?.score ?? Infinity)
      expect(created.result_count).toBe(2)
      expect(created.search_id).toMatch(/^[0-9a-f-]{36}$/)
    })

    it('finds it from an unfinished word ("godf") and from the exact title', async () => {
      expect(titles(await found(`godf ${word}`))).toEqual([
        `The Godfather ${word}`,
        `The Godfather Part II ${word}`
      ])
      expect(titles(await found(`The Godfather ${word}`))[0]).toBe(`The Godfather ${word}`)
    })

    it('matches regardless of case and accents in the query', async () => {
      expect(titles(await found(`AMELIE ${word.toUpperCase()}`))).toEqual([`Amélie ${word}`])
      expect(titles(await found(`amélie ${word}`))).toEqual([`Amélie ${word}`])
    })

    it('orders equally relevant results by popularity', async () => {
      const created = await found(`twin ${word}`)
      expect(created.results.map((r) => r.movie_id)).toEqual([movie.twinHigh, movie.twinLow])
      expect(created.results[0]?.score).toBe(created.results[1]?.score)
      expect(created.results[0]?.year).toBeNull()
    })

    it('applies year and genre filters and the limit', async () => {
      const all = await found(word)
      expect(all.result_count).toBe(6)
      const limited = await found(word, { limit: 2 })
      expect(limited.results).toHaveLength(2)
      expect(limited.result_count).toBe(2)
      const crime = await found(word, { filters: { genre: genre('crime') } })
      expect(new Set(crime.results.map((r) => r.movie_id))).toEqual(
        new Set([movie.godfather, movie.godfather2, movie.goodfellas])
      )
      const years = await found(`godfather ${word}`, { filters: { year_from: 1973, year_to: 1990 } })
      expect(titles(years)).toEqual([`The Godfather Part II ${word}`])
      expect(years.filters).toEqual({ year_from: 1973, year_to: 1990 })
      const both = await found(word, { filters: { genre: genre('Drama'), year_to: 1972 } })
      expect(titles(both)).toEqual([`The Godfather ${word}`])
      const none = await found(word, { filters: { genre: genre('Western') } })
      expect(none).toMatchObject({ results: [], result_count: 0 })
    })

    it('takes Lucene syntax literally', async () => {
      expect(titles(await found(`"godfather" ${word}`))).toHaveLength(2)
      expect(titles(await found(`(godf*) ${word}~`))).toHaveLength(2)
      expect(titles(await found(`title:godfather AND ${word}`))).toEqual([])
      expect(titles(await found(`godfather -part ${word}`))).toEqual([`The Godfather Part II ${word}`])
      expect(titles(await found(`${word}\\`))).toHaveLength(6)
    })

    it.each([
      '"',
      '(',
      ')',
      '\\',
      '~',
      '*',
      '?',
      '*:*',
      '"unclosed',
      'a:b:c',
      '[1 TO 5]',
      '{x}',
      '^2',
      'foo^',
      '/regex/',
      '&& ||',
      '!',
      '-',
      '+',
      'AND',
      'OR NOT',
      'NOT AND OR',
      'godfather AND',
      'a\\',
      '\\"',
      '~~~',
      '%%%',
      '🎬🍿',
      'x'.repeat(200),
      Array.from({ length: 50 }, (_, i) => `w${i}`).join(' '),
      // Many long words, each fuzzy-matching common title words: the term cap keeps Lucene in bounds.
      Array.from({ length: 19 }, (_, i) => `godfathe${String.fromCharCode(97 + i)}`).join(' '),
      Array.from({ length: 22 }, () => 'abcdefgh').join(' ')
    ])('never fails on %j', async (query) => {
      const res = await search({ query })
      expect(res.statusCode, res.body).toBe(201)
    })

    it('answers 201 with no results when nothing searchable is left, and records the search', async () => {
      for (const query of ['*:*', '"', '(', '\\', '~', '&& || !']) {
        const created = await found(query)
        expect(created).toMatchObject({ query, results: [], result_count: 0 })
      }
    })

    it('records the search, what it returned and who searched, in the graph', async () => {
      const userId = `${tag}-recorder`
      const created = await found(`  GODFATER   ${word}  `, {
        user_id: userId,
        filters: { genre: genre('Crime') }
      })
      expect(created.normalized_query).toBe(`godfater ${word}`)
      const [row] = await db.readRows<Record<string, unknown>>(
        `MATCH (u:User {user_id: $user_id})-[:SEARCHED]->(s:Search {search_id: $search_id})
         OPTIONAL MATCH (s)-[r:RETURNED]->(m:Movie)
         WITH s, r, m ORDER BY r.rank
         RETURN s.query AS query, s.normalized_query AS normalized_query, s.filters AS filters,
                s.result_count AS result_count, s.returned_movie_ids AS returned_movie_ids,
                s.searched_at = datetime($searched_at) AS same_time,
                collect([m.movie_id, r.rank, r.score]) AS returned`,
        { user_id: userId, search_id: created.search_id, searched_at: created.searched_at }
      )
      expect(row).toEqual({
        query: `  GODFATER   ${word}  `,
        normalized_query: `godfater ${word}`,
        filters: JSON.stringify({ genre: genre('Crime') }),
        result_count: 2,
        returned_movie_ids: [movie.godfather, movie.godfather2],
        same_time: true,
        returned: created.results.map((r) => [r.movie_id, r.rank, r.score])
      })
    })

    it.each([
      ['an empty query', { query: '' }],
      ['a blank query', { query: '   ' }],
      ['a query over 200 characters', { query: 'x'.repeat(201) }],
      ['no query', { limit: 5 }],
      ['limit 0', { query: 'x', limit: 0 }],
      ['limit 101', { query: 'x', limit: 101 }],
      ['year_from after year_to', { query: 'x', filters: { year_from: 2000, year_to: 1990 } }],
      ['a year out of range', { query: 'x', filters: { year_from: 99999 } }],
      ['an unknown filter', { query: 'x', filters: { director: 'Coppola' } }],
      ['an unknown property', { query: 'x', sort: 'title' }],
      ['a bad user id', { query: 'x', user_id: 'has spaces' }],
      ['a genre over 100 characters', { query: 'x', filters: { genre: 'g'.repeat(101) } }]
    ])('answers 400 VALIDATION_FAILED for %s', async (_name, body) => {
      const res = await search(body)
      expect(res.statusCode).toBe(400)
      expect(res.json().error.code).toBe('VALIDATION_FAILED')
    })
  })

  describe('when the limit cuts through equally relevant titles', () => {
    // Six equal titles. The index returns equal scores in an order of its own, which is not
    // popularity's: here the popular and the filtered-out titles sit at both ends of the index
    // order, so a ranking that stops at the limit, or that skips the filters on the tied titles
    // past it, answers differently whichever end the index starts from.
    const tieWord = `t${randomUUID().replace(/-/g, '').slice(0, 12)}`
    const tied: [key: string, popularity: number, genre: string][] = [
      ['h40', 40, 'Horror'],
      ['c60', 60, 'Comedy'],
      ['h10', 10, 'Horror'],
      ['h20', 20, 'Horror'],
      ['c50', 50, 'Comedy'],
      ['h35', 35, 'Horror']
    ]

    beforeAll(async () => {
      for (const [i, [key, popularity, genre]] of tied.entries()) {
        await createMovie(key, `Tie ${tieWord}`, 1991 + i, popularity, [genre])
      }
      await awaitIndexed(tied.length, tieWord)
    })

    const ids = (created: Created): string[] => created.results.map((r) => r.movie_id)
    const byKey = (...keys: string[]): string[] => keys.map((key) => movie[key] as string)

    it('returns the most popular of them, in order', async () => {
      expect(ids(await found(`tie ${tieWord}`, { limit: 1 }))).toEqual(byKey('c60'))
      expect(ids(await found(`tie ${tieWord}`, { limit: 2 }))).toEqual(byKey('c60', 'c50'))
      expect(ids(await found(tieWord, { limit: 6 }))).toEqual(byKey('c60', 'c50', 'h40', 'h35', 'h20', 'h10'))
    })

    it('filters the tied titles past the limit before ranking them', async () => {
      const horror = await found(tieWord, { limit: 2, filters: { genre: genre('horror') } })
      expect(ids(horror)).toEqual(byKey('h40', 'h35'))
      const older = await found(tieWord, { limit: 2, filters: { year_to: 1994 } })
      expect(ids(older)).toEqual(byKey('c60', 'h40'))
      const both = await found(tieWord, { limit: 5, filters: { genre: genre('Comedy'), year_to: 1995 } })
      expect(ids(both)).toEqual(byKey('c60', 'c50'))
    })

    it('answers GET /search/movies with the same ranking', async () => {
      const res = await app.inject({
        method: 'GET',
        url: '/search/movies',
        query: { q: tieWord, limit: '3', genre: genre('horror') }
      })
      expect(res.statusCode, res.body).toBe(200)
      expect(res.json<{ results: Result[] }>().results.map((r) => r.movie_id)).toEqual(
        byKey('h40', 'h35', 'h20')
      )
    })
  })

  describe('POST /searches/:search_id/selection', () => {
    it('records the chosen movie (204), once however often it is chosen', async () => {
      const created = await found(`godfater ${word}`)
      const url = `/searches/${created.search_id}/selection`
      for (let i = 0; i < 2; i++) {
        const res = await app.inject({ method: 'POST', url, payload: { movie_id: movie.godfather2 } })
        expect(res.statusCode).toBe(204)
        expect(res.body).toBe('')
      }
      const rows = await db.readRows<{ movie_id: string; has_time: boolean; ids: string[] }>(
        `MATCH (s:Search {search_id: $id})-[sel:SELECTED]->(m:Movie)
         RETURN m.movie_id AS movie_id, sel.at IS NOT NULL AS has_time, s.selected_movie_ids AS ids`,
        { id: created.search_id }
      )
      expect(rows).toEqual([{ movie_id: movie.godfather2, has_time: true, ids: [movie.godfather2] }])
    })

    it('answers 404 for an unknown search or movie and 400 for a bad body', async () => {
      const created = await found(`godfater ${word}`)
      const noSearch = await app.inject({
        method: 'POST',
        url: `/searches/${randomUUID()}/selection`,
        payload: { movie_id: movie.godfather }
      })
      expect(noSearch.statusCode).toBe(404)
      expect(noSearch.json().error).toMatchObject({
        code: 'NOT_FOUND',
        message: expect.stringMatching(/^Search/)
      })
      const noMovie = await app.inject({
        method: 'POST',
        url: `/searches/${created.search_id}/selection`,
        payload: { movie_id: `${tag}-none` }
      })
      expect(noMovie.statusCode).toBe(404)
      expect(noMovie.json().error).toMatchObject({
        code: 'NOT_FOUND',
        message: expect.stringMatching(/^Movie/)
      })
      for (const payload of [{}, { movie_id: '' }, { movie_id: movie.godfather, extra: 1 }]) {
        const bad = await app.inject({
          method: 'POST',
          url: `/searches/${created.search_id}/selection`,
          payload
        })
        expect(bad.statusCode).toBe(400)
        expect(bad.json().error.code).toBe('VALIDATION_FAILED')
      }
    })
  })

  describe('GET /users/:user_id/searches', () => {
    it('pages newest first without duplicates or gaps while searches arrive between pages', async () => {
      const userId = `${tag}-pager`
      const originals: string[] = []
      for (let i = 0; i < 7; i++)
        originals.push((await found(`page${i} ${word}`, { user_id: userId })).search_id)
      const seen: HistoryItem[] = []
      let cursor: string | null = null
      let pages = 0
      do {
        const url: string = `/users/${userId}/searches?limit=3${cursor ? `&cursor=${cursor}` : ''}`
        const res = await app.inject(url)
        expect(res.statusCode).toBe(200)
        const page = res.json<{ items: HistoryItem[]; next_cursor: string | null }>()
        seen.push(...page.items)
        cursor = page.next_cursor
        pages++
        await found(`between ${word}`, { user_id: userId })
      } while (cursor)
      expect(pages).toBe(3)
      expect(seen.map((s) => s.search_id)).toEqual([...originals].reverse())
      expect(seen[0]).toMatchObject({
        query: `page6 ${word}`,
        normalized_query: `page6 ${word}`,
        filters: {},
        result_count: 0,
        returned_movie_ids: [],
        selected_movie_ids: []
      })
    })

    it('keeps what a search returned after the movie is deleted', async () => {
      const userId = `${tag}-keeper`
      await createMovie('doomed', `Doomed ${word}`, 2000, 1)
      await awaitIndexed(7)
      const created = await found(`doomed ${word}`, { user_id: userId })
      expect(created.results.map((r) => r.movie_id)).toEqual([movie.doomed])
      await app.inject({
        method: 'POST',
        url: `/searches/${created.search_id}/selection`,
        payload: { movie_id: movie.doomed }
      })
      await db.writeRows(`MATCH (m:Movie {movie_id: $id}) DETACH DELETE m`, { id: movie.doomed })
      await awaitIndexed(6)
      const { items } = (await app.inject(`/users/${userId}/searches`)).json<{ items: HistoryItem[] }>()
      expect(items).toEqual([
        {
          search_id: created.search_id,
          query: `doomed ${word}`,
          normalized_query: `doomed ${word}`,
          filters: {},
          searched_at: created.searched_at,
          result_count: 1,
          returned_movie_ids: [movie.doomed],
          selected_movie_ids: [movie.doomed]
        }
      ])
    })

    it('answers 404 for an unknown user and 400 for a bad cursor', async () => {
      const missing = await app.inject(`/users/${tag}-nobody/searches`)
      expect(missing.statusCode).toBe(404)
      expect(missing.json().error.code).toBe('NOT_FOUND')
      const userId = `${tag}-cursor`
      await found(`cursor ${word}`, { user_id: userId })
      const bad = await app.inject(`/users/${userId}/searches?cursor=nonsense`)
      expect(bad.statusCode).toBe(400)
      const limit = await app.inject(`/users/${userId}/searches?limit=500`)
      expect(limit.statusCode).toBe(400)
      expect(limit.json().error.code).toBe('VALIDATION_FAILED')
    })
  })

  describe('GET /searches/trending', () => {
    it('counts normalized queries in the window, most frequent first, with those that found nothing', async () => {
      const prefix = `${word} twin`
      // Four spellings of one normalized query; two of them filtered down to nothing.
      expect((await found(`${word} Twin`)).result_count).toBe(2)
      expect((await found(`  ${word.toUpperCase()}   TWÍN `)).result_count).toBe(2)
      expect((await found(`${word} twin`, { filters: { genre: genre('Western') } })).result_count).toBe(0)
      expect((await found(`${word}\ttwin\n`, { filters: { year_from: 2100 } })).result_count).toBe(0)
      expect((await found(`${word} twinzzzz`)).result_count).toBe(0)
      expect((await found(`${word} twinzzzz`)).result_count).toBe(0)
      expect((await found(`${word} twinaaaa`)).result_count).toBe(0)
      // An old search: outside 1h and 24h, inside 7d.
      const oldId = randomUUID()
      searchIds.push(oldId)
      await db.writeRows(
        `CREATE (:Search {search_id: $id, query: $q, normalized_query: $q, filters: '{}', result_count: 0,
                          returned_movie_ids: [], selected_movie_ids: [], searched_at: datetime() - duration('P2D')})`,
        { id: oldId, q: `${word} twinaaaa` }
      )

      const res = await app.inject(
        `/searches/trending?window=1h&prefix=${encodeURIComponent(` ${prefix.toUpperCase()}`)}`
      )
      expect(res.statusCode).toBe(200)
      const body = res.json()
      expect(body).toMatchObject({ window: '1h', searches: 7, zero_result_searches: 5 })
      expect(Date.now() - Date.parse(body.since)).toBeGreaterThan(3_590_000)
      expect(body.items.map((i: Record<string, unknown>) => [i.query, i.count, i.zero_result_count])).toEqual(
        [
          [`${word} twin`, 4, 2],
          [`${word} twinzzzz`, 2, 2],
          [`${word} twinaaaa`, 1, 1]
        ]
      )
      expect(typeof body.items[0].last_searched_at).toBe('string')

      const week = (
        await app.inject(`/searches/trending?window=7d&limit=2&prefix=${encodeURIComponent(prefix)}`)
      ).json()
      expect(week).toMatchObject({ window: '7d', searches: 8, zero_result_searches: 6 })
      // Equal counts are ordered by the query text.
      expect(week.items.map((i: Record<string, unknown>) => [i.query, i.count])).toEqual([
        [`${word} twin`, 4],
        [`${word} twinaaaa`, 2]
      ])
    })

    it('defaults to 24h and rejects unknown windows and limits', async () => {
      const res = await app.inject(`/searches/trending?prefix=${word}`)
      expect(res.statusCode).toBe(200)
      expect(res.json().window).toBe('24h')
      for (const query of ['window=2h', 'window=', 'limit=0', 'limit=101', 'prefix=', 'other=1']) {
        const bad = await app.inject(`/searches/trending?${query}`)
        expect(bad.statusCode, query).toBe(400)
        expect(bad.json().error.code, query).toBe('VALIDATION_FAILED')
      }
    })
  })
})
