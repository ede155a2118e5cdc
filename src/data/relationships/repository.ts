/** Data access for typed movie-to-movie relationships. */
import { int } from '../../db/convert.js'
import { requireMovies } from '../movies/exist.js'
import { rows } from '../../db/database.js'
import type { Database } from '../../db/database.js'
import {
  RELATIONSHIP_DIRECTIONS,
  SYMMETRIC_TYPES,
  canonicalEndpoints,
  isRelationshipType,
  isSymmetric,
  requiresScore
} from '../../domain/relationship-types.js'
import type { RelationshipDirection, RelationshipType } from '../../domain/relationship-types.js'
import { ConflictError, NotFoundError, invalidCursor, violation } from '../../errors.js'
import { decodeCursor, encodeCursor } from '../../lib/cursor.js'
import { parseTypes } from '../list-params.js'
import type {
  PutRelationshipBody,
  RelationshipItem,
  RelationshipPage,
  RelationshipParams,
  RelationshipQuery
} from '../../schemas/relationship.js'
import { LIST_RELATIONSHIPS, LOCK_MOVIE, deleteEdge, edgeState, mergeEdge } from './queries.js'

const SORT = 'type,other_movie_id'

type StoredEdge = Omit<RelationshipItem, 'type' | 'direction'>

function rejectSelfLoop(params: RelationshipParams): void {
  if (params.movie_id === params.other_movie_id) {
    throw violation(
      'params',
      '/other_movie_id',
      'must differ from movie_id: a movie cannot be related to itself'
    )
  }
}

/** Creates or replaces an edge; `created` tells a new edge from an updated one. */
export async function putRelationship(
  db: Database,
  params: RelationshipParams,
  body: PutRelationshipBody
): Promise<{ created: boolean; relationship: RelationshipItem }> {
  const { type, movie_id, other_movie_id } = params
  rejectSelfLoop(params)
  if (requiresScore(type) && body.score === undefined) {
    throw violation('body', '/score', `is required for ${type}: a score between 0 and 1`)
  }
  const { from, to } = canonicalEndpoints(type, movie_id, other_movie_id)
  const symmetric = isSymmetric(type)

  return db.write(async (tx) => {
    await requireMovies(tx, [movie_id, other_movie_id])
    for (const id of [movie_id, other_movie_id].sort()) await tx.run(LOCK_MOVIE, { movie_id: id })

    const [state] = rows<{ exists: boolean; reverse_exists: boolean }>(
      await tx.run(edgeState(type), { from, to })
    )
    if (!symmetric && state?.reverse_exists) {
      throw new ConflictError(`'${to}' is already ${type} '${from}'; an edge cannot point both ways`, {
        type,
        from: to,
        to: from
      })
    }
    const [edge] = rows<StoredEdge>(
      await tx.run(mergeEdge(type), {
        from,
        to,
        movie_id,
        source: body.source ?? 'editorial',
        score: body.score ?? null
      })
    )
    if (!edge) throw new Error('MERGE of a relationship between two locked movies returned no row')
    return {
      created: !state?.exists,
      relationship: { type, direction: symmetric ? 'both' : 'out', ...edge }
    }
  })
}

export async function deleteRelationship(db: Database, params: RelationshipParams): Promise<void> {
  rejectSelfLoop(params)
  const [result] = await db.writeRows<{ deleted: number }>(
    deleteEdge(params.type, isSymmetric(params.type)),
    {
      movie_id: params.movie_id,
      other_movie_id: params.other_movie_id
    }
  )
  if (!result || result.deleted === 0) {
    throw new NotFoundError(
      `No ${params.type} relationship from '${params.movie_id}' to '${params.other_movie_id}'`,
      { type: params.type, movie_id: params.movie_id, other_movie_id: params.other_movie_id }
    )
  }
}

/** The cursor key is `type/direction`: both come from fixed sets without a slash. */
function afterCursor(text: string | undefined): {
  after_type: RelationshipType | null
  after_direction: RelationshipDirection | null
  after_movie_id: string | null
} {
  if (text === undefined) return { after_type: null, after_direction: null, after_movie_id: null }
  const cursor = decodeCursor(text, SORT)
  const [type, direction, extra] = typeof cursor.key === 'string' ? cursor.key.split('/') : []
  if (
    extra !== undefined ||
    type === undefined ||
    !isRelationshipType(type) ||
    !(RELATIONSHIP_DIRECTIONS as readonly string[]).includes(direction ?? '')
  ) {
    throw invalidCursor()
  }
  return { after_type: type, after_direction: direction as RelationshipDirection, after_movie_id: cursor.id }
}

export async function listRelationships(
  db: Database,
  movieId: string,
  query: RelationshipQuery
): Promise<RelationshipPage> {
  const limit = query.limit
  const after = afterCursor(query.cursor)
  const types = parseTypes(query.type, 'type')
  const found = await db.read(async (tx) => {
    await requireMovies(tx, [movieId])
    return rows<RelationshipItem>(
      await tx.run(LIST_RELATIONSHIPS, {
        movie_id: movieId,
        types,
        symmetric_types: [...SYMMETRIC_TYPES],
        direction: query.direction ?? 'both',
        ...after,
        limit: int(limit + 1)
      })
    )
  })
  const items = found.slice(0, limit)
  const last = items[items.length - 1]
  const next_cursor =
    found.length > limit && last
      ? encodeCursor({ sort: SORT, key: `${last.type}/${last.direction}`, id: last.other.movie_id })
      : null
  return { items, next_cursor }
}
