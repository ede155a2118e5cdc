/**
 * The allow-list of movie-to-movie relationship types. Cypher relationship types cannot be
 * parameters, so a type reaches query text only after it was found in this list.
 */
export const SYMMETRIC_TYPES = ['SIMILAR_TO', 'SAME_FRANCHISE'] as const
/** Directed newer → older/original. */
export const DIRECTED_TYPES = ['SEQUEL_OF', 'REMAKE_OF', 'SPINOFF_OF', 'INSPIRED_BY'] as const
export const RELATIONSHIP_TYPES = [...SYMMETRIC_TYPES, ...DIRECTED_TYPES] as const

export type RelationshipType = (typeof RELATIONSHIP_TYPES)[number]

/** Types whose edges mean nothing without a score. */
export const SCORED_TYPES: readonly RelationshipType[] = ['SIMILAR_TO']

/** How an edge is seen from one of its movies; symmetric edges are `both` from either end. */
export const RELATIONSHIP_DIRECTIONS = ['out', 'in', 'both'] as const
export type RelationshipDirection = (typeof RELATIONSHIP_DIRECTIONS)[number]

export function isRelationshipType(value: string): value is RelationshipType {
  return (RELATIONSHIP_TYPES as readonly string[]).includes(value)
}

export function isSymmetric(type: RelationshipType): boolean {
  return (SYMMETRIC_TYPES as readonly string[]).includes(type)
}

export function requiresScore(type: RelationshipType): boolean {
  return SCORED_TYPES.includes(type)
}

/** The only way a relationship type becomes Cypher text. */
export function relationshipTypeToken(value: string): RelationshipType {
  if (!isRelationshipType(value)) throw new Error(`relationship type ${JSON.stringify(value)} is not allowed`)
  return value
}

/**
 * The direction an edge is stored in. A symmetric edge is stored once, from the smaller movie_id
 * to the larger, so that writes from either end MERGE on the same pattern; a directed edge keeps
 * the direction it was asked for.
 */
export function canonicalEndpoints(
  type: RelationshipType,
  movieId: string,
  otherMovieId: string
): { from: string; to: string } {
  if (isSymmetric(type) && otherMovieId < movieId) return { from: otherMovieId, to: movieId }
  return { from: movieId, to: otherMovieId }
}

export const EDGE_SOURCES = ['tmdb', 'editorial', 'computed', 'movielens', 'user'] as const
export type EdgeSource = (typeof EDGE_SOURCES)[number]
