import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildCatalogue } from '../../../src/generate/catalogue.js'
import type { Catalogue } from '../../../src/generate/catalogue.js'
import { generateDataset } from '../../../src/generate/dataset.js'
import { createRandom } from '../../../src/generate/random.js'
import { buildTaste, favouriteGroups, tasteGroupCount } from '../../../src/generate/taste.js'
import type { Taste } from '../../../src/generate/taste.js'

const SIZES = { movies: 600, users: 400, ratings: 30_000, tweets: 0, seed: 5, malformedRate: 0 }

interface Rating {
  user: number
  movie: number
  stars: number
}

let dir: string
let catalogue: Catalogue
let taste: Taste
let ratings: Rating[]
/** Movie index → its movie id's fans (users with 3.5 stars or more). */
let fans: Map<number, Set<number>>
const favourites = new Map<number, number[]>()

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cinegraph-taste-'))
  await generateDataset({ ...SIZES, out: dir })
  catalogue = buildCatalogue(SIZES.movies, SIZES.seed, 0)
  taste = buildTaste(catalogue, SIZES.seed)
  const indexOf = new Map<number, number>()
  for (let i = 0; i < catalogue.size; i++) indexOf.set(catalogue.movieId[i] as number, i)
  const lines = (await readFile(join(dir, 'ratings.csv'), 'utf8')).trim().split('\n').slice(1)
  ratings = lines.map((line) => {
    const [user, movieId, stars] = line.split(',').map(Number) as [number, number, number]
    return { user, movie: indexOf.get(movieId) as number, stars }
  })
  fans = new Map()
  for (const r of ratings) {
    if (!favourites.has(r.user)) favourites.set(r.user, favouriteGroups(taste, SIZES.seed, r.user - 1))
    if (r.stars < 3.5) continue
    const set = fans.get(r.movie) ?? new Set<number>()
    set.add(r.user)
    fans.set(r.movie, set)
  }
})

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

function isFavourite(r: Rating): boolean {
  return favourites.get(r.user)?.includes(taste.groupOf[r.movie] as number) ?? false
}

function jaccard(a: number, b: number): number {
  const fa = fans.get(a) ?? new Set<number>()
  const fb = fans.get(b) ?? new Set<number>()
  let both = 0
  for (const user of fa) if (fb.has(user)) both++
  const either = fa.size + fb.size - both
  return either === 0 ? 0 : both / either
}

describe('planted taste', () => {
  it('scales the number of groups with the catalogue, between 8 and 60', () => {
    expect(tasteGroupCount(1)).toBe(8)
    expect(tasteGroupCount(3000)).toBe(8)
    expect(tasteGroupCount(10_000)).toBe(20)
    expect(tasteGroupCount(100_000)).toBe(60)
    expect(taste.groups).toBe(8)
    expect(taste.members.reduce((sum, list) => sum + list.length, 0)).toBe(SIZES.movies)
  })

  it("puts a whole franchise in its first film's group", () => {
    expect(catalogue.collections.length).toBeGreaterThan(5)
    for (const { members } of catalogue.collections) {
      const groups = new Set(members.map((m) => taste.groupOf[m]))
      expect(groups.size).toBe(1)
    }
  })

  it('gives every user one or two favourite groups, the same ones for the same seed', () => {
    const counts = [...favourites.values()].map((groups) => groups.length)
    expect(Math.min(...counts)).toBe(1)
    expect(Math.max(...counts)).toBe(2)
    expect(favouriteGroups(taste, SIZES.seed, 41)).toEqual(favouriteGroups(taste, SIZES.seed, 41))
  })

  it('draws a large share of ratings from the favourite groups, and scores those high', () => {
    const fav = ratings.filter(isFavourite)
    const other = ratings.filter((r) => !isFavourite(r))
    // One or two of 8 groups: about 19% of the catalogue, but about half of the ratings.
    expect(fav.length / ratings.length).toBeGreaterThan(0.4)
    const liked = (rs: Rating[]) => rs.filter((r) => r.stars >= 3.5).length / rs.length
    const fourUp = (rs: Rating[]) => rs.filter((r) => r.stars >= 4).length / rs.length
    expect(liked(fav)).toBeGreaterThan(0.85)
    expect(fourUp(fav)).toBeGreaterThan(0.7)
    expect(liked(other)).toBeLessThan(0.5)
    expect(liked(fav)).toBeGreaterThan(2 * liked(other))
  })

  it('makes the films of one collection co-liked by the same users far more than random pairs', () => {
    const pairs: Array<[number, number]> = []
    for (const { members } of catalogue.collections) {
      for (let x = 0; x < members.length; x++)
        for (let y = x + 1; y < members.length; y++) pairs.push([members[x] as number, members[y] as number])
    }
    const random = createRandom(3)
    const mean = (list: Array<[number, number]>) =>
      list.reduce((sum, [a, b]) => sum + jaccard(a, b), 0) / list.length
    const randomPairs = Array.from(
      { length: 2000 },
      () => [random.int(SIZES.movies), random.int(SIZES.movies)] as [number, number]
    ).filter(([a, b]) => a !== b)
    expect(pairs.length).toBeGreaterThan(10)
    expect(mean(pairs)).toBeGreaterThan(3 * mean(randomPairs))
  })

  it('keeps the ratings of one user distinct and the total exact', () => {
    expect(ratings.length).toBe(SIZES.ratings)
    const keys = new Set(ratings.map((r) => `${r.user}:${r.movie}`))
    expect(keys.size).toBe(ratings.length)
  })
})
