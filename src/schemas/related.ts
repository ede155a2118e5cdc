/** Request and response shapes of related movies: typed edges drawn as nodes, edges and paths. */
import { Type } from 'typebox'
import type { Static } from 'typebox'
import { RELATIONSHIP_TYPES } from '../domain/relationship-types.js'
import { ListParam, MovieRef, TRAVERSAL_BOUNDS as B } from './common.js'

/** The edge types a walk may follow; shared with shortest paths. */
export const TypesParam = ListParam(
  `Edge types to follow, from: ${RELATIONSHIP_TYPES.join(', ')}. Comma-separated or repeated; default every ` +
    `type. Each item must be one of these and at most ${RELATIONSHIP_TYPES.length} may be named.`,
  B.maxExclude
)

export const GraphEdge = Type.Object({
  type: Type.String(),
  from: Type.String({ description: 'Start of the edge as stored' }),
  to: Type.String({ description: 'End of the edge as stored' }),
  source: Type.Union([Type.String(), Type.Null()]),
  score: Type.Union([Type.Number(), Type.Null()]),
  symmetric: Type.Boolean({ description: 'Symmetric types are stored once, from the smaller movie_id' })
})
export type GraphEdge = Static<typeof GraphEdge>

export const RelatedQuery = Type.Object(
  {
    types: Type.Optional(TypesParam),
    depth: Type.Integer({
      minimum: 1,
      maximum: B.maxRelatedDepth,
      default: B.defaultRelatedDepth,
      description: `Hops to follow (1..${B.maxRelatedDepth})`
    }),
    limit: Type.Integer({
      minimum: 1,
      maximum: B.maxLimit,
      default: B.defaultLimit,
      description: 'How many related movies (paths)'
    })
  },
  { additionalProperties: false }
)
export type RelatedQuery = Static<typeof RelatedQuery>

export const RelatedResponse = Type.Object({
  movie_id: Type.String(),
  types: Type.Array(Type.String()),
  depth: Type.Integer(),
  nodes: Type.Array(MovieRef, { description: 'Every movie on a path, the asked one first' }),
  edges: Type.Array(GraphEdge, { description: 'Every edge on a path, once, in its stored direction' }),
  paths: Type.Array(Type.Array(Type.String()), {
    description:
      'One shortest path per related movie, as movie_ids from the asked movie; nearest first, then by movie_id'
  })
})
export type RelatedResponse = Static<typeof RelatedResponse>
