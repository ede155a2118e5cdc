import { readFile, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { trainingHistory } from '../../../src/evaluate/evaluate.js'
import { readMovieIds, readRatings, splitTable, tableOf, writeTraining } from '../../../src/evaluate/split.js'
import { useTempDirs } from '../ingest/helpers.js'

const freshDir = useTempDirs()

// Scores are on the 0–10 scale: 7 and up is a like.
const row = (user: number, movie: number, score: number, timestamp: number) => ({
  user,
  movie,
  score,
  timestamp
})

describe('tableOf', () => {
  it('sorts by user and movie and keeps the last row of a user and movie', () => {
    const table = tableOf([row(2, 5, 8, 100), row(1, 9, 4, 50), row(2, 3, 6, 10), row(2, 5, 2, 200)])
    expect(Array.from(table.user)).toEqual([1, 2, 2])
    expect(Array.from(table.movie)).toEqual([9, 3, 5])
    expect(Array.from(table.score)).toEqual([4, 6, 2])
    expect(Array.from(table.timestamp)).toEqual([50, 10, 200])
    expect(Array.from(table.userIds)).toEqual([1, 2])
    expect(Array.from(table.userStart)).toEqual([0, 1, 3])
  })
})

describe('splitTable', () => {
  const table = tableOf([
    // User 1: four likes; the latest is movie 4, then 3 and 2 at the same time.
    row(1, 1, 8, 100),
    row(1, 2, 10, 300),
    row(1, 3, 7, 300),
    row(1, 4, 9, 400),
    row(1, 5, 4, 999),
    // User 2: two likes only, one short of holdout + 2.
    row(2, 1, 10, 100),
    row(2, 2, 10, 200),
    row(2, 3, 6, 300),
    // User 3: three likes, exactly holdout + 2.
    row(3, 7, 7, 1),
    row(3, 8, 7, 2),
    row(3, 9, 7, 3)
  ])

  it("holds out each eligible user's latest liked ratings", () => {
    const split = splitTable(table, { holdout: 1, highRating: 7 })
    expect(split.heldOutByUser).toEqual(
      new Map([
        [1, [4]],
        [3, [9]]
      ])
    )
    const held = Array.from(table.movie).filter((_, i) => split.heldOut[i])
    expect(held).toEqual([4, 9])
  })

  it('breaks a tie in time towards the higher movie id, and needs holdout + 2 likes', () => {
    const split = splitTable(table, { holdout: 2, highRating: 7 })
    expect(split.heldOutByUser).toEqual(new Map([[1, [4, 3]]]))
  })

  it('follows the like threshold', () => {
    const split = splitTable(table, { holdout: 1, highRating: 9 })
    // User 1 likes 2 and 4 only at 9 and up; user 2 likes 1 and 2.
    expect(split.heldOutByUser).toEqual(new Map())
  })

  it('leaves the held-out movies out of the training history, latest likes first', () => {
    const split = splitTable(table, { holdout: 1, highRating: 7 })
    const ids = new Map(Array.from({ length: 9 }, (_, i) => [i + 1, `m${i + 1}`] as const))
    const history = trainingHistory(table, split, ids, 7)
    expect(history.heldOut).toEqual(
      new Map([
        ['ml-1', ['m4']],
        ['ml-3', ['m9']]
      ])
    )
    expect(history.liked.get('ml-1')).toEqual(['m2', 'm3', 'm1'])
    expect(history.rated.get('ml-1')).toEqual(['m1', 'm2', 'm3', 'm5'])
    expect(history.liked.get('ml-2')).toEqual(['m2', 'm1'])
  })
})

describe('readRatings and writeTraining', () => {
  it('reads what the importer keeps and writes the training files without the held-out rows', async () => {
    const source = await freshDir()
    await writeFile(
      join(source, 'movies.csv'),
      'movieId,title,genres\n1,A (2001),Drama\n2,B (2002),Comedy\n3,C,Drama\nx,Bad,Drama\n'
    )
    await writeFile(join(source, 'links.csv'), 'movieId,imdbId,tmdbId\n1,0000001,11\n')
    await writeFile(
      join(source, 'ratings.csv'),
      [
        'userId,movieId,rating,timestamp',
        '1,1,4.0,100',
        '1,2,5.0,200',
        '1,3,4.5,300',
        '1,3,2.0,360', // a later row for the same movie wins: no longer a like
        '1,9,5.0,400', // a movie movies.csv does not have
        '1,2,four,500', // refused
        '1,1', // short row
        '2,1,4.0,100',
        '2,2,4.0,200',
        '2,3,4.0,300',
        ''
      ].join('\n')
    )
    await writeFile(
      join(source, 'tags.csv'),
      'userId,movieId,tag,timestamp\n2,3,"funny, dark",1000\n2,1,classic,1001\n1,2,seen,1002\n'
    )
    const movies = await readMovieIds(join(source, 'movies.csv'))
    expect([...movies].sort()).toEqual([1, 2, 3])
    const table = await readRatings(join(source, 'ratings.csv'), movies)
    expect(table.size).toBe(6)
    expect(Array.from(table.score)).toEqual([8, 10, 4, 8, 8, 8])

    const split = splitTable(table, { holdout: 1, highRating: 7 })
    // User 1 has two likes only (1 and 2), user 2 three: only user 2 is held out, at movie 3.
    expect(split.heldOutByUser).toEqual(new Map([[2, [3]]]))

    const out = join(await freshDir(), 'training')
    const files = await writeTraining(source, out, table, split)
    expect(files).toEqual({ dir: out, ratings: 5, tagsDropped: 1 })
    expect((await readdir(out)).sort()).toEqual(['links.csv', 'movies.csv', 'ratings.csv', 'tags.csv'])
    expect(await readFile(join(out, 'movies.csv'), 'utf8')).toBe(
      await readFile(join(source, 'movies.csv'), 'utf8')
    )
    expect(await readFile(join(out, 'ratings.csv'), 'utf8')).toBe(
      [
        'userId,movieId,rating,timestamp',
        '1,1,4.0,100',
        '1,2,5.0,200',
        '1,3,2.0,360',
        '2,1,4.0,100',
        '2,2,4.0,200',
        ''
      ].join('\n')
    )
    expect(await readFile(join(out, 'tags.csv'), 'utf8')).toBe(
      'userId,movieId,tag,timestamp\n2,1,classic,1001\n1,2,seen,1002\n'
    )
  })
})
