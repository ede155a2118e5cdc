import { describe, expect, it } from 'vitest'
import { toPlain } from '../../src/db/convert.js'
import {
  loadQueryPack,
  parseQueryFile,
  QueryPackError,
  queryParameters
} from '../../src/analyst/query-pack.js'

const SAMPLE = `// Top movies in a genre
//
// Which movies rate best in one genre?
// Ranked by mean rating.
//
// Second paragraph.
//
// Parameters:
//   genre       genre name
//   limit       rows to return,
//               best first
:param { genre: 'Drama', limit: 5 };

MATCH (:Genre {name: $genre})<-[:IN_GENRE]-(m:Movie)
RETURN m.title AS title // a trailing comment
LIMIT $limit;
`

describe('parseQueryFile', () => {
  it('reads the title, description, parameter docs, :param values and the query', () => {
    const q = parseQueryFile('03-top-movies.cypher', SAMPLE)
    expect(q.name).toBe('03-top-movies')
    expect(q.number).toBe(3)
    expect(q.title).toBe('Top movies in a genre')
    expect(q.description).toBe(
      'Which movies rate best in one genre? Ranked by mean rating.\n\nSecond paragraph.'
    )
    expect(q.paramDocs).toEqual({ genre: 'genre name', limit: 'rows to return, best first' })
    expect(toPlain(q.params)).toEqual({ genre: 'Drama', limit: 5 })
    expect(q.query).toBe(
      'MATCH (:Genre {name: $genre})<-[:IN_GENRE]-(m:Movie)\nRETURN m.title AS title \nLIMIT $limit'
    )
  })

  it.each([
    ['a file name that is not NN-kebab-name.cypher', 'top.cypher', SAMPLE],
    ['a missing comment block', '01-x.cypher', ':param { a: 1 };\nRETURN $a AS a;'],
    ['a missing Parameters: list', '01-x.cypher', '// Title\n// text\n:param { a: 1 };\nRETURN $a AS a;'],
    ['a missing :param line', '01-x.cypher', '// Title\n// Parameters:\n//   a  x\nRETURN $a AS a;'],
    [
      'a :param line not right after the comments',
      '01-x.cypher',
      '// T\n// Parameters:\n//   a  x\n\n:param { a: 1 };\nRETURN $a;'
    ],
    [
      'two queries',
      '01-x.cypher',
      '// T\n// Parameters:\n//   a  x\n:param { a: 1 };\nRETURN $a;\nRETURN 2;'
    ],
    ['a bad :param map', '01-x.cypher', '// T\n// Parameters:\n//   a  x\n:param { a: };\nRETURN $a;']
  ])('rejects %s', (_what, file, source) => {
    expect(() => parseQueryFile(file, source)).toThrow(QueryPackError)
  })
})

describe('queryParameters', () => {
  it('lists each parameter once, in order of first use', () => {
    expect(
      queryParameters('MATCH (m {id: $id}) WHERE m.x > $min AND m.y < $id RETURN m LIMIT $limit')
    ).toEqual(['id', 'min', 'limit'])
  })

  it('skips strings, quoted names and comments, and reads backtick-quoted parameters', () => {
    const query = `RETURN '$a' AS x, "$b" AS \`$c\`, $\`odd name\` AS y // $d
/* $e */ , $f AS z`
    expect(queryParameters(query)).toEqual(['odd name', 'f'])
  })
})

describe('the analyst query pack', async () => {
  const pack = await loadQueryPack()

  it('has its twenty queries, numbered without gaps', () => {
    expect(pack.map((q) => q.name)).toEqual([
      '01-top-rated-by-genre',
      '02-review-sentiment-by-month',
      '03-tweet-volume-by-week',
      '04-trending-searches',
      '05-searches-without-results',
      '06-franchise-chain',
      '07-movie-neighbourhood',
      '08-similar-taste-users',
      '09-genre-co-occurrence',
      '10-rating-sentiment-disagreement',
      '11-polarising-movies',
      '12-sequels-vs-originals',
      '13-rating-distribution',
      '14-user-genre-preferences',
      '15-search-conversion',
      '16-derived-works',
      '17-recommendations-from-similar-users',
      '18-taste-communities',
      '19-central-films',
      '20-most-drawn-on-films'
    ])
    expect(pack.map((q) => q.number)).toEqual(pack.map((_q, i) => i + 1))
  })

  // A projected graph outlives the query that made it: a run cut short leaves it in memory under
  // its name, and two queries sharing a name would drop each other's graph mid-run.
  describe('the Graph Data Science queries', () => {
    const gds = pack.filter((q) => /\bgds\./.test(q.query))

    it('are the ones that project a graph, each under a name of its own', () => {
      expect(gds.map((q) => q.name)).toEqual([
        '18-taste-communities',
        '19-central-films',
        '20-most-drawn-on-films'
      ])
      const names = gds.map((q) => q.params.graphName)
      expect(names.every((n) => typeof n === 'string' && n.startsWith('cinegraph-'))).toBe(true)
      expect(new Set(names).size).toBe(names.length)
    })

    describe.each(gds.map((q) => [q.name, q] as const))('%s', (_name, q) => {
      const at = (pattern: RegExp): number[] => [...q.query.matchAll(pattern)].map((m) => m.index)
      const drops = at(/gds\.graph\.drop\(\$graphName, false\)/g)
      const projections = at(/gds\.graph\.project\(\$graphName,/g)
      const algorithms = [
        ...q.query.matchAll(/gds\.(?!graph\.|util\.)[\w.]+\.stream\(\$graphName, (\{[^}]*\})\)/g)
      ]

      it('drops a leftover graph of its name first and its own graph after the algorithm', () => {
        expect(q.query.startsWith('CALL () {\n  CALL gds.graph.drop($graphName, false)')).toBe(true)
        expect(projections).toHaveLength(1)
        expect(algorithms).toHaveLength(1)
        expect(drops).toHaveLength(2)
        expect(drops[0]).toBeLessThan(projections[0] as number)
        expect(drops[1]).toBeGreaterThan(algorithms[0]?.index as number)
      })

      it('streams one algorithm at the concurrency Community allows', () => {
        expect(algorithms[0]?.[1]).toMatch(/\bconcurrency: 2\b/)
      })

      it('reads every movie by default and only the listed ones when given', () => {
        expect(toPlain(q.params.movieIds)).toEqual([])
        expect(q.query).toMatch(/size\(\$movieIds\) = 0 OR \w+\.movie_id IN \$movieIds/)
      })
    })
  })

  describe.each(pack.map((q) => [q.name, q] as const))('%s', (_name, q) => {
    it('has a title and a description', () => {
      expect(q.title.length).toBeGreaterThan(5)
      expect(q.description.length).toBeGreaterThan(40)
    })

    it('uses exactly the parameters its :param line declares, each documented', () => {
      const declared = Object.keys(q.params).sort()
      expect(declared.length).toBeGreaterThan(0)
      expect(queryParameters(q.query).sort()).toEqual(declared)
      expect(Object.keys(q.paramDocs).sort()).toEqual(declared)
    })

    it('is one bounded query', () => {
      expect(q.query).toMatch(/\bRETURN\b/)
      expect(q.query).toMatch(/\bLIMIT\s+(\d+|toInteger\(\$limit\))\s*$/)
    })
  })
})
