/**
 * Planted taste: latent groups of movies that the same users like, so that a recommender run on
 * generated ratings has something real to find. Every movie belongs to one group (a franchise to
 * its first film's), every user favours one or two groups, and writeRatings draws about half of
 * a user's ratings from those groups and scores them high. As in real catalogues, taste follows
 * genre only in part: half of the movies join the group their main genre leans to, the rest a
 * random one, so genres hint at a group and only the ratings reveal it.
 */
import type { Catalogue } from './catalogue.js'
import { RATING_POPULARITY_EXPONENT } from './catalogue.js'
import { deriveRandom } from './random.js'
import type { Random } from './random.js'

const MIN_GROUPS = 8
const MAX_GROUPS = 60
const MOVIES_PER_GROUP = 500
/** Popularity draws of a group member before a taken one is replaced uniformly. */
const POPULAR_ATTEMPTS = 8
/** Share of users with a second favourite group. */
const SECOND_FAVOURITE = 0.5
/** Share of movies whose group is the one their main (lowest-numbered) genre leans to. */
const GENRE_LEANING = 0.5

export interface Taste {
  groups: number
  /** Group of each movie index. */
  groupOf: Int32Array
  /** Each group's movies, most popular first. */
  members: Int32Array[]
  /**
   * Per group, the running sum of its members' popularity weights (the catalogue-wide Zipf weight
   * of their rank), so a group draw is as skewed as a draw from the whole catalogue.
   */
  cumulative: Float64Array[]
}

export function tasteGroupCount(movies: number): number {
  return Math.min(MAX_GROUPS, Math.max(MIN_GROUPS, Math.floor(movies / MOVIES_PER_GROUP)))
}

/** Groups for a catalogue, from a stream of their own so the catalogue's files do not change. */
export function buildTaste(c: Catalogue, seed: number): Taste {
  const random = deriveRandom(seed, 'taste')
  const groups = tasteGroupCount(c.size)
  const groupOf = new Int32Array(c.size)
  for (let i = 0; i < c.size; i++) {
    const drawn = random.int(groups)
    const mask = c.genres[i] as number
    const mainGenre = mask === 0 ? -1 : 31 - Math.clz32(mask & -mask)
    groupOf[i] = mainGenre >= 0 && random.chance(GENRE_LEANING) ? (mainGenre * 7) % groups : drawn
  }
  // Collections are chained forwards from their first film, which was drawn above like any other.
  for (const collection of c.collections) {
    const first = collection.members[0] as number
    for (const member of collection.members) groupOf[member] = groupOf[first] as number
  }
  const lists: number[][] = Array.from({ length: groups }, () => [])
  for (let rank = 0; rank < c.size; rank++) {
    const i = c.rankToIndex[rank] as number
    lists[groupOf[i] as number]?.push(i)
  }
  const members = lists.map((list) => Int32Array.from(list))
  const cumulative = members.map((list) => {
    const sums = new Float64Array(list.length)
    let total = 0
    list.forEach((i, k) => {
      total += 1 / Math.pow((c.rankOf[i] as number) + 1, RATING_POPULARITY_EXPONENT)
      sums[k] = total
    })
    return sums
  })
  return { groups, groupOf, members, cumulative }
}

/**
 * The favourite groups of the user at `userIndex` (0-based, whatever the id offset), one or two.
 * A group is chosen in proportion to its popularity weight, so that group draws, summed over the
 * users, are exactly as skewed as draws from the whole catalogue. Each user has a stream of their
 * own, so tests can tell who favours what.
 */
export function favouriteGroups(taste: Taste, seed: number, userIndex: number): number[] {
  const random = deriveRandom(seed, `taste#user${userIndex}`)
  const weights = taste.cumulative.map((sums) => (sums.length > 0 ? (sums[sums.length - 1] as number) : 0))
  const first = random.weighted(weights)
  const favourites = [first]
  weights[first] = 0
  if (weights.some((w) => w > 0) && random.chance(SECOND_FAVOURITE)) favourites.push(random.weighted(weights))
  return favourites
}

/**
 * A member of group `g` by popularity. A group's few hits carry much of its weight, so a taken
 * movie is drawn again by popularity a few times before the draw turns uniform: going uniform at
 * once, as catalogue-wide draws do, would flatten the skew of users who rate many of their group.
 */
export function drawFromGroup(taste: Taste, g: number, taken: ReadonlySet<number>, random: Random): number {
  const members = taste.members[g] as Int32Array
  const sums = taste.cumulative[g] as Float64Array
  const total = sums[sums.length - 1] as number
  for (let attempt = 0; attempt < POPULAR_ATTEMPTS; attempt++) {
    const target = random.next() * total
    let low = 0
    let high = sums.length - 1
    while (low < high) {
      const middle = (low + high) >>> 1
      if ((sums[middle] as number) > target) high = middle
      else low = middle + 1
    }
    const next = members[low] as number
    if (!taken.has(next)) return next
  }
  let next = members[random.int(members.length)] as number
  while (taken.has(next)) next = members[random.int(members.length)] as number
  return next
}
